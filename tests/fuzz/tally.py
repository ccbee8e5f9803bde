"""The suite's totals: each fuzz test adds a line, `make fuzz` prints the sum.

A test records what it ran (examples, bad inputs, faults injected and survived,
anything lost) to the file BREAKD_FUZZ_TALLY names, one JSON object a line, so
that the totals come from the two xdist workers alike. Without the variable
nothing is written. `python -m tests.fuzz.tally FILE` prints the table that
docs/faults.md quotes.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

FIELDS = ("examples", "bad_inputs", "faults", "lost", "known_bugs")


@dataclass
class Tally:
    """What one target ran. `lost`: replies, counts or reminders that went missing (each
    fails the test, so a passing run has none); `known_bugs`: times the run met a bug
    that an xfail test describes, and stepped past it."""

    target: str
    examples: int = 0
    bad_inputs: int = 0
    faults: int = 0
    lost: int = 0
    known_bugs: int = 0

    def save(self) -> None:
        path = os.environ.get("BREAKD_FUZZ_TALLY")
        if not path:
            return
        with open(path, "a", encoding="utf-8") as file:  # one short line: appends don't interleave
            file.write(json.dumps(asdict(self)) + "\n")


def summary(lines: list[str]) -> str:
    rows: dict[str, Counter[str]] = {}
    for line in lines:
        entry = json.loads(line)
        rows.setdefault(entry["target"], Counter()).update({name: entry[name] for name in FIELDS})
    total: Counter[str] = Counter()
    for row in rows.values():
        total.update(row)
    width = max([len(target) for target in rows] + [len("total")])
    out = [f"{'target':<{width}}  " + "  ".join(f"{name:>10}" for name in FIELDS)]
    for target, row in [*sorted(rows.items()), ("total", total)]:
        out.append(f"{target:<{width}}  " + "  ".join(f"{row[name]:>10,}" for name in FIELDS))
    return "\n".join(out)


def main(argv: list[str]) -> None:
    path = Path(argv[0])
    if not path.exists():
        sys.exit(f"{path}: no totals (did the fuzz run start?)")
    print(summary(path.read_text(encoding="utf-8").splitlines()))


if __name__ == "__main__":
    main(sys.argv[1:])
