// Libraries opened on first use (io/shared_library.hpp): one-line errors naming what is missing.
#include "cqtcnn/error.hpp"
#include "io/shared_library.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace {

std::string error_of(auto&& f) {
  try {
    f();
  } catch (const cqtcnn::Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(SharedLibrary, OpensALibraryAndFindsItsFunctions) {
  const cqtcnn::SharedLibrary libm("libm.so.6", "testing");
  const auto cosine = libm.function<double (*)(double)>("cos");
  EXPECT_EQ(cosine(0.25), std::cos(0.25));
}

TEST(SharedLibrary, AMissingLibraryOrSymbolIsAOneLineError) {
  const std::string missing = error_of([] { cqtcnn::SharedLibrary("libcqtcnn-no-such.so.7", "decoding audio"); });
  EXPECT_EQ(missing.rfind("decoding audio needs libcqtcnn-no-such.so.7, which did not load (", 0), 0u) << missing;
  EXPECT_EQ(missing.find('\n'), std::string::npos) << missing;
  const std::string symbol = error_of([] { cqtcnn::SharedLibrary("libm.so.6", "testing").symbol("cqtcnn_no_such_function"); });
  EXPECT_EQ(symbol, "libm.so.6 has no cqtcnn_no_such_function: not the library this program was built for");
}

}  // namespace
