// The packed form of a Cqt's filter banks, and the process's provided sets (precomputed.hpp).
// Layout, native byte order (the packing build and the binary that reads it are the same target):
//   "cqtcnn-filters/1\n" (17 bytes), the parameters (sr, then for_each_cqt_param's order; numbers
//   as double, int32 or one byte, the window as an int32 length and its bytes), int32 octaves,
//   and per octave int32 n_taps, int32 n_bins and n_taps x 2 n_bins float taps.
#include "cqt/precomputed.hpp"

#include "cqtcnn/error.hpp"

#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>

namespace cqtcnn::cqt {
namespace {

constexpr std::string_view kMagic = "cqtcnn-filters/1\n";

class Writer {
 public:
  std::vector<unsigned char> bytes;
  template <typename T>
  void raw(const T& v) {
    const auto* p = reinterpret_cast<const unsigned char*>(&v);
    bytes.insert(bytes.end(), p, p + sizeof(T));
  }
  void put(double v) { raw(v); }
  void put(int v) { raw(std::int32_t(v)); }
  void put(bool v) { raw(std::uint8_t(v)); }
  void put(PadMode v) { raw(std::uint8_t(v)); }
  void put(const std::string& v) {
    put(int(v.size()));
    bytes.insert(bytes.end(), v.begin(), v.end());
  }
};

class Reader {
 public:
  explicit Reader(std::span<const unsigned char> b) : b_(b) {}
  const unsigned char* take(std::size_t n) {
    if (n > b_.size() - at_) throw Error("packed filter banks: truncated");
    const unsigned char* p = b_.data() + at_;
    at_ += n;
    return p;
  }
  template <typename T>
  T raw() {
    T v;
    std::memcpy(&v, take(sizeof(T)), sizeof(T));
    return v;
  }
  void get(double& v) { v = raw<double>(); }
  void get(int& v) { v = raw<std::int32_t>(); }
  void get(bool& v) { v = raw<std::uint8_t>() != 0; }
  void get(PadMode& v) { v = PadMode(raw<std::uint8_t>()); }
  void get(std::string& v) {
    int n = 0;
    get(n);
    if (n < 0) throw Error("packed filter banks: bad window name");
    const auto* p = take(std::size_t(n));
    v.assign(reinterpret_cast<const char*>(p), std::size_t(n));
  }
  bool done() const { return at_ == b_.size(); }

 private:
  std::span<const unsigned char> b_;
  std::size_t at_ = 0;
};

struct PackedOctave {
  int n_taps = 0, n_bins = 0;
  const unsigned char* taps = nullptr;  // n_taps * 2 n_bins floats, unaligned
};

struct Provided {
  CqtParams params;
  std::vector<PackedOctave> octaves;
};

Provided unpack(std::span<const unsigned char> packed) {
  Reader r(packed);
  if (std::memcmp(r.take(kMagic.size()), kMagic.data(), kMagic.size()) != 0)
    throw Error("packed filter banks: not a packed set");
  Provided set;
  r.get(set.params.sr);
  for_each_cqt_param([&](const auto&, auto member) { r.get(set.params.*member); });
  int n_octaves = 0;
  r.get(n_octaves);
  for (int i = 0; i < n_octaves; ++i) {
    PackedOctave o;
    r.get(o.n_taps);
    r.get(o.n_bins);
    if (o.n_taps <= 0 || o.n_bins <= 0) throw Error("packed filter banks: bad octave shape");
    o.taps = r.take(std::size_t(o.n_taps) * 2 * std::size_t(o.n_bins) * sizeof(float));
    set.octaves.push_back(o);
  }
  if (!r.done()) throw Error("packed filter banks: trailing bytes");
  return set;
}

std::mutex provided_mutex;
std::vector<Provided>& provided() {
  static std::vector<Provided> sets;
  return sets;
}

}  // namespace

std::vector<unsigned char> pack_filter_banks(const CqtParams& p) {
  const Design d = make_design(p);
  const std::vector<FilterBank> banks = design_filter_banks(p, d);
  Writer w;
  w.bytes.assign(kMagic.begin(), kMagic.end());
  w.put(p.sr);
  for_each_cqt_param([&](const auto&, auto member) { w.put(p.*member); });
  w.put(int(banks.size()));
  for (const FilterBank& b : banks) {
    w.put(b.n_taps);
    w.put(b.n_bins);
    for (int n = 0; n < b.n_taps; ++n)
      for (int c = 0; c < 2 * b.n_bins; ++c) w.raw(b.taps()[std::size_t(n) * std::size_t(b.stride) + std::size_t(c)]);
  }
  return w.bytes;
}

void provide_filter_banks(std::span<const unsigned char> packed) {
  Provided set = unpack(packed);
  const std::lock_guard lock(provided_mutex);
  for (Provided& s : provided())
    if (s.params == set.params) {
      s = std::move(set);
      return;
    }
  provided().push_back(std::move(set));
}

std::vector<FilterBank> provided_filter_banks(const CqtParams& p, const Design& d) {
  const std::lock_guard lock(provided_mutex);
  for (const Provided& s : provided()) {
    if (!(s.params == p) || s.octaves.size() != d.octaves.size()) continue;
    bool fits = true;
    for (std::size_t i = 0; i < s.octaves.size(); ++i)
      fits = fits && s.octaves[i].n_taps == d.octaves[i].n_fft && s.octaves[i].n_bins == d.octaves[i].n_bins;
    if (!fits) continue;
    std::vector<FilterBank> banks;
    for (const PackedOctave& o : s.octaves) {
      FilterBank b = zero_filter_bank(o.n_taps, o.n_bins);
      const std::size_t row = 2 * std::size_t(o.n_bins) * sizeof(float);
      for (int n = 0; n < o.n_taps; ++n)
        std::memcpy(b.storage.data() + b.offset + std::size_t(n) * std::size_t(b.stride), o.taps + std::size_t(n) * row, row);
      banks.push_back(std::move(b));
    }
    return banks;
  }
  return {};
}

}  // namespace cqtcnn::cqt
