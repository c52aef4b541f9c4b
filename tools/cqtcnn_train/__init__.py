"""The training tools' library, used by tools/train.py (the command), tools/explore_loso.py and the
tests in tests/tools/:

- data: labelled file lists (a CSV or label folders), finding cqtcnn, `cqtcnn features`;
- augment: audio copies before the front end; frequency shift, colouring and SpecAugment after it;
- network: the CNN and CRNN train.py builds, and an ensemble packed into one model;
- fit: one network trained with early stopping on file-level validation accuracy, optionally
  balanced across training sets; its command-line options.

Import it with tools/ on sys.path (train.py puts it there); it needs Debian's python3-torch.
"""
