"""The README as a newcomer reads it: every command it shows runs, every YAML block is a
valid config, every file it links to exists, and the first screen has what they need."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from breakd.cli_parser import build_parser
from tests.e2e.daemon_process import cli

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w*)\n(.*?)^```", README, re.MULTILINE | re.DOTALL)


def command_lines(program: str) -> list[list[str]]:
    """Each `program ...` line of the README's shell and plain blocks, as words (a "$ "
    prompt and a trailing comment dropped)."""
    found = []
    for language, body in BLOCKS:
        if language not in ("", "sh"):
            continue
        for line in body.splitlines():
            words = shlex.split(line.removeprefix("$ "), comments=True)
            if words and words[0] == program:
                found.append(words[1:])
    return found


BREAKD_LINES = command_lines("breakd")
MAKE_LINES = command_lines("make")
YAML_BLOCKS = [body for language, body in BLOCKS if language == "yaml"]


def test_the_readme_shows_commands_and_a_config() -> None:
    assert len(BREAKD_LINES) >= 8 and len(MAKE_LINES) >= 3 and YAML_BLOCKS


@pytest.mark.parametrize("args", BREAKD_LINES, ids=shlex.join)
def test_every_breakd_command_in_the_readme_parses(args: list[str]) -> None:
    build_parser().parse_args(args)  # a usage error raises UsageError


@pytest.mark.parametrize("args", MAKE_LINES, ids=shlex.join)
def test_every_make_command_in_the_readme_is_a_target(args: list[str]) -> None:
    dry = subprocess.run(
        ["make", "-n", "-C", str(REPO), *args], capture_output=True, text=True, timeout=30
    )
    assert dry.returncode == 0, dry.stderr


@pytest.mark.parametrize("number", range(len(YAML_BLOCKS)))
def test_every_yaml_block_in_the_readme_is_a_valid_config(number: int, tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(YAML_BLOCKS[number])
    checked = cli("config", "check", str(config))
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, f"{config}: OK\n", "")


def test_every_file_the_readme_links_to_exists() -> None:
    targets = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", README)
    assert "docs/screenshot.png" in targets
    missing = [target for target in targets if not (REPO / target).exists()]
    assert missing == []


def test_the_first_screen_says_what_a_newcomer_needs() -> None:
    """Before the command reference: what it does, a real reminder, the defaults, how to
    install and start it at login, a first reminder to try, and where the config lives."""
    first = README[: README.index("## Using it")]
    for needed in (
        "hip-flexor stretch",
        "![",
        "docs/screenshot.png",
        "**45 minutes**",
        "**5 minutes**",
        "make install",
        "breakd autostart enable",
        "breakd remind-now",
        "~/.config/breakd/config.yaml",
        "make run",
    ):
        assert needed in first, needed
