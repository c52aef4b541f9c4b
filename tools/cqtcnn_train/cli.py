"""What the Python tools share on the command line (cqtcnn-train and cqtcnn-export, which are
tools/train.py and tools/export_pytorch.py in the source tree, the data generators, the research
scripts and the fixture makers): a user's mistake is one line on stderr
naming the file and the problem, exit 2 as in cqtcnn, never a traceback; --help prints every
option's default; a missing Python package is named as the Debian package that provides it.
Standard library only, so that it works before numpy or torch are found.
"""
import argparse
import json
import os
import sys

EXIT_FAILURE = 1    # cqtcnn's exit codes (README): a runtime failure
EXIT_BAD_INPUT = 2  # bad usage or input that can never work


def program():
    """The name the tool was run by: train.py, cqtcnn-train, ..."""
    return os.path.basename(sys.argv[0])


def fail(message, code=EXIT_BAD_INPUT):
    """Ends the program with "<program>: <message>" as one line on stderr."""
    print(f"{program()}: {message}", file=sys.stderr)
    sys.exit(code)


def missing_package(error):
    """Ends the program for an ImportError of numpy, scipy, soundfile or torch: Debian packages
    each as python3-<name>, for /usr/bin/python3 only (there is no PyPI here)."""
    package = "python3-" + (error.name or str(error)).split(".")[0]
    other_python = "" if sys.executable == "/usr/bin/python3" else f"; this is {sys.executable}, run /usr/bin/python3"
    fail(f"needs Debian's {package} (apt install {package}, or tools/install-deps.sh --dev){other_python}",
         EXIT_FAILURE)


def read_json(path, what):
    """The JSON value in `path` (a `what`, for the message), or one line saying why not."""
    try:
        with open(path) as f:
            return json.load(f)
    except OSError as e:
        fail(f"{path}: cannot read the {what}: {e.strerror}")
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        fail(f"{path}: the {what} is not valid JSON: {e}")


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """--help with the description (the tool's docstring) as written and each option's default
    after its help; flags and options whose default is nothing (None, "") show none."""

    def _get_help_string(self, action):
        text = action.help or ""
        nothing = action.default is None or action.default is False or action.default == "" \
            or action.default is argparse.SUPPRESS
        if action.option_strings and not nothing and "%(default)" not in text:
            text += " (default: %(default)s)"
        return text
