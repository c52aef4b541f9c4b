#!/usr/bin/python3
"""cqtcnn-train from the source tree: /usr/bin/python3 tools/train.py --help. The command is
cqtcnn_train/train.py; Python finds the package beside this file."""
from cqtcnn_train.train import main

if __name__ == "__main__":
    main()
