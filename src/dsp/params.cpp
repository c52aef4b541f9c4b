// The checks and texts of the parameter declarations (cqtcnn/params.hpp).
#include "cqtcnn/params.hpp"

#include <charconv>
#include <cmath>

namespace cqtcnn {

std::string format_number(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[64];
  const std::string_view text(buf, std::size_t(std::to_chars(buf, buf + sizeof buf, x).ptr - buf));
  // to_chars writes exponents as e+09 / e-05; the docs read better as e9 / e-5.
  const auto e = text.find('e');
  if (e == std::string_view::npos) return std::string(text);
  std::string s(text.substr(0, e + 1));
  if (text[e + 1] == '-') s += '-';
  std::string_view digits = text.substr(e + 2);
  while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
  s += digits;
  return s;
}

template <typename T>
std::string NumberParam<T>::range() const {
  std::string s(min_open ? "(" : "[");  // built by appending: GCC 12 warns wrongly on "(" + string
  s += format_number(min) + ", " + format_number(max);
  s += max_open ? ")" : "]";
  return s;
}

template <typename T>
std::string NumberParam<T>::check(double value) const {
  const bool above_min = min_open ? value > min : value >= min;
  const bool below_max = max_open ? value < max : value <= max;
  if (above_min && below_max && std::isfinite(value)) return {};
  return "must be in " + range() + ", got " + format_number(value);
}

template <typename T>
std::string NumberParam<T>::default_text() const {
  return default_from.empty() ? format_number(default_value) : std::string(default_from);
}

template struct NumberParam<int>;
template struct NumberParam<double>;

std::string ChoiceParam::range() const {
  std::string s;
  for (const auto c : choices) s += (s.empty() ? "" : ", ") + std::string(c);
  return s;
}

std::string ChoiceParam::check(std::string_view value) const {
  if (index(value) < choices.size()) return {};
  std::string s = "\"";
  s += value;
  s += "\" is not one of: " + range();
  return s;
}

std::string NormParam::check(double value) const {
  return value >= 0 ? std::string() : "must be > 0, inf or none, got " + format_number(value);
}

std::string NormParam::default_text() const {
  return default_value == 0 ? "none" : format_number(default_value);
}

}  // namespace cqtcnn
