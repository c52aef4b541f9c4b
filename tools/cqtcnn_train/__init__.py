"""cqtcnn's Python tools: train a model on your own sounds, export a PyTorch network, and make the
shipped models' training data. Run from the source tree or installed (tools/pyproject.toml; the
commands cqtcnn-train and cqtcnn-export, which `cmake --install` also installs). Modules:

- train: the cqtcnn-train command (tools/train.py in the source tree);
- export: the cqtcnn-export command (tools/export_pytorch.py) and export(), a PyTorch network to
  a model file; layers: the PyTorch modules of recurrent models it exports;
- data: labelled file lists (a CSV or label folders), finding cqtcnn, `cqtcnn features`;
- augment: audio copies before the front end; frequency shift, colouring and SpecAugment after it;
- network: the CNN and CRNN train builds, and an ensemble packed into one model;
- fit: one network trained with early stopping on file-level validation accuracy, optionally
  balanced across training sets; its command-line options, and a shipped model's recipe;
- cli: what the commands share (one-line errors, --help with defaults);
- audio_effects: rooms, noise, trimming and level, for synthetic data and augmentation;
- datasets, synth_digits, synth_nondigits, synth_instruments: the shipped models' training data
  and its splits (docs/models.md), run as `PYTHONPATH=tools /usr/bin/python3 -m cqtcnn_train.X`.

It needs Debian's python3-numpy, python3-scipy, python3-soundfile and python3-torch (cli alone
needs nothing but the standard library).
"""
