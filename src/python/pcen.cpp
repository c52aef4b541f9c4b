// cqtcnn.pcen: librosa 0.10's pcen (per-channel energy normalisation; Wang et al. 2017) computed
// by the library (cqtcnn/pcen.hpp), for its default layout: time on the last axis, no
// max-filtering, the smoother's state starting as librosa's. Other arguments raise ValueError.
#include "cqtcnn/error.hpp"
#include "cqtcnn/pcen.hpp"
#include "python/bindings.hpp"

#include <pybind11/stl.h>

#include <algorithm>

namespace cqtcnn::python {
namespace {

// What librosa.pcen accepts and the library does not do: each must have librosa's default.
void require_defaults(const py::object& b, int max_size, const py::object& ref, int axis, int ndim,
                      const py::object& max_axis, const py::object& zi, bool return_zf) {
  const auto refuse = [](const std::string& what) { throw InvalidInput("pcen: " + what + " is not supported"); };
  if (!b.is_none()) refuse("b (the smoother's coefficient); it follows from time_constant, sr and hop_length, as b=None");
  if (max_size != 1) refuse("max_size " + std::to_string(max_size) + " (max-filtering); only 1");
  if (!ref.is_none() || !max_axis.is_none()) refuse("ref or max_axis (max-filtering); only None");
  if (axis != -1 && axis != ndim - 1) refuse("axis " + std::to_string(axis) + "; only the last (time), -1");
  if (!zi.is_none() || return_zf) refuse("zi or return_zf (the smoother's state); only None and False");
}

py::array pcen(const py::object& s_in, double sr, int hop_length, double gain, double bias, double power,
               double time_constant, double eps, const py::object& b, int max_size, const py::object& ref, int axis,
               const py::object& max_axis, const py::object& zi, bool return_zf) {
  const py::module_ np = py::module_::import("numpy");
  py::array s = np.attr("asarray")(s_in);
  require_defaults(b, max_size, ref, axis, int(s.ndim()), max_axis, zi, return_zf);
  if (s.dtype().kind() == 'c') {
    py::module_::import("warnings").attr("warn")(
        "pcen was called on complex input so phase information will be discarded. To suppress this warning, "
        "call pcen(np.abs(D)) instead.",
        py::module_::import("builtins").attr("UserWarning"), 2);
    s = np.attr("abs")(s);
  }
  if (s.dtype().kind() != 'f' || s.ndim() < 1)
    throw InvalidInput("pcen: S must be a float or complex array of at least one dimension (time last)");
  if (hop_length < 1) throw InvalidInput("pcen: hop_length must be at least 1, got " + std::to_string(hop_length));
  PcenOptions options;
  options.gain = gain, options.bias = bias, options.power = power, options.time_constant = time_constant;
  options.eps = eps, options.scale = 1.0, options.settled = false;  // librosa's: S as given, its state
  const py::ssize_t frames = s.shape(s.ndim() - 1), series = frames ? s.size() / frames : 0;
  // Every series along time is its own smoother: the library's frames are S's columns.
  py::array_t<float> columns = np.attr("ascontiguousarray")(s.attr("reshape")(series, frames).attr("T"), "float32");
  Pcen transform(int(std::max<py::ssize_t>(series, 1)), options, sr / hop_length);  // checks the options
  {
    py::gil_scoped_release unlocked;
    for (py::ssize_t t = 0; t < frames && series > 0; ++t)
      transform.apply({columns.mutable_data() + t * series, std::size_t(series)});
  }
  return np.attr("ascontiguousarray")(columns.attr("T"), "float64").attr("reshape")(s.attr("shape"));
}

}  // namespace

void bind_pcen(py::module_& m) {
  using py::arg;
  m.def("pcen", &pcen,
        "Per-channel energy normalisation of a magnitude spectrogram, as librosa.pcen (librosa 0.10).\n\n"
        "Wang, Yuxuan, et al. \"Trainable frontend for robust and far-field keyword spotting.\" ICASSP 2017:\n"
        "``M[t] = b S[t] + (1 - b) M[t-1]`` (per row, started as scipy's lfilter_zi, as librosa), then\n"
        "``P = (S / (eps + M)**gain + bias)**power - bias**power``, with\n"
        "``b = (sqrt(1 + 4 T**2) - 1) / (2 T**2)``, ``T = time_constant * sr / hop_length``.\n\n"
        "Parameters\n"
        "----------\n"
        "S : np.ndarray [shape=(..., t)], non-negative, float or complex\n"
        "    The spectrogram (magnitudes; complex input is replaced by its magnitude, with librosa's\n"
        "    warning), time on the last axis. librosa advises scaling audio in [-1, 1] by 2**31.\n"
        "sr : number > 0\n"
        "    Sampling rate of the audio.\n"
        "hop_length : int > 0\n"
        "    Samples between frames.\n"
        "gain : float >= 0\n"
        "    Exponent of the automatic gain control.\n"
        "bias : float >= 0\n"
        "    Offset of the compression.\n"
        "power : float >= 0\n"
        "    Exponent of the compression (0: ``log1p``).\n"
        "time_constant : float > 0\n"
        "    Seconds of the smoother's memory.\n"
        "eps : float > 0\n"
        "    Floor of the gain control's denominator.\n"
        "b, max_size, ref, axis, max_axis, zi, return_zf\n"
        "    Only librosa's defaults (None, 1, None, -1, None, None, False): ValueError otherwise.\n\n"
        "Returns\n"
        "-------\n"
        "P : np.ndarray [shape=S.shape], float64\n"
        "    Computed in double precision from S in float32 and rounded to float32: within about\n"
        "    1e-7 of librosa's float64 result.\n",
        arg("S"), py::kw_only(), arg("sr") = 22050.0, arg("hop_length") = 512, arg("gain") = 0.98,
        arg("bias") = 2.0, arg("power") = 0.5, arg("time_constant") = 0.4, arg("eps") = 1e-6, arg("b") = py::none(),
        arg("max_size") = 1, arg("ref") = py::none(), arg("axis") = -1, arg("max_axis") = py::none(),
        arg("zi") = py::none(), arg("return_zf") = false);
}

}  // namespace cqtcnn::python
