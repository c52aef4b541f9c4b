#!/usr/bin/env bash
# The documents lead somewhere: every relative link in README.md and docs/ names a file that
# exists and, with #anchor, a heading of it (GitHub's anchors); a README section named in words
# (README: "Section") exists; and every table is whole (a row after a paragraph, not under a
# header, renders as plain text).
source "$(dirname "$0")/common.bash"

/usr/bin/python3 - "$src" <<'PY' || fail "the documents' links or tables (above)"
import pathlib, re, sys

root = pathlib.Path(sys.argv[1])
documents = [root / "README.md", *sorted((root / "docs").rglob("*.md"))]

def prose(text):
    """The lines outside fenced code blocks, with their numbers."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced:
            yield number, line

def anchors(path):
    """GitHub's anchors of a document's headings: lower case, punctuation dropped, spaces to -."""
    seen, result = {}, set()
    for _, line in prose(path.read_text()):
        if m := re.match(r"#+\s+(.*)", line):
            slug = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
            n = seen.get(slug, 0)
            seen[slug] = n + 1
            result.add(slug if n == 0 else f"{slug}-{n}")
    return result

problems = []
for doc in documents:
    name = doc.relative_to(root)
    lines = list(prose(doc.read_text()))
    for i, (number, line) in enumerate(lines):
        for target in re.findall(r"\[[^\]]+\]\(([^)\s]+)\)", re.sub(r"`[^`]*`", "", line)):
            if re.match(r"[a-z]+:", target):
                continue  # https:, mailto:
            file, _, anchor = target.partition("#")
            linked = (doc.parent / file).resolve() if file else doc
            if not linked.exists():
                problems.append(f"{name}:{number}: {target}: no such file")
            elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
                problems.append(f"{name}:{number}: {target}: no heading #{anchor} in {linked.relative_to(root)}")
        # A table row must follow a row or be a header (the line after it is |---|).
        if line.startswith("|") and not (i and lines[i - 1][1].startswith("|") and lines[i - 1][0] == number - 1):
            after = lines[i + 1][1] if i + 1 < len(lines) else ""
            if not re.match(r"\|\s*:?-", after):
                problems.append(f"{name}:{number}: a table row outside a table (a paragraph splits the table?)")
    # A section named in words, README: "Section", as the docs did before linking.
    readme_headings = {re.sub(r"^#+\s+", "", l).lower() for _, l in prose((root / "README.md").read_text()) if l.startswith("#")}
    for section in re.findall(r'README: "([^"]+)"', " ".join(l for _, l in lines)):
        if section.lower() not in readme_headings:
            problems.append(f'{name}: README: "{section}": README.md has no such section')
for p in problems:
    print(p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
