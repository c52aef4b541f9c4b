// A small recursive-descent parser for the subset of Python literals numpy writes in headers:
// a dict of string keys to strings, True/False and tuples of integers.
#include "io/npy_header.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>

namespace cqtcnn::npy {
namespace {

class DictParser {
 public:
  explicit DictParser(std::string_view text) : s_(text) {}

  Header parse() {
    Header h;
    bool have_descr = false, have_order = false, have_shape = false;
    expect('{');
    while (!peek_is('}')) {
      const std::string key = parse_string();
      expect(':');
      if (key == "descr") {
        h.descr = parse_string();
        have_descr = true;
      } else if (key == "fortran_order") {
        h.fortran_order = parse_bool();
        have_order = true;
      } else if (key == "shape") {
        h.shape = parse_shape();
        have_shape = true;
      } else {
        throw std::invalid_argument("unexpected header key '" + key + "'");
      }
      if (!peek_is('}')) expect(',');
    }
    expect('}');
    skip_space();
    if (pos_ != s_.size()) throw std::invalid_argument("trailing characters after the header dict");
    if (!have_descr) throw std::invalid_argument("header has no 'descr'");
    if (!have_order) throw std::invalid_argument("header has no 'fortran_order'");
    if (!have_shape) throw std::invalid_argument("header has no 'shape'");
    return h;
  }

 private:
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool peek_is(char c) {
    skip_space();
    return pos_ < s_.size() && s_[pos_] == c;
  }
  void expect(char c) {
    if (!peek_is(c)) throw std::invalid_argument(std::string("malformed header: expected '") + c + "'");
    ++pos_;
  }
  std::string parse_string() {
    skip_space();
    if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"'))
      throw std::invalid_argument("malformed header: expected a quoted string");
    const char quote = s_[pos_++];
    const std::size_t end = s_.find(quote, pos_);
    if (end == std::string_view::npos) throw std::invalid_argument("malformed header: unterminated string");
    std::string out(s_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return out;
  }
  bool parse_bool() {
    skip_space();
    if (s_.substr(pos_, 4) == "True") return pos_ += 4, true;
    if (s_.substr(pos_, 5) == "False") return pos_ += 5, false;
    throw std::invalid_argument("malformed header: fortran_order is not True or False");
  }
  std::int64_t parse_dim() {
    skip_space();
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s_.data() + pos_, s_.data() + s_.size(), v);
    if (ec == std::errc::result_out_of_range) throw std::invalid_argument("shape dimension too large");
    if (ec != std::errc() || v < 0) throw std::invalid_argument("malformed header: bad shape dimension");
    pos_ = std::size_t(end - s_.data());
    if (pos_ < s_.size() && s_[pos_] == 'L') ++pos_;  // Python 2 long suffix
    return v;
  }
  std::vector<std::int64_t> parse_shape() {
    std::vector<std::int64_t> shape;
    expect('(');
    while (!peek_is(')')) {
      if (shape.size() >= 32) throw std::invalid_argument("shape has more than 32 dimensions");
      shape.push_back(parse_dim());
      if (!peek_is(')')) expect(',');
    }
    expect(')');
    return shape;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string t = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) t += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) t += ",";
  return t + ")";
}

void append_le(std::string& out, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += char((v >> (8 * i)) & 0xff);
}

}  // namespace

Header parse_header_dict(std::string_view text) { return DictParser(text).parse(); }

std::string format_header(std::string_view descr, const std::vector<std::int64_t>& shape, std::size_t min_length,
                          bool fortran_order) {
  std::string dict = "{'descr': '" + std::string(descr) + "', 'fortran_order': " + (fortran_order ? "True" : "False") +
                     ", 'shape': " +
                     shape_text(shape) + ", }";
  const bool v2 = std::max(dict.size() + 1 + 10, min_length) > 65535;
  const std::size_t prefix = v2 ? 12 : 10;  // magic(6) + version(2) + length(2 or 4)
  const std::size_t total = (std::max(prefix + dict.size() + 1, min_length) + 63) / 64 * 64;
  dict.append(total - prefix - dict.size() - 1, ' ');
  dict += '\n';
  std::string out = "\x93NUMPY";
  out += char(v2 ? 2 : 1);
  out += char(0);
  append_le(out, std::uint32_t(dict.size()), v2 ? 4 : 2);
  return out + dict;
}

}  // namespace cqtcnn::npy
