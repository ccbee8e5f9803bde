"""Print each dependency of pyproject.toml pinned to its lower bound, for `make test-min`.

"jeepney>=0.8,<0.10" becomes "jeepney==0.8". A dependency with no ">=" bound is
an error: there would be no lowest version to test.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def lowest(requirement: str) -> str:
    name = re.match(r"[A-Za-z0-9_.-]+", requirement)
    bound = re.search(r">=\s*([^,;\s]+)", requirement)
    if name is None or bound is None:
        sys.exit(f"{requirement!r} has no lower bound (>=) to test")
    return f"{name.group()}=={bound.group(1)}"


def main() -> None:
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    block = re.search(r"^dependencies = \[(.*?)^\]", pyproject, re.MULTILINE | re.DOTALL)
    if block is None:
        sys.exit("pyproject.toml has no dependencies = [...] list")
    for requirement in re.findall(r'"([^"]+)"', block.group(1)):
        print(lowest(requirement))


if __name__ == "__main__":
    main()
