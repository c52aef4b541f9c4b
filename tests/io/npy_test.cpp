// .npy reading against fixtures written by numpy (tests/data/io/*.npy, made with numpy.save
// and numpy.lib.format.write_array), and round trips through the writer.
#include "cqtcnn/error.hpp"
#include "io/npy.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using cqtcnn::NpyArray;

namespace {

fs::path fixture(const std::string& name) { return fs::path(CQTCNN_TEST_DATA) / "io" / name; }

fs::path temp_path(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("cqtcnn_npy_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

// Expects read_npy(file) to throw InvalidInput whose message names the file and contains `cause`.
void expect_refused(const fs::path& file, const std::string& cause) {
  try {
    cqtcnn::read_npy(file);
    FAIL() << "accepted " << file;
  } catch (const cqtcnn::InvalidInput& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(file.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find(cause), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

}  // namespace

TEST(Npy, ReadsFloat64AsFloat32) {
  const NpyArray a = cqtcnn::read_npy(fixture("f8_2x3.npy"));
  ASSERT_EQ(a.shape, (std::vector<std::int64_t>{2, 3}));
  ASSERT_EQ(a.size(), 6u);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(a.data[i], float(i) * 0.5f - 1.25f);
}

TEST(Npy, ReadsFloat32) {
  const NpyArray a = cqtcnn::read_npy(fixture("f4_2x3.npy"));
  ASSERT_EQ(a.shape, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(a.data[5], 1.25f);
}

// numpy.save of np.asfortranarray(f4_2x3): same logical array, column-major bytes.
TEST(Npy, ReadsFortranOrderAsCOrder) {
  const NpyArray f = cqtcnn::read_npy(fixture("fortran_2x3.npy"));
  const NpyArray c = cqtcnn::read_npy(fixture("f4_2x3.npy"));
  EXPECT_EQ(f.shape, c.shape);
  EXPECT_EQ(f.data, c.data);
  EXPECT_EQ(f.data[1], -0.75f);  // element (0, 1)
  const NpyArray f3 = cqtcnn::read_npy(fixture("fortran_2x3x4.npy"));  // arange(24).reshape(2, 3, 4)
  ASSERT_EQ(f3.shape, (std::vector<std::int64_t>{2, 3, 4}));
  for (std::size_t i = 0; i < 24; ++i) EXPECT_EQ(f3.data[i], float(i));
}

TEST(Npy, ReadsIntegerTypes) {
  const NpyArray i2 = cqtcnn::read_npy(fixture("i2_4.npy"));
  EXPECT_EQ(i2.data, (std::vector<float>{-32768.f, -1.f, 0.f, 32767.f}));
  const NpyArray u1 = cqtcnn::read_npy(fixture("u1_3.npy"));
  EXPECT_EQ(u1.data, (std::vector<float>{0.f, 128.f, 255.f}));
  const NpyArray i8 = cqtcnn::read_npy(fixture("i8_2.npy"));
  EXPECT_EQ(i8.data, (std::vector<float>{-5.f, 7.f}));
}

TEST(Npy, ReadsScalarAndEmptyShapes) {
  const NpyArray s = cqtcnn::read_npy(fixture("scalar_f4.npy"));
  EXPECT_TRUE(s.shape.empty());
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s.data[0], 3.5f);
  const NpyArray e = cqtcnn::read_npy(fixture("empty_0x3.npy"));
  EXPECT_EQ(e.shape, (std::vector<std::int64_t>{0, 3}));
  EXPECT_EQ(e.size(), 0u);
}

TEST(Npy, ReadsVersion2And3Headers) {
  for (const char* name : {"v2_f4_3.npy", "v3_f4_3.npy"}) {
    const NpyArray a = cqtcnn::read_npy(fixture(name));
    EXPECT_EQ(a.shape, (std::vector<std::int64_t>{3})) << name;
    EXPECT_EQ(a.data, (std::vector<float>{1.5f, -2.5f, 4.0f})) << name;
  }
}

TEST(Npy, ComplexReaderReadsComplexAndRealFiles) {
  const auto c = cqtcnn::read_npy_complex(fixture("c8_2.npy"));
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c.data[0], std::complex<float>(1.f, 2.f));
  EXPECT_EQ(c.data[1], std::complex<float>(-3.5f, 0.25f));
  const auto r = cqtcnn::read_npy_complex(fixture("i2_4.npy"));
  EXPECT_EQ(r.data[3], std::complex<float>(32767.f, 0.f));
}

TEST(Npy, RefusesUnsupportedFiles) {
  expect_refused(fixture("c8_2.npy"), "complex");
  expect_refused(fixture("bigendian_3.npy"), "big-endian");
  expect_refused(fixture("truncated_f4_2x3.npy"), "truncated");
  expect_refused(fixture("extra_f4_2x3.npy"), "unexpected bytes");
  expect_refused(fixture("does_not_exist.npy"), "no such file");
  expect_refused(fixture(""), "directory");
  expect_refused(fs::path(CQTCNN_TEST_DATA) / "io" / "README.md", "not a .npy file");
}

TEST(Npy, RefusesAbsurdShapeBeforeAllocating) {
  const fs::path p = temp_path("absurd.npy");
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }";
  dict.append(118 - dict.size(), ' ');
  dict += '\n';
  std::ofstream(p, std::ios::binary) << std::string("\x93NUMPY\x01\x00", 8) << char(dict.size()) << char(0) << dict;
  expect_refused(p, "too large");
}

TEST(Npy, RefusesMalformedHeaders) {
  const fs::path p = temp_path("bad_header.npy");
  for (const std::string dict : {"{'descr': '<f4', 'shape': (2,), }", "{'descr': '<f4', 'fortran_order': False, 'shape': (2,-1), }",
                                 "{'descr': '<f4' 'fortran_order': False, 'shape': (2,), }",
                                 "{'descr': '<f3', 'fortran_order': False, 'shape': (2,), }", "not a dict"}) {
    std::ofstream(p, std::ios::binary) << std::string("\x93NUMPY\x01\x00", 8) << char(dict.size()) << char(0) << dict
                                       << std::string(8, '\0');
    EXPECT_THROW(cqtcnn::read_npy(p), cqtcnn::InvalidInput) << dict;
  }
}

TEST(Npy, RoundTripsFloatAndComplex) {
  const fs::path p = temp_path("round.npy");
  const std::vector<std::int64_t> shape{3, 5};
  std::vector<float> v(15);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = float(i) * 0.37f - 2.0f;
  cqtcnn::write_npy(p, shape, std::span<const float>(v));
  EXPECT_EQ(fs::file_size(p) % 64, 60u % 64u);  // 128-byte preamble + 60 data bytes
  const NpyArray back = cqtcnn::read_npy(p);
  EXPECT_EQ(back.shape, shape);
  EXPECT_EQ(back.data, v);

  std::vector<std::complex<float>> c{{1.f, -1.f}, {0.5f, 2.f}};
  const std::vector<std::int64_t> cshape{2};
  cqtcnn::write_npy(p, cshape, std::span<const std::complex<float>>(c));
  EXPECT_EQ(cqtcnn::read_npy_complex(p).data, c);
  // No temporary file is left beside the target.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(p.parent_path())) ++entries;
  EXPECT_LE(entries, 3u);
}

TEST(Npy, HeaderIsAlignedTo64Bytes) {
  const fs::path p = temp_path("aligned.npy");
  for (std::int64_t n : {1, 100, 123456789}) {
    const std::vector<std::int64_t> shape{n == 123456789 ? 0 : n, n};
    std::vector<float> v(std::size_t(shape[0] * shape[1]), 1.0f);
    cqtcnn::write_npy(p, shape, std::span<const float>(v));
    EXPECT_EQ((fs::file_size(p) - v.size() * 4) % 64, 0u);
    EXPECT_EQ(cqtcnn::read_npy(p).shape, shape);
  }
}

TEST(Npy, WriterRefusesMismatchedShape) {
  const fs::path p = temp_path("mismatch.npy");
  std::vector<float> v(5);
  const std::vector<std::int64_t> shape{2, 3};
  EXPECT_THROW(cqtcnn::write_npy(p, shape, std::span<const float>(v)), cqtcnn::InvalidInput);
  EXPECT_FALSE(fs::exists(p));
}

TEST(Npy, WriterFailsCleanlyInMissingDirectory) {
  const fs::path p = temp_path("no_such_dir") / "x.npy";
  std::vector<float> v(1);
  const std::vector<std::int64_t> shape{1};
  try {
    cqtcnn::write_npy(p, shape, std::span<const float>(v));
    FAIL();
  } catch (const cqtcnn::Error& e) {
    EXPECT_NE(std::string(e.what()).find(p.string()), std::string::npos);
  }
}
