#!/usr/bin/python3
"""cqtcnn-train and cqtcnn-export as `cmake --install` installs them: this file, under both names in
PREFIX/bin, runs the entry point that tools/pyproject.toml names for it, from the package
cqtcnn_train installed in PREFIX/share/cqtcnn/tools, under Debian's /usr/bin/python3 (the Python
that has python3-torch). Finding the installed package is the installer's job, as pip's scripts
find theirs. The tools then name themselves cqtcnn-train and cqtcnn-export in --help and in their
messages, and find the installed PREFIX/bin/cqtcnn.
"""
import importlib
import os
import sys
import tomllib

installed = os.path.realpath(__file__)  # PREFIX/bin/cqtcnn-train, also when run through a symbolic link
package_folder = os.path.join(os.path.dirname(installed), "..", "share", "cqtcnn", "tools")
with open(os.path.join(package_folder, "pyproject.toml"), "rb") as f:
    module, function = tomllib.load(f)["project"]["scripts"][os.path.basename(installed)].split(":")
sys.path.insert(0, package_folder)
getattr(importlib.import_module(module), function)()
