"""tools/research/crossval.py without training: the table of means over seeds, and the training sets a fold
gets (one, or one per remaining group with --train-per-group). train.py and cqtcnn classify are
replaced by stand-ins that record what they were given."""
import tempfile
import types

from tool_harness import check, finish, need_torch

need_torch()  # crossval imports numpy, soundfile and scipy (install-deps.sh --dev)
from research import crossval  # noqa: E402

# Means over seeds per fold, then the mean and worst of the folds; the lenient score per fold.
results = {"a": {0: {"clean": (0.5, 0.6), "room": (0.4, 0.4)}, 1: {"clean": (0.7, 0.8), "room": (0.2, 0.3)}},
           "b": {0: {"clean": (0.9, 0.9), "room": (0.8, 0.8)}, 1: {"clean": (1.0, 1.0), "room": (0.6, 0.7)}}}
table = crossval.summarise(results, has_groups=True)
check("conditions", sorted(table) == ["clean", "room"], str(sorted(table)))
check("clean per fold, mean, worst", table["clean"]["a"] == 0.6 and table["clean"]["b"] == 0.95
      and table["clean"]["mean"] == 0.775 and table["clean"]["worst"] == 0.6, str(table["clean"]))
check("room", table["room"]["a"] == 0.3 and table["room"]["worst"] == 0.3 and table["room"]["mean"] == 0.5,
      str(table["room"]))
check("counting groups", table["clean"]["counting_groups"] == {"a": 0.7, "b": 0.95}, str(table["clean"]))
check("no groups, no lenient score", "counting_groups" not in crossval.summarise(results, has_groups=False)["clean"])

# The training sets of the fold that leaves out "x": every row of the other groups, once.
rows = [{"path": f"/d/{g}{i}.wav", "label": "yes" if i % 2 else "no", "source": g} for g in "xyz" for i in range(3)]
calls = []


def fake_run(command, check, stdout):
    calls.append(command)
    return types.SimpleNamespace(returncode=0)


crossval.subprocess.run = fake_run
crossval.classify = lambda cqtcnn, model, test, work: [r["label"] for r in test]  # all right
with tempfile.TemporaryDirectory() as work:
    for per_group in (False, True):
        calls.clear()
        args = types.SimpleNamespace(by="source", train_per_group=per_group, extra_train=["/s/synth.csv"],
                                     log_dir=None, cqtcnn="cqtcnn", conditions=["clean"])
        result = crossval.run_fold(args, ["--balance"], rows, "x", 0, work)
        command = calls[0]
        sets = [command[i + 1] for i, a in enumerate(command) if a == "--train"]
        own = [s for s in sets if s != "/s/synth.csv"]
        listed = []
        for path in own:
            with open(path) as f:
                listed.append(sorted(line.split(",")[0] for line in f.read().splitlines()[1:]))
        everything = sorted(p for group in listed for p in group)
        check(f"per group {per_group}: the other groups' files, once",
              everything == sorted(r["path"] for r in rows if r["source"] != "x"), str(listed))
        check(f"per group {per_group}: number of sets", len(own) == (2 if per_group else 1) and "/s/synth.csv" in sets,
              str(sets))
        if per_group:
            check("each set is one group", listed == [[f"/d/y{i}.wav" for i in range(3)], [f"/d/z{i}.wav" for i in range(3)]],
                  str(listed))
        check(f"per group {per_group}: train.py's own options follow", command[-1] == "--balance", str(command))
        check(f"per group {per_group}: the left-out group is scored", result == {"clean": (1.0, 1.0)}, str(result))
finish()
