"""`breakd stats` on a year of synthetic history: its time and the history's size.

    .venv/bin/python -m benchmarks.history_stats [--days 365] [--runs 5]

Writes a year of typical days (tests/history_sample.py, by the daemon's own writer)
into a temp XDG data dir, then times `breakd stats --month` and a whole year as a
user runs them: a fresh Python each run, the best of `--runs`. The figures are in
docs/history.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tests.history_sample import write_days


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        env = dict(os.environ, TZ="UTC")
        for variable in ("DATA", "CONFIG", "STATE"):
            env[f"XDG_{variable}_HOME"] = str(Path(root) / variable.lower())
        env["XDG_RUNTIME_DIR"] = str(Path(root) / "run")
        directory = Path(env["XDG_DATA_HOME"]) / "breakd" / "history"
        write_days(directory, date.today() - timedelta(days=options.days - 1), options.days)
        size = sum(path.stat().st_size for path in directory.iterdir())
        print(f"history of {options.days} days: {size / 2**20:.2f} MiB in {options.days} files")
        year = ["--from", (date.today() - timedelta(days=364)).isoformat()]
        for args in (["--month"], ["--month", "--json"], [*year, "--json"]):
            best = float("inf")
            for _ in range(options.runs):
                start = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "breakd", "stats", *args],
                    env=env, check=True, capture_output=True,
                )  # fmt: skip
                best = min(best, time.perf_counter() - start)
            print(f"breakd stats {' '.join(args)}: {best:.3f} s (best of {options.runs})")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
        print(f"python -c pass: {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
