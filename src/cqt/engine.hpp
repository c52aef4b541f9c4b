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
  // Frames are processed `batch` at a time per octave: each frame's rfft (one FFTW plan per
  // distinct n_fft, executed on the stream's buffers) is transposed, for the kernel's columns
  // only, into bin-major split arrays (bin j of frame f at j * batch + f) so that the sparse
  // product runs over contiguous frames. Frame t always sits in slot t % batch and every slot
  // is computed by the same code, so its result does not depend on how the input was split.
  static constexpr int batch = 16;
  std::vector<fftwf_plan> plans;  // per octave (octaves of equal n_fft share one)
  int max_fft = 0;

  explicit Impl(const CqtParams& p);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
};

}  // namespace cqtcnn
