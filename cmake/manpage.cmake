# Writes the man page cqtcnn.1 from the program's own help: `cqtcnn --help` as the description
# and each `cqtcnn COMMAND --help` as a section, so the page says what --help says.
# PREFIX is the install prefix, named where the page says where the models are.
#   cmake -DCQTCNN=build/cqtcnn -DOUTPUT=build/cqtcnn.1 -DPREFIX=/usr/local -P cmake/manpage.cmake

function(run_help out)
  execute_process(COMMAND ${CQTCNN} ${ARGN} OUTPUT_VARIABLE text ERROR_VARIABLE error RESULT_VARIABLE code)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "cqtcnn ${ARGN}: exit ${code}: ${error}")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Help text as roff: shown as written (.nf), backslashes and hyphens escaped (\e, \-: a hyphen
# would print as a typographic hyphen), a line starting with . or ' kept from being a request.
function(roff_verbatim out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "\n([.'])" "\n\\\\&\\1" text "\n${text}")
  string(STRIP "${text}" text)
  set(${out} ".nf\n${text}\n.fi\n" PARENT_SCOPE)
endfunction()

run_help(version --version)
run_help(main --help)
string(STRIP "${version}" version)
string(REGEX MATCH "^cqtcnn: ([^\n]*)" summary "${main}")
set(summary "${CMAKE_MATCH_1}")
# The commands: the lines of the "Subcommands:" section of the main help, "  name  description".
string(REGEX MATCH "[Ss][Uu][Bb][Cc][Oo][Mm][Mm][Aa][Nn][Dd][Ss]:\n(.*)" commands_text "${main}")
string(REGEX MATCHALL "\n  [a-z]+ " commands "\n${CMAKE_MATCH_1}")
list(TRANSFORM commands STRIP)
if(NOT commands)
  message(FATAL_ERROR "cqtcnn --help lists no commands:\n${main}")
endif()

roff_verbatim(description "${main}")
if(NOT PREFIX)
  set(PREFIX /usr/local)
endif()
string(REPLACE "-" "\\-" PREFIX_ROFF "${PREFIX}")
string(REPLACE "-" "\\-" version_roff "${version}")
set(page ".TH CQTCNN 1 \"\" \"${version_roff}\" \"User Commands\"
.SH NAME
cqtcnn \\- ${summary}
.SH SYNOPSIS
.B cqtcnn
.I COMMAND
.RI [ OPTIONS ]
.RI [ FILES ...]
.SH DESCRIPTION
${description}")
string(APPEND page ".SH COMMANDS\n")
foreach(command ${commands})
  run_help(help ${command} --help)
  roff_verbatim(help "${help}")
  string(APPEND page ".SS ${command}\n${help}")
endforeach()
string(APPEND page ".SH EXIT STATUS
.TP
0
success
.TP
1
a runtime failure: unreadable or corrupt audio, a failed write; for classify and evaluate over
many files, at least one file failed
.TP
2
bad usage or input that can never work: unknown command or option, invalid parameter, no input
files, malformed model file, shapes that do not fit
.TP
130
classify stopped by Ctrl\\-C (SIGINT): the output written so far is complete (a JSON document
is closed); a batch stops after the files before the one in progress
.PP
When the reader of the output goes away (\\fBcqtcnn classify ... | head\\fR), every command
stops quietly with status 0.
.SH ENVIRONMENT
.TP
.B CQTCNN_MODEL_PATH
colon\\-separated folders searched first for a model given by name (\\fB\\-\\-model instruments\\fR)
.SH FILES
.TP
.I ${PREFIX_ROFF}/share/cqtcnn/models/
the shipped models (digits.json, built in; instruments.json) and their front ends
(*.frontend.json): \\fB\\-\\-model NAME\\fR finds NAME.json here; \\fBcqtcnn inspect \\-\\-list\\fR lists them
.SH EXAMPLES
.nf
cqtcnn classify recording.wav
cqtcnn classify \\-k 3 \\-o out.csv *.wav
cqtcnn classify \\-\\-model instruments \\-r \\-j 4 \\-o out.jsonl \\-\\-resume recordings/
arecord \\-q \\-f S16_LE \\-r 16000 \\-c 1 | cqtcnn classify \\-\\-stream \\-\\-events \\-
cqtcnn spectrogram speech.wav \\-o speech.png
cqtcnn spectrogram \\-\\-model instruments note.wav \\-o note.png    # what the network sees
cqtcnn evaluate test.csv \\-\\-confusion confusion.pdf
cqtcnn inspect \\-\\-list
.fi
.SH SEE ALSO
.B cqtcnn\\-train \\-\\-help
(train a model on your own sounds) and
.B cqtcnn\\-export \\-\\-help
(export a PyTorch network); docs/training.md and README.md in cqtcnn's source.
")
file(WRITE ${OUTPUT} "${page}")
