// The help texts of cqtcnn.Frontend and cqtcnn.Model.
#pragma once

namespace cqtcnn::python::docs {

inline constexpr const char* kFrontend =
    "A model's audio front end: audio -> mono at its rate -> CQT -> dB or PCEN -> normalised\n"
    "windows of the network's input width (docs/model-format.md, \"frontend\").\n\n"
    "Parameters\n"
    "----------\n"
    "config : dict or str or os.PathLike\n"
    "    A model file's \"frontend\" object, or the path of a JSON file holding one (a model file\n"
    "    or a bare front end, as ``cqtcnn features --frontend``).\n\n"
    "Raises\n"
    "------\n"
    "ValueError\n"
    "    A parameter out of its range, naming it.\n"
    "OSError\n"
    "    The file cannot be read.\n";

inline constexpr const char* kFeatures =
    "The network inputs the front end makes from a recording, as ``cqtcnn features`` writes them.\n\n"
    "Parameters\n"
    "----------\n"
    "y : str or os.PathLike, or np.ndarray [shape=(n,) or (channels, n)], floating point\n"
    "    An audio file (any format libsndfile reads), or samples in [-1, 1]. Several channels\n"
    "    are averaged to mono, as librosa.load(mono=True).\n"
    "sr : number or None\n"
    "    The samples' rate, Hz (a whole number), required with an array; resampled to the front\n"
    "    end's rate with libsoxr HQ (librosa's soxr_hq). None for a file.\n"
    "window_hop : float > 0 or None\n"
    "    Seconds between windows of a longer recording; None: the front end's own hop.\n\n"
    "Returns\n"
    "-------\n"
    "X : np.ndarray [shape=(windows, 1, n_bins, window_frames)], float32\n"
    "    The windows in time order; row 0 of each is the lowest CQT bin. A recording shorter\n"
    "    than one window gives one, padded with the front end's silence value. Values equal\n"
    "    those of ``cqtcnn features`` on a file holding the same samples.\n\n"
    "Raises\n"
    "------\n"
    "ValueError\n"
    "    Bad arguments (an array without sr, samples not finite).\n"
    "OSError\n"
    "    The file cannot be read or decoded.\n";

inline constexpr const char* kModel =
    "A cqtcnn classifier: a network loaded from a model file (JSON, docs/model-format.md) and its\n"
    "audio front end.\n\n"
    "Parameters\n"
    "----------\n"
    "path : str or None\n"
    "    The model file; None: the built-in spoken-digit model (models/digits.json).\n\n"
    "Attributes\n"
    "----------\n"
    "labels, frontend, input_shape, metadata, name\n\n"
    "Raises\n"
    "------\n"
    "ValueError\n"
    "    A malformed model, naming the file and the JSON path of the problem.\n"
    "OSError\n"
    "    The file cannot be read.\n\n"
    "Examples\n"
    "--------\n"
    ">>> model = cqtcnn.Model()\n"
    ">>> model.classify(\"three.wav\", top_k=2)\n"
    "{'top': [{'label': 'three', 'score': 0.98...}, ...], 'label': 'three', ...}\n";

inline constexpr const char* kPredict =
    "Run the network on inputs, as ``cqtcnn predict``.\n\n"
    "Parameters\n"
    "----------\n"
    "x : np.ndarray [shape=(N, C, H, W), (C, H, W) or (H, W)], floating point\n"
    "    Network inputs of the model's input_shape (Model.features makes them from audio).\n"
    "logits : bool\n"
    "    False: class probabilities (the softmax of the logits); True: the output before the\n"
    "    final softmax.\n"
    "threads : int in [1, 256]\n"
    "    Threads the batch is split across.\n\n"
    "Returns\n"
    "-------\n"
    "P : np.ndarray [shape=(N, classes)], float32\n";

inline constexpr const char* kClassify =
    "Classify a recording, as ``cqtcnn classify``: the mean of its windows' class probabilities.\n\n"
    "Parameters\n"
    "----------\n"
    "path_or_array : str or os.PathLike, or np.ndarray [shape=(n,) or (channels, n)]\n"
    "    An audio file, or samples at ``sr`` (averaged to mono, resampled to the model's rate).\n"
    "sr : number or None\n"
    "    The samples' rate, Hz; required with an array, None for a file.\n"
    "top_k : int >= 1\n"
    "    How many classes to list, most probable first.\n"
    "segments : bool\n"
    "    Also list each window's result.\n\n"
    "Returns\n"
    "-------\n"
    "result : dict\n"
    "    ``label`` and ``score`` (the best class), ``top`` (a list of ``{'label', 'score'}``,\n"
    "    top_k long), ``silent``, ``probabilities`` (label -> mean probability over the windows\n"
    "    that are not silent), ``duration_s``; with segments, ``segments``: per window\n"
    "    ``start_s``, ``end_s``, ``label``, ``score``, ``top``, ``silent``. A recording (or window)\n"
    "    below the front end's silence floor is silent: no class (label and score None, top\n"
    "    empty), as ``cqtcnn classify`` reports \"(silent)\".\n";

}  // namespace cqtcnn::python::docs
