// `import cqtcnn`: the module's entry point. The library's errors become Python's: InvalidInput
// (a bad argument or model) ValueError, any other Error (a file that cannot be read or written)
// OSError, each with the library's one-line message.
#include "cqtcnn/error.hpp"
#include "python/bindings.hpp"

#include <cmath>

namespace cqtcnn::python {

Float32Array audio_array(const py::handle& y, const std::string& function) {
  const py::array array = py::module_::import("numpy").attr("asarray")(y);
  if (array.dtype().kind() != 'f')
    throw InvalidInput(function + ": y must be floating-point audio, got dtype " +
                       array.dtype().attr("name").cast<std::string>() + " (convert it, e.g. y.astype(np.float32))");
  if (array.ndim() < 1) throw InvalidInput(function + ": y must have at least one dimension (samples), got a scalar");
  return Float32Array::ensure(array);
}

void require_finite(std::span<const float> samples, const std::string& function) {
  for (float v : samples)
    if (!std::isfinite(v)) throw InvalidInput(function + ": y is not finite everywhere");
}

}  // namespace cqtcnn::python

PYBIND11_MODULE(cqtcnn, m) {
  namespace py = pybind11;
  m.doc() =
      "cqtcnn: librosa's constant-Q transform, computed 5-10x faster by a C++ library, and the cqtcnn\n"
      "audio classifiers.\n\n"
      "    import cqtcnn\n"
      "    C = cqtcnn.cqt(y, sr=sr)            # as librosa.cqt(y, sr=sr)\n"
      "    model = cqtcnn.Model()              # the built-in spoken-digit model\n"
      "    model.classify(\"three.wav\")\n\n"
      "See docs/python.md.";
  m.attr("__version__") = CQTCNN_VERSION;
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const cqtcnn::InvalidInput& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const cqtcnn::Error& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    }
  });
  cqtcnn::python::bind_transforms(m);
  cqtcnn::python::bind_pcen(m);
  cqtcnn::python::bind_models(m);
}
