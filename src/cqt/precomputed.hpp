// Filter banks designed at build time. Designing a front end's filters (the wavelets, their
// FFTs with a freshly planned FFTW, the sparsification and the DFT back to taps) is about a
// quarter of the instructions of a short `cqtcnn classify`. cmake/embed_model.cpp therefore packs
// the built-in model's banks into the binary, and the CLI hands them over before the model is
// built (classify/model_search.cpp); a Cqt whose parameters equal a provided set's, field for field,
// takes its banks from there instead of designing them. The packed taps are the ones the run-time
// design computes (embed_model checks it), so the numbers do not change; other parameters are
// designed as always.
#pragma once

#include "cqt/filter_bank.hpp"

#include <span>
#include <vector>

namespace cqtcnn::cqt {

// The banks of a Cqt with parameters p, designed now, in the packed form: the parameters, then
// per octave its taps and bins and the n_taps x 2 n_bins tap values without the SIMD padding
// (whose width depends on the CPU that runs it).
std::vector<unsigned char> pack_filter_banks(const CqtParams& p);

// Makes a packed set (which must outlive every later Cqt) available to the Cqts built after
// this; a set for the same parameters replaces the earlier one. Throws Error if it is not a
// packed set. Thread-safe.
void provide_filter_banks(std::span<const unsigned char> packed);

// The banks of a provided set whose parameters equal p and whose octaves match the design's
// layout, padded for this CPU; empty if there is none.
std::vector<FilterBank> provided_filter_banks(const CqtParams& p, const Design& d);

}  // namespace cqtcnn::cqt
