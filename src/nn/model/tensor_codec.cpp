// Weight tensors in the model file: base64 of little-endian float32 (compact, exact and fast
// to decode) or plain JSON numbers for hand-written models. See docs/model-format.md.
#include "nn/model/layer_spec.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <utility>

namespace cqtcnn::nn {
namespace {

// RFC 4648 base64 decoding table; -1 marks characters outside the alphabet.
constexpr std::array<std::int8_t, 256> make_table() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  return t;
}
constexpr auto kBase64 = make_table();

// Decodes exactly `bytes` bytes; false if the text is not canonical base64 of that length.
// Every group but the last holds four alphabet characters: they are decoded without branches,
// an invalid one showing as a negative table entry in `bad`. Only the last may hold padding.
bool decode_base64(const std::string& text, std::size_t bytes, unsigned char* out) {
  if (text.size() != (bytes + 2) / 3 * 4) return false;
  if (text.empty()) return true;
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t full = text.size() / 4 - 1;
  int bad = 0;
  for (std::size_t g = 0; g < full; ++g, in += 4, out += 3) {
    const int a = kBase64[in[0]], b = kBase64[in[1]], c = kBase64[in[2]], d = kBase64[in[3]];
    bad |= a | b | c | d;
    const auto group = static_cast<std::uint32_t>((a << 18) | (b << 12) | (c << 6) | d);
    out[0] = static_cast<unsigned char>(group >> 16);
    out[1] = static_cast<unsigned char>(group >> 8);
    out[2] = static_cast<unsigned char>(group);
  }
  if (bad < 0) return false;
  const std::size_t rest = bytes - 3 * full;  // 1 to 3 bytes in the last group
  std::uint32_t group = 0;
  int valid = 0;
  for (int k = 0; k < 4; ++k) {
    const bool pad = in[k] == '=' && k >= 2;
    if (!pad && kBase64[in[k]] < 0) return false;
    if (pad && k == 2 && in[3] != '=') return false;
    group = (group << 6) | (pad ? 0U : static_cast<std::uint32_t>(kBase64[in[k]]));
    valid += pad ? 0 : 1;
  }
  if (std::size_t(valid - 1) < rest) return false;
  for (std::size_t k = 0; k < rest; ++k) out[k] = static_cast<unsigned char>(group >> (16 - 8 * k));
  return true;
}

std::vector<std::int64_t> read_shape(const nlohmann::json& j, const std::string& file, const std::string& pointer) {
  if (!j.is_array() || j.size() > 8) fail_at(file, pointer + "/shape", "expected an array of at most 8 sizes");
  std::vector<std::int64_t> shape;
  for (const auto& d : j) {
    if (!d.is_number_integer() || d.get<std::int64_t>() < 0)
      fail_at(file, pointer + "/shape", "expected non-negative integer sizes");
    shape.push_back(d.get<std::int64_t>());
  }
  return shape;
}

std::vector<float> from_numbers(const nlohmann::json& data, std::int64_t count, const std::string& file,
                                const std::string& pointer, const std::string& what) {
  if (!data.is_array()) fail_at(file, pointer, "expected an array of numbers");
  if (static_cast<std::int64_t>(data.size()) != count)
    fail_at(file, pointer, "expected " + std::to_string(count) + " values" + what + ", got " + std::to_string(data.size()));
  std::vector<float> values(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!data[i].is_number()) fail_at(file, pointer + "/" + std::to_string(i), "expected a number");
    // Range-checked in double: converting a double beyond float's range is undefined behaviour.
    const double v = data[i].get<double>();
    if (!(std::abs(v) <= std::numeric_limits<float>::max()))
      fail_at(file, pointer, "value " + std::to_string(i) + " is not finite in float32");
    values[i] = static_cast<float>(v);
  }
  return values;
}

// Both byte forms hold little-endian float32: swapped in place on a big-endian machine.
std::vector<float> from_little_endian(std::vector<float> values) {
  if constexpr (std::endian::native == std::endian::big) {
    for (auto& v : values) v = std::bit_cast<float>(__builtin_bswap32(std::bit_cast<std::uint32_t>(v)));
  }
  return values;
}

// Tensor bytes in the stored form (nn/model/stored_model.hpp): `offset` into `stored`, the
// little-endian float32 values of `count` floats, read in place (no copy of the block).
std::vector<float> from_stored(const nlohmann::json& data, std::span<const std::uint8_t> stored, std::int64_t count,
                               const std::string& file, const std::string& pointer, const std::string& what) {
  const auto offset = data.get<std::uint64_t>();
  const auto bytes = static_cast<std::uint64_t>(count) * 4;
  if (offset > stored.size() || bytes > stored.size() - offset)
    fail_at(file, pointer, "tensor bytes out of range (" + std::to_string(count) + " values" + what + " at byte " +
                               std::to_string(offset) + " of " + std::to_string(stored.size()) + ")");
  // Built from the bytes (four at a time) rather than zeroed and then overwritten.
  struct Reader {
    using iterator_category = std::forward_iterator_tag;
    using value_type = float;
    using difference_type = std::ptrdiff_t;
    using pointer = const float*;
    using reference = float;
    const std::uint8_t* at;
    float operator*() const {
      float v;
      std::memcpy(&v, at, sizeof v);
      return v;
    }
    Reader& operator++() {
      at += sizeof(float);
      return *this;
    }
    Reader operator++(int) {
      Reader old = *this;
      at += sizeof(float);
      return old;
    }
    bool operator==(const Reader&) const = default;
  };
  const std::uint8_t* first = stored.data() + offset;
  std::vector<float> values(Reader{first}, Reader{first + bytes});
  return from_little_endian(std::move(values));
}

std::vector<float> from_base64(const nlohmann::json& data, std::int64_t count, const std::string& file,
                               const std::string& pointer, const std::string& what) {
  if (!data.is_string()) fail_at(file, pointer, "expected a base64 string");
  const auto& text = data.get_ref<const std::string&>();
  const std::size_t bytes = static_cast<std::size_t>(count) * 4;
  if (text.size() != (bytes + 2) / 3 * 4)
    fail_at(file, pointer, "expected " + std::to_string(count) + " values" + what + ", got " +
                               std::to_string(text.size() / 4 * 3 / 4) + " (base64 length " +
                               std::to_string(text.size()) + ")");
  std::vector<float> values(static_cast<std::size_t>(count));
  if (!decode_base64(text, bytes, reinterpret_cast<unsigned char*>(values.data())))
    fail_at(file, pointer, "invalid base64 data");
  return from_little_endian(std::move(values));
}

}  // namespace

std::vector<float> decode_tensor(const nlohmann::json& j, const std::vector<std::int64_t>& expected,
                                 const std::string& file, const std::string& pointer,
                                 std::vector<std::int64_t>* shape_out, const std::string& what,
                                 std::span<const std::uint8_t> stored) {
  std::vector<std::int64_t> shape = expected;
  std::vector<float> values;
  if (j.is_array()) {
    values = from_numbers(j, checked_count(expected, file, pointer), file, pointer, what);
  } else if (j.is_object()) {
    for (const auto& [key, v] : j.items())
      if (key != "dtype" && key != "shape" && key != "data" && key != "data_b64")
        fail_at(file, pointer + "/" + key, "unknown tensor field");
    if (j.contains("dtype") && j["dtype"] != "float32") fail_at(file, pointer + "/dtype", "expected \"float32\"");
    if (!j.contains("shape")) fail_at(file, pointer + "/shape", "missing");
    shape = read_shape(j["shape"], file, pointer);
    if (!expected.empty() && shape != expected)
      fail_at(file, pointer + "/shape", "expected " + shape_text(expected) + what + ", got " + shape_text(shape));
    const std::int64_t count = checked_count(shape, file, pointer + "/shape");
    if (j.contains("data_b64") == j.contains("data"))
      fail_at(file, pointer, "expected exactly one of \"data_b64\" and \"data\"");
    if (!j.contains("data_b64"))
      values = from_numbers(j["data"], count, file, pointer + "/data", what);
    else if (j["data_b64"].is_number_unsigned() && stored.data())  // an offset, in a model's stored form only
      values = from_stored(j["data_b64"], stored, count, file, pointer + "/data_b64", what);
    else
      values = from_base64(j["data_b64"], count, file, pointer + "/data_b64", what);
  } else {
    fail_at(file, pointer, "expected a tensor (an object with shape and data_b64, or an array of numbers)");
  }
  // One branch-free pass (it vectorises: a float is not finite when its exponent bits are all
  // set), then the search for the first bad value only when there is one.
  std::uint32_t exponents = 0;
  for (const float v : values) exponents = std::max(exponents, std::bit_cast<std::uint32_t>(v) & 0x7f800000U);
  if (exponents == 0x7f800000U)
    for (std::size_t i = 0; i < values.size(); ++i)
      if (!std::isfinite(values[i])) fail_at(file, pointer, "value " + std::to_string(i) + " is not finite");
  if (shape_out) *shape_out = shape;
  return values;
}

}  // namespace cqtcnn::nn
