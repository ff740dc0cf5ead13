"""Side by side: this tree's read and enforce times against an older commit's, in one run.

    .venv/bin/python scripts/bench_compare.py e2d4f33            # 50 apps, five rounds
    .venv/bin/python scripts/bench_compare.py e2d4f33 --rounds 9 --apps 150

The older commit is checked out into a temporary git worktree; each round runs scan, the
cron catch-up (enforce on a converged phone) and a first harden once in each tree, the trees
alternating, each in its own process with this tree's virtual environment, through the
older tree's own `scripts/bench.py` (`one_round`). The medians are printed with every run,
so a machine that slows down mid-run slows both alike. Figures, not a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ("scan", "enforce-again", "enforce")
CHILD = """
import json, sys, tempfile
from pathlib import Path
sys.argv = ["bench"]
sys.path.insert(0, "scripts")
import bench
apps = int({apps})
with tempfile.TemporaryDirectory() as tmp:
    scratch = Path(tmp)
    (scratch / "bench-profile.toml").write_text(bench.BENCH_PROFILE)
    print(json.dumps({{w: bench.one_round(w, apps, False, scratch)["seconds"] for w in {work}}}))
"""


def one(tree: Path, apps: int) -> dict[str, float]:
    code = CHILD.format(apps=apps, work=list(WORK))
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tree, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"bench failed in {tree}:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("old", help="the commit to compare with (e.g. e2d4f33)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--apps", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hardener-compare-") as tmp:
        old_tree = Path(tmp) / "old"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(old_tree), args.old],
            check=True,
        )
        try:
            runs: dict[str, dict[str, list[float]]] = {
                name: {w: [] for w in WORK} for name in ("old", "new")
            }
            for _ in range(args.rounds):
                for name, tree in (("old", old_tree), ("new", ROOT)):
                    for work, seconds in one(tree, args.apps).items():
                        runs[name][work].append(seconds)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_tree)],
                check=False,
            )
    print(f"{args.apps} apps, {args.rounds} rounds, medians (every run listed):")
    for work in WORK:
        old, new = (statistics.median(runs[n][work]) for n in ("old", "new"))
        listed = " / ".join(f"{s:.3f}" for s in runs["new"][work])
        before = " / ".join(f"{s:.3f}" for s in runs["old"][work])
        print(
            f"  {work:14} {args.old} {old:.3f} s  now {new:.3f} s  x{new / old:.2f}"
            f"   ({before} | {listed})"
        )


if __name__ == "__main__":
    main()
