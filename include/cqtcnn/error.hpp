// Error types. Every message names the file (or parameter) and the problem in one line;
// the command line maps the type to an exit code (README: "Exit codes").
#pragma once

#include <stdexcept>
#include <string>

namespace cqtcnn {

// A runtime failure with an input or output file: unreadable, corrupt or unsupported audio,
// a write that failed. Exit code 1.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A request that can never work: an invalid parameter, or a model file that is malformed or
// whose shapes do not fit. Exit code 2.
class InvalidInput : public Error {
 public:
  using Error::Error;
};

}  // namespace cqtcnn
