#!/usr/bin/python3
"""cqtcnn-export from the source tree: /usr/bin/python3 tools/export_pytorch.py --help. The command
is cqtcnn_train/export.py; Python finds the package beside this file."""
from cqtcnn_train.export import main

if __name__ == "__main__":
    main()
