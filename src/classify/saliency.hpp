// Which parts of a network input a class's score depends on, by occlusion (Zeiler & Fergus 2014,
// "Visualizing and understanding convolutional networks", section 4.2): a patch of the input is
// set to a baseline (silence), the network is run again, and the drop in the class's
// probability is credited to the cells of the patch. A cell's saliency is the mean drop over all
// the patch positions that cover it:
//   S[h][w] = mean over patches P containing (h, w) of  p(c | x) - p(c | x with P := baseline)
// Positive cells support the class, negative ones count against it. Only forward passes of the
// model's own layers are needed, so it works for every layer kind the engine has.
//
//   std::vector<float> s = cqtcnn::occlusion_saliency(model, window, top_class, baseline);
#pragma once

#include "cqtcnn/model.hpp"

#include <cstddef>
#include <span>
#include <vector>

namespace cqtcnn {

struct OcclusionOptions {
  int patch_rows = 8;   // patch height (bins)
  int patch_cols = 8;   // patch width (frames)
  int stride_rows = 2;  // step between patch positions; the first position starts
  int stride_cols = 4;  // patch - stride before the input, so edge cells are covered as often
  int threads = 1;      // RunOptions::threads for the batched forward passes
};

// The first row (or column) of every patch position along an axis of `size` cells: from
// stride - patch in steps of stride while the patch still overlaps the input. Patches are
// clipped to the input.
std::vector<int> occlusion_starts(int size, int patch, int stride);

// Saliency of class `target` for one sample `input` (model.input_shape() values, NCHW with
// N = 1), H x W values (all channels of a cell are occluded together). `baseline` holds the
// value an occluded cell takes, one per row (H values). Throws InvalidInput for sizes that do
// not fit or a class out of range.
std::vector<float> occlusion_saliency(const Model& model, std::span<const float> input, std::size_t target,
                                      std::span<const float> baseline, const OcclusionOptions& options = {});

}  // namespace cqtcnn
