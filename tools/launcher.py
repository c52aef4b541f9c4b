#!/usr/bin/python3
"""cqtcnn-train and cqtcnn-export: this file, installed under both names in PREFIX/bin by
`cmake --install`, runs tools/train.py or tools/export_pytorch.py from PREFIX/share/cqtcnn/tools
under Debian's /usr/bin/python3 (the Python that has python3-torch). The tools then name
themselves cqtcnn-train and cqtcnn-export in --help and in their messages, and train.py finds the
installed PREFIX/bin/cqtcnn.
"""
import importlib
import os
import sys

TOOLS = {"cqtcnn-train": "train", "cqtcnn-export": "export_pytorch"}

installed = os.path.realpath(__file__)  # PREFIX/bin/cqtcnn-train, also when run through a symbolic link
sys.path.insert(0, os.path.join(os.path.dirname(installed), "..", "share", "cqtcnn", "tools"))
importlib.import_module(TOOLS[os.path.basename(installed)]).main()
