"""Labelled file lists, the cqtcnn binary, and the features `cqtcnn features` makes of them."""
import csv
import functools
import json
import os
import shutil
import subprocess
import sys

import numpy as np

from .cli import fail, program, read_json

AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff", ".au", ".w64", ".caf")


def read_table(path, required=("path", "label"), skipped=None):
    """Rows (dicts) of a labelled file list: a CSV whose header names a path column and a label
    (or class) column, a header-less path,label CSV, or a folder whose sub-folders are the labels
    (files that are not audio are skipped; their names are appended to `skipped` if it is a list).
    A relative path is taken from the working directory if it exists there, else from the CSV's
    folder, as `cqtcnn evaluate` does. No rows, a row without a path or label, or a listed file
    that does not exist ends the program with one line naming the file (cli.fail)."""
    if os.path.isdir(path):
        rows = []
        for label in sorted(os.listdir(path)):
            sub = os.path.join(path, label)
            if os.path.isdir(sub):
                for f in sorted(os.listdir(sub)):
                    if f.lower().endswith(AUDIO_EXTENSIONS):
                        rows.append({"path": os.path.join(sub, f), "label": label})
                    elif skipped is not None and os.path.isfile(os.path.join(sub, f)):
                        skipped.append(f)
        if not rows:
            fail(f"{path}: no audio files in label folders (one sub-folder of recordings per label)")
        return rows
    try:
        with open(path, newline="") as f:
            reader = csv.reader(f)
            table = [(reader.line_num, r) for r in reader if r]
    except OSError as e:
        fail(f"{path}: {e.strerror}")
    except (UnicodeDecodeError, csv.Error) as e:
        fail(f"{path}: not a CSV file ({e})")
    header = [h.strip().lower() for h in table[0][1]] if table else []
    if "path" in header:
        header = ["label" if h == "class" and "label" not in header else h for h in header]
        table = table[1:]
    else:
        header = ["path", "label"] + [f"column_{i}" for i in range(2, max((len(r) for _, r in table), default=2))]
    missing = [c for c in required if c not in header]
    if missing:
        fail(f"{path}: no '{missing[0]}' column in the header")
    if not table:
        fail(f"{path}: no rows")
    base = os.path.dirname(os.path.abspath(path))
    rows = []
    for line, values in table:
        r = dict(zip(header, values))
        empty = [c for c in ("path", "label") if not r.get(c, "").strip()]
        if empty:
            fail(f"{path}: line {line}: no {empty[0]}")
        if not os.path.isabs(r["path"]) and not os.path.exists(r["path"]):  # as cqtcnn evaluate reads it
            r["path"] = os.path.join(base, r["path"])
        if not os.path.exists(r["path"]):
            fail(f"{path}: line {line}: no such file: {r['path']}")
        rows.append(r)
    return rows


def read_front_end(path):
    """The front-end object of a front-end or model file (`cqtcnn features` checks the rest)."""
    frontend = read_json(path, "front end")
    frontend = frontend.get("frontend", frontend) if isinstance(frontend, dict) else frontend
    if not isinstance(frontend, dict):
        fail(f"{path}: not a front-end object (see models/*.frontend.json)")
    return frontend


def report_skipped(names):
    """One line on stderr for the files in label folders that are not audio, as cqtcnn says it:
    "skipped 2 files that are not audio (.DS_Store, README.txt)"."""
    if names:
        listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        what = "file that is" if len(names) == 1 else "files that are"
        print(f"{program()}: skipped {len(names)} {what} not audio ({listed})", file=sys.stderr)


def read_labelled(path, skipped=None):
    """(path, label) pairs of a labelled file list (read_table)."""
    return [(r["path"], r["label"]) for r in read_table(path, skipped=skipped)]


def find_cqtcnn():
    """The cqtcnn binary: beside this script, in the source tree's build/, installed (PREFIX/bin,
    this script being in PREFIX/share/cqtcnn/tools/), or on PATH."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # tools/, not tools/cqtcnn_train/
    for candidate in (os.path.join(here, "cqtcnn"), os.path.join(here, "..", "build", "cqtcnn"),
                      os.path.join(here, "..", "..", "..", "bin", "cqtcnn")):
        if os.access(candidate, os.X_OK):
            return os.path.normpath(candidate)
    found = shutil.which("cqtcnn")
    if not found:
        fail("cannot find cqtcnn (build it, or give --cqtcnn)")
    return found


@functools.lru_cache(maxsize=None)
def frontend_defaults(cqtcnn=None):
    """Every front-end parameter's default as cqtcnn declares it (`cqtcnn inspect --defaults`,
    from include/cqtcnn/params.hpp), so that no tool keeps a copy: {"db": {"top_db": 80, ...}, ...}."""
    cqtcnn = cqtcnn or find_cqtcnn()
    run = subprocess.run([cqtcnn, "inspect", "--defaults"], capture_output=True, text=True)
    if run.returncode != 0:
        fail(f"{cqtcnn} inspect --defaults: {run.stderr.strip() or 'exit code ' + str(run.returncode)}")
    return json.loads(run.stdout)


def features(cqtcnn, frontend_json, paths, workdir, tag, threads):
    """The windows [N,1,H,W] the front end in `frontend_json` makes of `paths`, and the file index
    of each window, as `cqtcnn features` makes them: in-process through the Python module built or
    installed with the `cqtcnn` binary where there is one (module_beside), else by running
    `cqtcnn features` with `threads` threads. Either way the same numbers. When a file fails, the
    program ends with cqtcnn's exit code, cqtcnn having said why on stderr."""
    module = module_beside(cqtcnn) if paths else None
    if module is not None:
        return features_in_process(module, frontend_json, paths, threads)
    return features_by_subprocess(cqtcnn, frontend_json, paths, workdir, tag, threads)


def module_beside(cqtcnn):
    """The Python module `cqtcnn` of the same build as the `cqtcnn` binary, or None: the build
    tree's python/ beside build/cqtcnn, or PREFIX/lib/python3.X/dist-packages beside
    PREFIX/bin/cqtcnn. Never another one, whose numbers might differ from the binary's."""
    import glob
    import importlib.machinery
    import importlib.util
    binary = os.path.realpath(shutil.which(cqtcnn) or cqtcnn)
    here = os.path.dirname(binary)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]  # .cpython-311-x86_64-linux-gnu.so
    for folder in (os.path.join(here, "python"), os.path.join(here, "..", "lib", version, "dist-packages")):
        for path in glob.glob(os.path.join(folder, "cqtcnn" + suffix)):
            spec = importlib.util.spec_from_file_location("cqtcnn", path)
            module = importlib.util.module_from_spec(spec)
            try:
                spec.loader.exec_module(module)
            except ImportError:
                return None
            return module
    return None


def features_in_process(module, frontend_json, paths, threads):
    """features() through the module: each file's windows (Frontend.features, the GIL released)
    on `threads` threads, in input order; failures reported and ended as `cqtcnn features` does."""
    from concurrent.futures import ThreadPoolExecutor
    try:
        frontend = module.Frontend(frontend_json)
    except (ValueError, OSError) as e:
        print(f"cqtcnn features: error: {e}", file=sys.stderr)
        sys.exit(2 if isinstance(e, ValueError) else 1)

    def windows(path):
        try:
            return frontend.features(path)
        except (ValueError, OSError) as e:
            return e

    with ThreadPoolExecutor(max(1, threads)) as pool:
        results = list(pool.map(windows, paths))
    failed = [r for r in results if isinstance(r, Exception)]
    for error in failed:
        print(f"cqtcnn features: {error}", file=sys.stderr)
    if failed:
        print(f"cqtcnn features: {len(failed)} of {len(paths)} files failed; no output written", file=sys.stderr)
        sys.exit(1)
    row_of_path = {p: i for i, p in enumerate(paths)}  # as the subprocess's index is read back
    owner = np.array([row_of_path[p] for p, x in zip(paths, results) for _ in range(len(x))], dtype=np.int64)
    return np.concatenate(results), owner


def features_by_subprocess(cqtcnn, frontend_json, paths, workdir, tag, threads):
    """features() by running `cqtcnn features` on paths with `threads` threads; its outputs go to
    `workdir` as <tag>.npy and <tag>.csv."""
    listing = os.path.join(workdir, f"{tag}.txt")
    with open(listing, "w") as f:
        f.write("".join(p + "\n" for p in paths))
    npy, index = os.path.join(workdir, f"{tag}.npy"), os.path.join(workdir, f"{tag}.csv")
    run = subprocess.run([cqtcnn, "features", "--frontend", frontend_json, "--files-from", listing,
                          "-o", npy, "--index", index, "--threads", str(threads)])
    if run.returncode:
        sys.exit(run.returncode if run.returncode > 0 else 1)
    row_of_path = {p: i for i, p in enumerate(paths)}
    with open(index, newline="") as f:
        owner = np.array([row_of_path[r["path"]] for r in csv.DictReader(f)])
    return np.load(npy), owner
