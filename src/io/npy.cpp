// Reading and writing .npy files (numpy/lib/format.py, format versions 1.0, 2.0 and 3.0).
#include "io/npy.hpp"

#include "io/atomic_file.hpp"
#include "cqtcnn/error.hpp"
#include "io/npy_header.hpp"

#include <bit>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

static_assert(std::endian::native == std::endian::little, "the .npy code assumes a little-endian host");

namespace cqtcnn {
namespace {

// Refuse arrays beyond this many elements (2^34 floats = 64 GiB): a header that claims more
// is corrupt or hostile, and would otherwise reach the allocator.
constexpr std::uint64_t kMaxElements = std::uint64_t(1) << 34;

enum class Kind { floating, signed_int, unsigned_int, boolean, complex };

struct Dtype {
  Kind kind;
  std::size_t itemsize;
};

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& problem) {
  throw InvalidInput(path.string() + ": " + problem);
}

Dtype parse_descr(const std::filesystem::path& path, const std::string& descr) {
  if (descr.size() < 3) fail(path, "unsupported dtype '" + descr + "'");
  const char order = descr[0];
  const char code = descr[1];
  std::size_t size = 0;
  try {
    size = std::stoul(descr.substr(2));
  } catch (const std::exception&) {
    fail(path, "unsupported dtype '" + descr + "'");
  }
  if (order == '>' || (order == '!'))
    fail(path, "big-endian dtype '" + descr + "' is not supported (save with dtype '<" + descr.substr(1) + "')");
  if (order != '<' && !(order == '|' && size == 1))
    fail(path, "unsupported dtype '" + descr + "'");
  auto ok = [&](Kind kind, std::initializer_list<std::size_t> sizes) {
    for (std::size_t s : sizes)
      if (s == size) return Dtype{kind, size};
    fail(path, "unsupported dtype '" + descr + "'");
  };
  switch (code) {
    case 'f': return ok(Kind::floating, {4, 8});
    case 'i': return ok(Kind::signed_int, {1, 2, 4, 8});
    case 'u': return ok(Kind::unsigned_int, {1, 2, 4, 8});
    case 'b': return ok(Kind::boolean, {1});
    case 'c': return ok(Kind::complex, {8, 16});
    default: fail(path, "unsupported dtype '" + descr + "'");
  }
}

template <typename T>
T load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// One element as a complex number (imaginary part 0 for real types).
std::complex<double> element(const char* p, Dtype t) {
  switch (t.kind) {
    case Kind::floating: return t.itemsize == 4 ? load<float>(p) : load<double>(p);
    case Kind::complex:
      return t.itemsize == 8 ? std::complex<double>(load<float>(p), load<float>(p + 4))
                             : std::complex<double>(load<double>(p), load<double>(p + 8));
    case Kind::boolean: return *p != 0 ? 1.0 : 0.0;
    case Kind::signed_int:
      switch (t.itemsize) {
        case 1: return double(load<std::int8_t>(p));
        case 2: return double(load<std::int16_t>(p));
        case 4: return double(load<std::int32_t>(p));
        default: return double(load<std::int64_t>(p));
      }
    case Kind::unsigned_int:
      switch (t.itemsize) {
        case 1: return double(load<std::uint8_t>(p));
        case 2: return double(load<std::uint16_t>(p));
        case 4: return double(load<std::uint32_t>(p));
        default: return double(load<std::uint64_t>(p));
      }
  }
  return 0.0;
}

struct Opened {
  std::ifstream in;
  npy::Header header;
  Dtype dtype;
  std::uint64_t count;  // number of elements
};

std::uint64_t read_le(std::ifstream& in, int bytes) {
  unsigned char b[4] = {};
  in.read(reinterpret_cast<char*>(b), bytes);
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | b[i];
  return v;
}

// Opens the file, parses and validates the preamble, and checks that exactly the data bytes
// the shape implies follow it — all before anything is allocated for the data.
Opened open_npy(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) fail(path, "no such file");
  if (std::filesystem::is_directory(status)) fail(path, "is a directory, not a .npy file");
  const std::uint64_t file_size = std::filesystem::file_size(path, ec);
  if (ec) fail(path, "cannot read file (" + ec.message() + ")");
  Opened o{std::ifstream(path, std::ios::binary), {}, {}, 0};
  if (!o.in) fail(path, "cannot open file");
  char magic[6] = {};
  o.in.read(magic, 6);
  if (!o.in || std::memcmp(magic, "\x93NUMPY", 6) != 0) fail(path, "not a .npy file (bad magic)");
  const int major = o.in.get();
  o.in.get();  // minor version: unused
  if (major < 1 || major > 3) fail(path, "unsupported .npy format version " + std::to_string(major));
  const int len_bytes = major == 1 ? 2 : 4;
  const std::uint64_t header_len = read_le(o.in, len_bytes);
  const std::uint64_t data_offset = 8 + std::uint64_t(len_bytes) + header_len;
  if (!o.in || data_offset > file_size) fail(path, "truncated .npy header");
  std::string text(header_len, '\0');
  o.in.read(text.data(), std::streamsize(header_len));
  try {
    o.header = npy::parse_header_dict(text);
  } catch (const std::invalid_argument& e) {
    fail(path, e.what());
  }
  o.dtype = parse_descr(path, o.header.descr);
  std::uint64_t count = 1;
  for (std::int64_t d : o.header.shape)
    if (__builtin_mul_overflow(count, std::uint64_t(d), &count) || count > kMaxElements)
      fail(path, "shape is too large");
  const std::uint64_t want = count * o.dtype.itemsize;
  const std::uint64_t have = file_size - data_offset;
  if (have < want)
    fail(path, "truncated: shape needs " + std::to_string(want) + " data bytes, file has " + std::to_string(have));
  if (have > want)
    fail(path, std::to_string(have - want) + " unexpected bytes after the data");
  o.count = count;
  return o;
}

// Reads the data in chunks, converting each element with `store(index, value)`.
template <typename Store>
void read_elements(Opened& o, const std::filesystem::path& path, Store store) {
  constexpr std::size_t kChunkElements = 1 << 16;
  std::vector<char> buf(kChunkElements * o.dtype.itemsize);
  for (std::uint64_t done = 0; done < o.count;) {
    const std::size_t n = std::size_t(std::min<std::uint64_t>(kChunkElements, o.count - done));
    o.in.read(buf.data(), std::streamsize(n * o.dtype.itemsize));
    if (!o.in) fail(path, "read error in the data");
    for (std::size_t i = 0; i < n; ++i) store(done + i, element(buf.data() + i * o.dtype.itemsize, o.dtype));
    done += n;
  }
}

// Fortran-ordered data (what librosa returns, and numpy.save keeps) holds element
// (i0, ..., in) at i0 + d0 * (i1 + d1 * (...)); rearrange it to C order.
template <typename T>
std::vector<T> fortran_to_c(const std::vector<T>& f, const std::vector<std::int64_t>& shape) {
  const std::size_t rank = shape.size();
  if (rank < 2 || f.empty()) return f;
  std::vector<std::size_t> f_stride(rank, 1);
  for (std::size_t a = 1; a < rank; ++a) f_stride[a] = f_stride[a - 1] * std::size_t(shape[a - 1]);
  std::vector<T> c(f.size());
  std::vector<std::size_t> index(rank, 0);  // C-order counter, last axis fastest
  std::size_t offset = 0;                   // the counter's position in `f`
  for (std::size_t i = 0; i < c.size(); ++i) {
    c[i] = f[offset];
    for (std::size_t a = rank; a-- > 0;) {
      offset += f_stride[a];
      if (++index[a] < std::size_t(shape[a])) break;
      offset -= f_stride[a] * std::size_t(shape[a]);
      index[a] = 0;
    }
  }
  return c;
}

template <typename T>
void write_any(const std::filesystem::path& path, std::span<const std::int64_t> shape,
               std::span<const T> data, const char* descr) {
  std::uint64_t count = 1;
  for (std::int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(count, std::uint64_t(d), &count))
      throw InvalidInput(path.string() + ": invalid array shape");
  if (count != data.size())
    throw InvalidInput(path.string() + ": shape has " + std::to_string(count) + " elements but " +
                       std::to_string(data.size()) + " were given");
  const std::string header = npy::format_header(descr, {shape.begin(), shape.end()});
  write_file_atomically(path, [&](std::FILE* f) {
    write_bytes(f, header.data(), header.size(), path);
    write_bytes(f, data.data(), data.size_bytes(), path);
  });
}

}  // namespace

NpyArray read_npy(const std::filesystem::path& path) {
  Opened o = open_npy(path);
  if (o.dtype.kind == Kind::complex)
    fail(path, "complex dtype '" + o.header.descr + "' where a real array is expected");
  NpyArray a;
  a.shape = o.header.shape;
  a.data.resize(o.count);
  read_elements(o, path, [&](std::uint64_t i, std::complex<double> v) { a.data[i] = float(v.real()); });
  if (o.header.fortran_order) a.data = fortran_to_c(a.data, a.shape);
  return a;
}

NpyComplexArray read_npy_complex(const std::filesystem::path& path) {
  Opened o = open_npy(path);
  NpyComplexArray a;
  a.shape = o.header.shape;
  a.data.resize(o.count);
  read_elements(o, path, [&](std::uint64_t i, std::complex<double> v) { a.data[i] = std::complex<float>(v); });
  if (o.header.fortran_order) a.data = fortran_to_c(a.data, a.shape);
  return a;
}

void write_npy(const std::filesystem::path& path, std::span<const std::int64_t> shape,
               std::span<const float> data) {
  write_any(path, shape, data, "<f4");
}

void write_npy(const std::filesystem::path& path, std::span<const std::int64_t> shape,
               std::span<const std::complex<float>> data) {
  write_any(path, shape, data, "<c8");
}

}  // namespace cqtcnn
