// The shared, read-only part of a Cqt: the layout, one sparse kernel per octave and the FFTW
// plans. Streams hold a pointer to it and their own buffers, so one Cqt serves many threads.
#pragma once

#include "cqtcnn/cqt.hpp"
#include "cqt/design.hpp"
#include "cqt/kernel.hpp"

#include <fftw3.h>

#include <vector>

namespace cqtcnn {

struct Cqt::Impl {
  CqtParams params;
  cqt::Design design;
  std::vector<cqt::SparseKernel> kernels;  // per octave, as design.octaves
  std::vector<fftwf_plan> plans;           // per octave (octaves of equal n_fft share one)
  int max_fft = 0;

  explicit Impl(const CqtParams& p);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
};

}  // namespace cqtcnn
