"""Every YAML example in README.md and docs/*.md passes `breakd config check`.

The examples are written by hand, so a renamed key or a bad value in one would
otherwise only show when a user copies it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from breakd.cli import main

ROOT = Path(__file__).resolve().parents[2]
_YAML_BLOCK = re.compile(r"^```ya?ml\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def _yaml_blocks() -> list[pytest.ParameterSet]:
    """Each fenced YAML block, named by its file and the line its text starts on."""
    blocks = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text("utf-8")
        for match in _YAML_BLOCK.finditer(text):
            line = text.count("\n", 0, match.start(1)) + 1
            blocks.append(pytest.param(match[1], id=f"{doc.name}:{line}"))
    return blocks


BLOCKS = _yaml_blocks()


def test_the_readme_has_yaml_examples() -> None:
    """So that a change to the fences cannot leave the test below with nothing to check."""
    assert BLOCKS


@pytest.mark.parametrize("text", BLOCKS)
def test_a_yaml_example_passes_config_check(
    text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(text, encoding="utf-8")

    code = main(["config", "check", str(path)])

    problems = capsys.readouterr().err
    assert (code, problems) == (0, ""), problems
