"""Start-up time of the command line: how long a query command takes from a cold
process to its output, for one or more source trees side by side.

Each command runs in a process of its own (``python -m kb.cli ...`` run in the tree,
with the tree on PYTHONPATH), the trees alternating in order round by round, so a
tree that runs second gains nothing from the other's warm caches. Prints min / median
/ max per tree and command, and the load average.

    python benchmarks/startup.py --db sqlite:///kb-demo.sqlite --tree . --tree /tmp/old
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = (
    ("--help",),
    ("said", "--who", "Blinken", "--limit", "5"),
    ("events", "--limit", "5"),
    ("show", "Antony Blinken"),
)


def _time(tree: Path, db: str, args: tuple[str, ...]) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    t0 = time.perf_counter()
    # run from the tree: ``python -m`` puts the working folder first on the path
    subprocess.run([sys.executable, "-m", "kb.cli", "--db", db, *args], env=env, check=True,
                   cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="a kb database to query (e.g. the demo's)")
    ap.add_argument("--tree", action="append", type=Path, required=True,
                    help="a kb source tree (repeat to compare trees)")
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    trees = [t.resolve() for t in a.tree]
    times: dict[tuple[Path, tuple[str, ...]], list[float]] = {}
    for r in range(a.rounds):
        order = trees if r % 2 == 0 else trees[::-1]
        for args in COMMANDS:
            for tree in order:
                times.setdefault((tree, args), []).append(_time(tree, a.db, args))
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}; "
          f"{a.rounds} rounds, each command in a new process")
    for args in COMMANDS:
        for tree in trees:
            t = times[(tree, args)]
            print(f"kb {' '.join(args):32} {str(tree):28} min {min(t):.2f} s  "
                  f"median {statistics.median(t):.2f} s  max {max(t):.2f} s")


if __name__ == "__main__":
    main()
