// The module's help texts (help(cqtcnn.cqt), ...), in numpydoc form as librosa's.
#pragma once

namespace cqtcnn::python::docs {

// What cqt and vqt share after their first parameters.
#define CQTCNN_DOC_COMMON_PARAMETERS                                                                        \
  "bins_per_octave : int > 0 [scalar]\n"                                                                    \
  "    Number of bins per octave.\n\n"                                                                      \
  "tuning : float in [-0.5, 0.5]\n"                                                                         \
  "    Tuning offset in fractions of a bin: the bins are moved to\n"                                        \
  "    ``fmin * 2**(tuning / bins_per_octave)`` and up. (librosa's ``None``, estimating the\n"                \
  "    tuning from ``y``, is not supported: ValueError.)\n\n"                                               \
  "filter_scale : float in [0.001, 1000]\n"                                                                 \
  "    Filter scale factor: multiplies every filter's length (Q). Small values (<1) use\n"                  \
  "    shorter windows for better time resolution.\n\n"                                                     \
  "norm : {float > 0, inf, None}\n"                                                                         \
  "    Normalisation of each filter: its ``norm``-norm (1 by default), its maximum (``inf``)\n"               \
  "    or none (``None``). (librosa's 0 and -inf are not supported: ValueError.)\n\n"                       \
  "sparsity : float in [0, 1)\n"                                                                            \
  "    Sparsify each filter's spectral kernel by discarding up to ``sparsity`` of its\n"                    \
  "    L1 mass, as librosa. ``sparsity=0`` keeps every value.\n\n"                                          \
  "window : {'hann', 'hamming', 'blackman', 'blackmanharris', 'rectangular'}\n"                              \
  "    Window of the filters (periodic, as scipy.signal.get_window). Tuples, numbers and\n"                 \
  "    functions are not supported: ValueError.\n\n"                                                        \
  "scale : bool\n"                                                                                          \
  "    If True, divide bin k by the square root of its filter's length (as ``norm='ortho'``\n"              \
  "    in an FFT); if False, do not.\n\n"                                                                   \
  "pad_mode : {'constant', 'reflect'}\n"                                                                    \
  "    Padding of the signal's ends for the centred frames (numpy.pad's modes; others are\n"               \
  "    not supported: ValueError).\n\n"                                                                     \
  "res_type : {'soxr_hq', None}\n"                                                                          \
  "    Resampler of the octave-by-octave downsampling: libsoxr at HQ quality, librosa's\n"                  \
  "    default (``None`` means the same). Other resamplers are not supported: ValueError.\n\n"              \
  "dtype : {None, numpy.complex64, numpy.complex128}\n"                                                     \
  "    Output type. ``None``: complex64 for float32 (or float16) input, complex128 for\n"                   \
  "    float64, as librosa.\n\n"

#define CQTCNN_DOC_PRECISION                                                                                 \
  "The transform is computed in single precision (float32 samples and filters) whatever the\n"             \
  "input type: float64 input gives complex128 output holding those values, within about\n"                 \
  "1e-6 (relative Frobenius error) of librosa's double-precision result. The filter banks of\n"            \
  "the last 8 parameter sets are kept, so repeated calls design them once. The GIL is\n"                   \
  "released during the computation: threads transforming different signals run in parallel.\n"

inline constexpr const char* kCqt =
    "Compute the constant-Q transform of an audio signal, as librosa.cqt (librosa 0.10).\n\n"
    "Same signature, defaults and result (shape, dtype, values) as ``librosa.cqt``: replace\n"
    "``librosa.cqt`` by ``cqtcnn.cqt``. Bin k has centre frequency\n"
    "``f_k = fmin * 2**((k + tuning) / bins_per_octave)`` and a window of length\n"
    "``L_k = Q * sr / f_k`` with ``Q = filter_scale / alpha``,\n"
    "``alpha = (2**(2/B) - 1) / (2**(2/B) + 1)`` (Brown 1991), computed octave by octave with\n"
    "recursive downsampling as described by [#]_ and implemented by librosa.\n\n"
    ".. [#] Brown, Judith C. \"Calculation of a constant Q spectral transform.\"\n"
    "    The Journal of the Acoustical Society of America 89.1 (1991): 425-434.\n"
    ".. [#] Schoerkhuber, Christian, and Anssi Klapuri. \"Constant-Q transform toolbox for\n"
    "    music processing.\" 7th Sound and Music Computing Conference, Barcelona, Spain. 2010.\n\n"
    "Parameters\n"
    "----------\n"
    "y : np.ndarray [shape=(..., n)], floating point\n"
    "    Audio time series. Multi-channel is supported: every leading axis is kept.\n"
    "    Must be finite everywhere.\n\n"
    "sr : number > 0 [scalar]\n"
    "    Sampling rate of ``y``, Hz.\n\n"
    "hop_length : int > 0 [scalar]\n"
    "    Number of samples between successive CQT columns.\n\n"
    "fmin : float > 0 [scalar] or None\n"
    "    Minimum frequency. Defaults (None) to C1 ~= 32.70 Hz.\n\n"
    "n_bins : int > 0 [scalar]\n"
    "    Number of frequency bins, starting at ``fmin``. The top bin's band must stay below\n"
    "    the Nyquist frequency ``sr / 2`` (ValueError otherwise, as librosa).\n\n" CQTCNN_DOC_COMMON_PARAMETERS
    "Returns\n"
    "-------\n"
    "CQT : np.ndarray [shape=(..., n_bins, t)]\n"
    "    Constant-Q value of each frequency at each time; ``t = 1 + n // hop_length`` (with\n"
    "    early downsampling, librosa's rounding of an octave may make it one more).\n\n"
    "Raises\n"
    "------\n"
    "ValueError\n"
    "    An argument out of its range or not supported, naming it; ``y`` not floating point\n"
    "    or not finite.\n\n"
    "Notes\n"
    "-----\n" CQTCNN_DOC_PRECISION
    "\nExamples\n"
    "--------\n"
    ">>> import numpy as np, cqtcnn\n"
    ">>> sr = 22050\n"
    ">>> y = np.sin(2 * np.pi * 440 * np.arange(sr) / sr).astype(np.float32)\n"
    ">>> C = np.abs(cqtcnn.cqt(y, sr=sr))\n"
    ">>> C.shape, C.dtype\n"
    "((84, 44), dtype('float32'))\n"
    ">>> int(np.argmax(C.mean(axis=1)))   # A4 = C1 + 45 semitones\n"
    "45\n";

inline constexpr const char* kVqt =
    "Compute the variable-Q transform of an audio signal, as librosa.vqt (librosa 0.10).\n\n"
    "The constant-Q transform (cqtcnn.cqt) with each filter's bandwidth widened by ``gamma`` Hz:\n"
    "bin k's window has length ``L_k = Q * sr / (f_k + gamma / alpha)``, so that low bins get\n"
    "shorter windows (better time resolution) than the CQT gives them. ``gamma=0`` is the CQT.\n"
    "Computed octave by octave as [#]_.\n\n"
    ".. [#] Schoerkhuber, Christian, Anssi Klapuri, Nicki Holighaus, and Monika Doerfler.\n"
    "    \"A Matlab toolbox for efficient perfect reconstruction time-frequency transforms with\n"
    "    log-frequency resolution.\" AES 53rd International Conference: Semantic Audio, 2014.\n\n"
    "Parameters\n"
    "----------\n"
    "y : np.ndarray [shape=(..., n)], floating point\n"
    "    Audio time series. Multi-channel is supported.\n\n"
    "sr : number > 0 [scalar]\n"
    "    Sampling rate of ``y``, Hz.\n\n"
    "hop_length : int > 0 [scalar]\n"
    "    Number of samples between successive VQT columns.\n\n"
    "fmin : float > 0 [scalar] or None\n"
    "    Minimum frequency. Defaults (None) to C1 ~= 32.70 Hz.\n\n"
    "n_bins : int > 0 [scalar]\n"
    "    Number of frequency bins, starting at ``fmin``.\n\n"
    "intervals : 'equal'\n"
    "    Equal temperament, the only interval set supported (ValueError otherwise).\n\n"
    "gamma : number >= 0 or None\n"
    "    Bandwidth offset, Hz. ``None`` (the default, as librosa): bandwidths a constant fraction\n"
    "    of the equivalent rectangular bandwidth, ``gamma_k = 24.7 * alpha / 0.108``, from\n"
    "    ERB(f) = 24.7 + 0.108 f (Glasberg & Moore 1990). ``gamma=0``: the CQT.\n\n" CQTCNN_DOC_COMMON_PARAMETERS
    "Returns\n"
    "-------\n"
    "VQT : np.ndarray [shape=(..., n_bins, t)]\n"
    "    Variable-Q value of each frequency at each time.\n\n"
    "Raises\n"
    "------\n"
    "ValueError\n"
    "    An argument out of its range or not supported, naming it.\n\n"
    "Notes\n"
    "-----\n" CQTCNN_DOC_PRECISION;

inline constexpr const char* kAmplitudeToDb =
    "Convert an amplitude spectrogram to decibels, as librosa.amplitude_to_db (librosa 0.10).\n\n"
    "Equivalent to ``power_to_db(S**2, ref=ref**2, amin=amin**2, top_db=top_db)``:\n"
    "``10 * log10(max(amin**2, S**2)) - 10 * log10(max(amin**2, ref**2))``, then clipped to\n"
    "``top_db`` below its maximum; computed with librosa's float32/float64 mix, so float32\n"
    "input gives librosa's numbers to the last bit or so.\n\n"
    "Parameters\n"
    "----------\n"
    "S : np.ndarray, float32, float64 or complex\n"
    "    Input amplitude. Complex input is replaced by its magnitude, with librosa's warning.\n\n"
    "ref : scalar or callable\n"
    "    The amplitude that becomes 0 dB: ``abs(ref)``, or ``ref(S)`` if callable (``np.max``:\n"
    "    relative to the peak).\n\n"
    "amin : float > 0 [scalar]\n"
    "    Minimum amplitude; smaller values are raised to it.\n\n"
    "top_db : float >= 0 [scalar] or None\n"
    "    Threshold the output at ``top_db`` below its peak; None: no threshold.\n\n"
    "Returns\n"
    "-------\n"
    "S_db : np.ndarray, the shape of S\n"
    "    ``S`` in dB: float32 for float32 (or complex64) input, float64 for float64 (computed in\n"
    "    float32, within about 1e-6 dB of librosa's double-precision result).\n\n"
    "Raises\n"
    "------\n"
    "ValueError\n"
    "    amin <= 0 or top_db < 0; S not a floating-point or complex array.\n";

#undef CQTCNN_DOC_COMMON_PARAMETERS
#undef CQTCNN_DOC_PRECISION

}  // namespace cqtcnn::python::docs
