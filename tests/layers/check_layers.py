#!/usr/bin/python3
"""The folders of src/ follow the data flow (docs/architecture.md): each may include its own
headers, the public ones (include/cqtcnn/) and those of the stages before it, never one after it.
The public headers include only each other and the standard library: no third-party type and no
internal header reaches a program that uses the installed library.

Usage: check_layers.py SOURCE_DIR. Prints one line per include against the flow; exit 1 if any.
"""
import pathlib
import re
import sys

# folder -> the src/ folders its files may include (besides their own, cqtcnn/ and base/, which
# holds what every stage may use: parallel_for).
ALLOWED = {
    "base": set(),
    "simd": set(),
    "io": set(),
    "audio": {"io"},
    "cqt": {"audio", "io", "simd"},
    "dsp": set(),
    "frontend": {"audio", "cqt", "dsp", "io"},
    "nn": {"io", "simd"},
    "classify": {"audio", "cqt", "dsp", "frontend", "nn", "io"},
    "figure": {"classify", "frontend", "dsp", "io"},
    "python": {"audio", "cqt", "dsp", "frontend", "nn", "classify", "figure", "io", "simd"},
    "cli": {"audio", "cqt", "dsp", "frontend", "nn", "classify", "figure", "io", "simd"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.MULTILINE)


def folder_of(path: pathlib.Path, src: pathlib.Path) -> str:
    return path.relative_to(src).parts[0]


def check_sources(src: pathlib.Path) -> list[str]:
    problems = []
    for path in sorted(src.rglob("*.[ch]pp")):
        folder = folder_of(path, src)
        if folder not in ALLOWED:
            problems.append(f"{path}: folder src/{folder} is not in the data flow (tests/layers/check_layers.py)")
            continue
        for quote, header in INCLUDE.findall(path.read_text()):
            target = header.split("/")[0]
            if quote == '"' and target not in ("cqtcnn", "base", folder) and target not in ALLOWED[folder]:
                problems.append(f"{path}: includes {header}: src/{folder} may not include src/{target}")
    return problems


def check_public(include: pathlib.Path) -> list[str]:
    problems = []
    for path in sorted(include.rglob("*.hpp")):
        for quote, header in INCLUDE.findall(path.read_text()):
            standard = quote == "<" and "/" not in header and "." not in header
            if not standard and not (quote == '"' and header.startswith("cqtcnn/")):
                problems.append(f"{path}: includes {header}: a public header includes only cqtcnn/ and std headers")
    return problems


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    problems = check_sources(root / "src") + check_public(root / "include")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
