"""No block of six or more lines is written twice in breakd/: one piece of code serves
wherever the logic is the same. Blank lines, comments, imports and lone closing
brackets are not counted; the rest is compared line by line, stripped."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "breakd"
WINDOW = 6
FILLER = frozenset({")", "]", "}", "),", "],", "},", '"""', "else:", "try:", "pass", "..."})

Place = tuple[str, int]


def significant_lines(path: Path) -> list[tuple[int, str]]:
    kept: list[tuple[int, str]] = []
    in_import = False
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        text = raw.strip()
        if in_import:
            in_import = not text.startswith(")")
            continue
        if text.startswith(("import ", "from ")):
            in_import = text.endswith("(")
            continue
        if text and not text.startswith("#") and text not in FILLER:
            kept.append((number, text))
    return kept


def repeated_blocks(root: Path) -> dict[tuple[str, ...], list[Place]]:
    places: dict[tuple[str, ...], list[Place]] = defaultdict(list)
    for path in sorted(root.rglob("*.py")):
        kept = significant_lines(path)
        for start in range(len(kept) - WINDOW + 1):
            block = tuple(text for _, text in kept[start : start + WINDOW])
            places[block].append((str(path.relative_to(root.parent)), kept[start][0]))
    return {block: where for block, where in places.items() if len(where) > 1}


def test_no_block_of_six_lines_is_repeated_in_the_package() -> None:
    repeats = repeated_blocks(PACKAGE)
    assert not repeats, "\n".join(
        f"{' and '.join(f'{file}:{line}' for file, line in where)}: {block[0]}"
        for block, where in repeats.items()
    )


def test_the_check_finds_a_copied_block(tmp_path: Path) -> None:
    package = tmp_path / "breakd"
    package.mkdir()
    body = "".join(f"    total += {number}\n" for number in range(6))
    (package / "one.py").write_text(f"def one(total):\n{body}    return total\n")
    (package / "two.py").write_text(f"def two(total):\n    total *= 2\n{body}")
    assert list(repeated_blocks(package).values()) == [[("breakd/one.py", 2), ("breakd/two.py", 3)]]
