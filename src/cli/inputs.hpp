// Which files a command works on: paths given on the command line (folders are walked),
// and lists of paths read from a file or standard input.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace cqtcnn::cli {

struct InputOptions {
  std::vector<std::string> paths;     // files or folders
  std::string files_from;             // a list file, "-" for stdin, "" for none
  bool null_separated = false;        // the list is NUL-separated (-0)
  bool recursive = false;             // walk sub-folders (-r)
  std::vector<std::string> extensions = {"wav", "flac", "ogg", "oga", "opus", "mp3", "aiff", "aif", "au", "w64", "caf"};
};

// Files in command-line order; a folder contributes its audio files (by extension, sorted by
// name). A path that does not exist is kept, so that the command reports it as a failed file.
std::vector<std::filesystem::path> collect_inputs(const InputOptions& options);

// Comma-separated extensions ("wav,flac" or ".wav") to a lower-case list without dots.
std::vector<std::string> parse_extensions(const std::string& list);

}  // namespace cqtcnn::cli
