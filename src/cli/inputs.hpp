// Which files a command works on: paths given on the command line (folders are walked),
// and lists of paths read from a file or standard input. Every command that reads audio files
// takes them from here, so "no input files" and "not audio" mean the same everywhere.
#pragma once

#include "cqtcnn/audio.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cqtcnn::cli {

struct InputOptions {
  std::vector<std::string> paths;     // files or folders
  std::string files_from;             // a list file, "-" for stdin, "" for none
  bool null_separated = false;        // the list is NUL-separated (-0)
  bool recursive = false;             // walk sub-folders (-r)
  std::vector<std::string> extensions = audio_extensions();  // taken from folders (--ext)
};

// The files `command` works on, in command-line order; a folder contributes its files with
// one of the extensions, sorted by name. A path that does not exist is kept, so that the
// command reports it as a failed file. Files in folders that are not audio (README.txt,
// .DS_Store) are skipped and, unless `quiet`, counted once on stderr (report_skipped); so are a
// folder's sub-folders without `recursive` ("skipped 3 sub-folders of data (-r includes them)").
// Throws InvalidInput "<command>: no input files: ..." when nothing is left, naming each folder
// and, when its sub-folders hold files -r would take, saying so.
std::vector<std::filesystem::path> collect_inputs(const InputOptions& options, const std::string& command,
                                                  bool quiet = false);

// The files in `dir` (and below it with `recursive`) that have one of `extensions`, sorted;
// the other files that are not audio by extension are appended to `skipped`.
std::vector<std::filesystem::path> files_in_folder(const std::filesystem::path& dir, bool recursive,
                                                   const std::vector<std::string>& extensions,
                                                   std::vector<std::filesystem::path>& skipped);

// One line on stderr, if any were skipped: "cqtcnn <command>: skipped 2 files that are not
// audio (README.txt, .DS_Store)".
void report_skipped(const std::string& command, const std::vector<std::filesystem::path>& skipped);

// Comma-separated extensions ("wav,flac" or ".wav") to a lower-case list without dots.
std::vector<std::string> parse_extensions(const std::string& list);

}  // namespace cqtcnn::cli
