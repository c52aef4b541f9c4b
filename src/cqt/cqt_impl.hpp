// The shared, read-only part of a Cqt: the layout and one time-domain filter bank per octave
// (the octave's sparse spectral kernel in its equivalent dense form, see filter_bank.hpp).
// Streams hold a pointer to it and their own buffers, so one Cqt serves many threads.
#pragma once

#include "cqtcnn/cqt.hpp"
#include "cqt/design.hpp"
#include "cqt/filter_bank.hpp"

#include <vector>

namespace cqtcnn {

struct Cqt::Impl {
  CqtParams params;
  cqt::Design design;
  std::vector<cqt::FilterBank> filters;  // per octave, as design.octaves

  explicit Impl(const CqtParams& p);
};

}  // namespace cqtcnn
