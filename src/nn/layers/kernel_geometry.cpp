#include "nn/layers/kernel_geometry.hpp"

#include <algorithm>
#include <sstream>

namespace cqtcnn::nn {

namespace {
using geometry::kMaxSize;

// "same" padding for one axis: the total that makes out = ceil(in/s), the odd pixel after.
std::pair<std::int64_t, std::int64_t> same_padding(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d) {
  const std::int64_t out = (in + s - 1) / s;
  const std::int64_t total = std::max<std::int64_t>((out - 1) * s + d * (k - 1) + 1 - in, 0);
  return {total / 2, total - total / 2};
}
}  // namespace

std::int64_t kernel_output_size(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, std::int64_t before,
                           std::int64_t after, bool ceil_mode) {
  const std::int64_t span = in + before + after - (d * (k - 1) + 1);
  if (span < 0) return 0;
  std::int64_t out = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
  if (ceil_mode && (out - 1) * s >= in + before) --out;
  return out;
}

Padding KernelGeometry::resolve(Shape in) const {
  if (!same) return pad;
  const auto [top, bottom] = same_padding(in.h, kh, sh, dh);
  const auto [left, right] = same_padding(in.w, kw, sw, dw);
  return {top, bottom, left, right};
}

std::pair<std::int64_t, std::int64_t> KernelGeometry::output_hw(Shape in) const {
  const Padding p = resolve(in);
  const std::int64_t oh = kernel_output_size(in.h, kh, sh, dh, p.top, p.bottom, ceil_mode);
  const std::int64_t ow = kernel_output_size(in.w, kw, sw, dw, p.left, p.right, ceil_mode);
  if (oh <= 0 || ow <= 0)
    throw InvalidInput("kernel " + std::to_string(dh * (kh - 1) + 1) + "x" + std::to_string(dw * (kw - 1) + 1) +
                       " (dilated) does not fit input " + std::to_string(in.h) + "x" + std::to_string(in.w) +
                       " with padding " + std::to_string(p.top) + "," + std::to_string(p.bottom) + "," +
                       std::to_string(p.left) + "," + std::to_string(p.right));
  return {oh, ow};
}

std::string KernelGeometry::describe() const {
  // A stream rather than operator+ chains, which trip GCC 12's false -Wrestrict warning.
  std::ostringstream s;
  s << kh << 'x' << kw << " s" << sh;
  if (sw != sh) s << ',' << sw;
  if (dh != 1 || dw != 1) s << " d" << dh << ',' << dw;
  if (same) s << " same";
  else if (pad.top || pad.bottom || pad.left || pad.right)
    s << " pad " << pad.top << ',' << pad.bottom << ',' << pad.left << ',' << pad.right;
  if (ceil_mode) s << " ceil";
  return s.str();
}

namespace {
Padding read_padding(LayerSpec& spec, KernelGeometry& w) {
  const nlohmann::json* j = spec.padding(geometry::padding);
  if (!j) return {};
  auto in_range = [](const nlohmann::json& v) {
    return v.is_number_integer() && v.get<std::int64_t>() >= 0 && v.get<std::int64_t>() <= kMaxSize;
  };
  const std::string text = j->is_string() ? j->get<std::string>() : "";
  if (text == "valid") return {};
  if (text == "same") {
    w.same = true;
    return {};
  }
  if (in_range(*j)) {
    const auto p = j->get<std::int64_t>();
    return {p, p, p, p};
  }
  if (j->is_array() && std::all_of(j->begin(), j->end(), in_range)) {
    auto at = [&](std::size_t i) { return (*j)[i].get<std::int64_t>(); };
    if (j->size() == 2) return {at(0), at(0), at(1), at(1)};
    if (j->size() == 4) return {at(0), at(1), at(2), at(3)};
  }
  spec.fail("padding", "expected \"valid\", \"same\", an integer, [h, w] or [top, bottom, left, right] >= 0, got " +
                           j->dump().substr(0, 40));
}
}  // namespace

KernelGeometry read_kernel_geometry(LayerSpec& spec, bool pool) {
  KernelGeometry w;
  const auto kernel = spec.pair(geometry::kernel_size);
  w.kh = kernel[0];
  w.kw = kernel[1];
  const auto stride = pool ? spec.pair(geometry::pool_stride, kernel) : spec.pair(geometry::stride);
  w.sh = stride[0];
  w.sw = stride[1];
  if (spec.declares(geometry::dilation.name)) {
    const auto dilation = spec.pair(geometry::dilation);
    w.dh = dilation[0];
    w.dw = dilation[1];
  }
  w.pad = read_padding(spec, w);
  if (pool) w.ceil_mode = spec.boolean(geometry::ceil_mode);
  return w;
}

}  // namespace cqtcnn::nn
