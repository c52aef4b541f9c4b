// The Python module `cqtcnn` (docs/python.md): librosa's cqt, vqt, amplitude_to_db and pcen computed by
// this library, and the models. Each binding file adds its part to the module; this header holds
// what they share: turning numpy input into the library's float32 audio.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <span>
#include <string>
#include <vector>

namespace cqtcnn::python {

namespace py = pybind11;

using Float32Array = py::array_t<float, py::array::c_style | py::array::forcecast>;

void bind_transforms(py::module_& m);  // cqt, vqt, amplitude_to_db (transforms.cpp)
void bind_models(py::module_& m);      // Frontend, Model (models.cpp)
void bind_pcen(py::module_& m);        // pcen (pcen.cpp)

// `y` as C-ordered float32 (no copy when it already is): floating-point audio of at least one
// dimension, samples on the last axis, as librosa's util.valid_audio demands. Throws
// InvalidInput "<function>: y ..." otherwise.
Float32Array audio_array(const py::handle& y, const std::string& function);

// Throws InvalidInput "<function>: y is not finite everywhere" if a sample is NaN or infinite.
void require_finite(std::span<const float> samples, const std::string& function);

}  // namespace cqtcnn::python
