// cqtcnn.cqt, cqtcnn.vqt and cqtcnn.amplitude_to_db: librosa 0.10's signatures, defaults and
// results, computed by the library (cqtcnn/cqt.hpp, cqtcnn/decibels.hpp) with the GIL released.
// An argument the library cannot honour raises ValueError naming it, never a silent difference.
#include "cqtcnn/cqt.hpp"
#include "cqtcnn/decibels.hpp"
#include "cqtcnn/error.hpp"
#include "python/bindings.hpp"
#include "python/docstrings.hpp"

#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <memory>
#include <mutex>
#include <optional>

namespace cqtcnn::python {
namespace {

// librosa's keyword arguments that are not plain numbers, as Python gave them.
struct Spelled {
  std::optional<double> fmin, tuning;
  py::object norm, window, pad_mode, dtype;
  std::optional<std::string> res_type;
};

// Runs f, naming `function` in the library's messages ("cqt: hop_length ..." raised by vqt says vqt).
template <typename F>
auto naming(const std::string& function, F&& f) {
  try {
    return f();
  } catch (const InvalidInput& e) {
    std::string message = e.what();
    if (message.rfind("cqt: ", 0) == 0) message.erase(0, 5);
    throw InvalidInput(message.rfind(function + ": ", 0) == 0 ? message : function + ": " + message);
  }
}

// librosa's norm: None (no normalisation), inf or a p-norm p > 0; CqtParams holds None as 0.
double norm_of(const py::object& norm, const std::string& function) {
  if (norm.is_none()) return 0.0;
  const double p = py::float_(norm);
  if (p == 0)
    throw InvalidInput(function + ": norm=0 (dividing by the count of non-zero values) is not supported; "
                       "give a p-norm > 0, inf or None");
  if (p == -INFINITY) throw InvalidInput(function + ": norm=-inf (the minimum) is not supported; give a p-norm > 0, inf or None");
  return p;  // the library refuses any other negative value
}

std::string name_of(const py::object& value, const ChoiceParam& param, const std::string& function) {
  if (!py::isinstance<py::str>(value))
    throw InvalidInput(function + ": " + std::string(param.name) + " must be one of the names " + param.range() + "; " +
                       py::repr(value).cast<std::string>() + " (a tuple, number or function) is not supported");
  const std::string name = value.cast<std::string>();
  if (const std::string problem = param.check(name); !problem.empty())
    throw InvalidInput(function + ": " + std::string(param.name) + " " + problem);
  return name;
}

// The parameters of librosa.vqt(y, sr=..., ...) as the library's; gamma < 0 is its ERB (None).
CqtParams params_of(double sr, int hop_length, int n_bins, int bins_per_octave, double filter_scale, double sparsity,
                    bool scale, double gamma, const Spelled& s, const std::string& function) {
  if (!s.tuning)
    throw InvalidInput(function + ": tuning=None (estimating the tuning from y) is not supported; give the offset "
                       "in fractions of a bin, in [-0.5, 0.5]");
  if (s.res_type && *s.res_type != "soxr_hq")
    throw InvalidInput(function + ": res_type \"" + *s.res_type +
                       "\" is not supported; only \"soxr_hq\" (librosa's default; None means the same)");
  CqtParams p = CqtParams::librosa(sr);
  p.hop_length = hop_length;
  if (s.fmin) p.fmin = *s.fmin;
  p.n_bins = n_bins;
  p.bins_per_octave = bins_per_octave;
  p.tuning = *s.tuning;
  p.filter_scale = filter_scale;
  p.norm = norm_of(s.norm, function);
  p.sparsity = sparsity;
  p.window = name_of(s.window, params::cqt::window, function);
  p.scale = scale;
  p.pad_mode = PadMode(params::cqt::pad_mode.index(name_of(s.pad_mode, params::cqt::pad_mode, function)));
  p.gamma = gamma;
  return p;
}

// librosa's output dtype: the complex type of y's precision (complex64 for float32, complex128 for
// float64), or the one asked for.
py::dtype output_dtype(const py::array& y, const py::object& dtype, const std::string& function) {
  const py::module_ np = py::module_::import("numpy");
  const py::dtype wanted = dtype.is_none() ? py::dtype::from_args(np.attr("result_type")(y.dtype(), np.attr("complex64")))
                                           : py::dtype::from_args(dtype);
  if (!wanted.equal(py::dtype::of<std::complex<float>>()) && !wanted.equal(py::dtype::of<std::complex<double>>()))
    throw InvalidInput(function + ": dtype " + wanted.attr("name").cast<std::string>() +
                       " is not supported; give None, complex64 or complex128");
  return wanted;
}

// A Cqt per parameter set, built once: designing the filter banks costs more than transforming a
// short clip, and librosa users call cqt() clip after clip with the same arguments.
std::shared_ptr<const Cqt> cqt_for(const CqtParams& p) {
  constexpr std::size_t kKept = 8;
  static std::mutex mutex;
  static std::vector<std::shared_ptr<const Cqt>> kept;  // most recently used last
  {
    std::lock_guard lock(mutex);
    for (auto it = kept.begin(); it != kept.end(); ++it)
      if ((*it)->params() == p) {
        auto found = *it;
        kept.erase(it);
        kept.push_back(found);
        return found;
      }
  }
  auto built = std::make_shared<const Cqt>(p);  // unlocked: other threads' transforms go on
  std::lock_guard lock(mutex);
  kept.push_back(built);
  if (kept.size() > kKept) kept.erase(kept.begin());
  return built;
}

// Frames [first, first + part's) of a channel, from the library's [frame][bin] to librosa's
// [bin][frame], in tiles of frames whose rows stay in cache.
template <typename T>
void put_frames(const Spectrogram& part, std::size_t first, std::size_t frames, std::complex<T>* channel) {
  constexpr std::size_t kTile = 32;
  const std::size_t bins = std::size_t(part.n_bins), count = part.n_frames();
  for (std::size_t t0 = 0; t0 < count; t0 += kTile)
    for (std::size_t k = 0; k < bins; ++k) {
      std::complex<T>* row = channel + k * frames + first;
      for (std::size_t t = t0; t < std::min(t0 + kTile, count); ++t) row[t] = std::complex<T>(part.at(t, int(k)));
    }
}

// Each channel's transform into out[channel][bin][frame], streamed in blocks (frames bitwise
// those of Cqt::transform) so that what is held besides the output is one block's frames.
template <typename T>
void transform_channels(const Cqt& cqt, const float* y, std::size_t channels, std::size_t n, std::complex<T>* out) {
  constexpr std::size_t kBlock = std::size_t(1) << 16;  // samples per push
  const std::size_t frames = cqt.n_frames(n), bins = std::size_t(cqt.n_bins());
  Spectrogram part;
  for (std::size_t c = 0; c < channels; ++c) {
    Cqt::Stream stream = cqt.stream();
    std::size_t done = 0;
    const auto take = [&] {
      put_frames(part, done, frames, out + c * bins * frames);
      done += part.n_frames();
      part.data.clear();
    };
    for (std::size_t i = 0; i < n; i += kBlock) {
      stream.push({y + c * n + i, std::min(kBlock, n - i)}, part);
      take();
    }
    stream.finish(part);
    take();
  }
}

py::array variable_q(const py::object& y_in, double sr, int hop_length, int n_bins, int bins_per_octave,
                     double filter_scale, double sparsity, bool scale, double gamma, const Spelled& spelled,
                     const std::string& function) {
  const CqtParams p = naming(function, [&] {
    return params_of(sr, hop_length, n_bins, bins_per_octave, filter_scale, sparsity, scale, gamma, spelled, function);
  });
  const Float32Array y = naming(function, [&] { return audio_array(y_in, function); });
  const py::dtype dtype = output_dtype(py::array(y_in), spelled.dtype, function);
  const std::size_t n = std::size_t(y.shape(y.ndim() - 1));
  std::size_t channels = 1;
  for (py::ssize_t axis = 0; axis + 1 < y.ndim(); ++axis) channels *= std::size_t(y.shape(axis));

  std::shared_ptr<const Cqt> cqt;
  {
    py::gil_scoped_release unlocked;
    naming(function, [&] {
      require_finite({y.data(), std::size_t(y.size())}, function);
      cqt = cqt_for(p);
      return 0;
    });
  }
  std::vector<py::ssize_t> shape(y.shape(), y.shape() + y.ndim() - 1);
  shape.push_back(cqt->n_bins());
  shape.push_back(py::ssize_t(cqt->n_frames(n)));
  py::array out(dtype, shape);
  const bool single = dtype.equal(py::dtype::of<std::complex<float>>());
  void* data = out.mutable_data();
  {
    py::gil_scoped_release unlocked;
    if (single) transform_channels(*cqt, y.data(), channels, n, static_cast<std::complex<float>*>(data));
    else transform_channels(*cqt, y.data(), channels, n, static_cast<std::complex<double>*>(data));
  }
  return out;
}

py::array amplitude_to_db(const py::object& s_in, const py::object& ref, double amin, std::optional<double> top_db) {
  const py::module_ np = py::module_::import("numpy");
  py::array s = np.attr("asarray")(s_in);
  if (s.dtype().kind() == 'c') {
    py::module_::import("warnings").attr("warn")(
        "amplitude_to_db was called on complex input so phase information will be discarded. To suppress this "
        "warning, call amplitude_to_db(np.abs(S)) instead.",
        py::module_::import("builtins").attr("UserWarning"), 2);
    s = np.attr("abs")(s);
  }
  if (s.dtype().kind() != 'f' || s.itemsize() > 8)
    throw InvalidInput("amplitude_to_db: S must be float32, float64 or complex, got dtype " +
                       s.dtype().attr("name").cast<std::string>());
  const double ref_value = py::float_(PyCallable_Check(ref.ptr()) ? ref(s) : np.attr("abs")(ref));
  py::array_t<float> db = np.attr("array")(s, "float32", py::arg("order") = "C");  // a copy, converted in place
  {
    py::gil_scoped_release unlocked;
    naming("amplitude_to_db", [&] {
      cqtcnn::amplitude_to_db({db.mutable_data(), std::size_t(db.size())}, DbOptions{ref_value, amin, top_db});
      return 0;
    });
  }
  return s.itemsize() > 4 ? py::array(db.attr("astype")("float64")) : py::array(db);
}

}  // namespace

void bind_transforms(py::module_& m) {
  using py::arg;
  const auto cqt = [](const py::object& y, double sr, int hop_length, std::optional<double> fmin, int n_bins,
                      int bins_per_octave, std::optional<double> tuning, double filter_scale, const py::object& norm,
                      double sparsity, const py::object& window, bool scale, const py::object& pad_mode,
                      std::optional<std::string> res_type, const py::object& dtype) {
    const Spelled s{fmin, tuning, norm, window, pad_mode, dtype, res_type};
    return variable_q(y, sr, hop_length, n_bins, bins_per_octave, filter_scale, sparsity, scale, 0.0, s, "cqt");
  };
  m.def("cqt", cqt, docs::kCqt, arg("y"), py::kw_only(), arg("sr") = 22050.0, arg("hop_length") = 512,
        arg("fmin") = py::none(), arg("n_bins") = 84, arg("bins_per_octave") = 12, arg("tuning") = 0.0,
        arg("filter_scale") = 1.0, arg("norm") = 1, arg("sparsity") = 0.01, arg("window") = "hann",
        arg("scale") = true, arg("pad_mode") = "constant", arg("res_type") = "soxr_hq", arg("dtype") = py::none());

  const auto vqt = [](const py::object& y, double sr, int hop_length, std::optional<double> fmin, int n_bins,
                      const py::object& intervals, std::optional<double> gamma, int bins_per_octave,
                      std::optional<double> tuning, double filter_scale, const py::object& norm, double sparsity,
                      const py::object& window, bool scale, const py::object& pad_mode,
                      std::optional<std::string> res_type, const py::object& dtype) {
    if (!py::isinstance<py::str>(intervals) || intervals.cast<std::string>() != "equal")
      throw InvalidInput("vqt: intervals " + py::repr(intervals).cast<std::string>() +
                         " is not supported; only \"equal\" (equal temperament)");
    if (gamma && !(*gamma >= 0))
      throw InvalidInput("vqt: gamma must be >= 0, or None for the ERB bandwidths, got " + format_number(*gamma));
    const Spelled s{fmin, tuning, norm, window, pad_mode, dtype, res_type};
    return variable_q(y, sr, hop_length, n_bins, bins_per_octave, filter_scale, sparsity, scale, gamma.value_or(-1.0),
                      s, "vqt");
  };
  m.def("vqt", vqt, docs::kVqt, arg("y"), py::kw_only(), arg("sr") = 22050.0, arg("hop_length") = 512,
        arg("fmin") = py::none(), arg("n_bins") = 84, arg("intervals") = "equal", arg("gamma") = py::none(),
        arg("bins_per_octave") = 12, arg("tuning") = 0.0, arg("filter_scale") = 1.0, arg("norm") = 1,
        arg("sparsity") = 0.01, arg("window") = "hann", arg("scale") = true, arg("pad_mode") = "constant",
        arg("res_type") = "soxr_hq", arg("dtype") = py::none());

  m.def("amplitude_to_db", &amplitude_to_db, docs::kAmplitudeToDb, arg("S"), py::kw_only(), arg("ref") = 1.0,
        arg("amin") = 1e-5, arg("top_db") = 80.0);
}

}  // namespace cqtcnn::python
