"""The `breakd` command as a user types it: help, versions, usage and config errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from breakd import __version__
from breakd.cli import _plain_command
from breakd.cli_parser import build_parser
from breakd.core.commands import COMMANDS
from tests.e2e.daemon_process import cli

ROOT = Path(__file__).resolve().parents[1]


def test_version() -> None:
    result = cli("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"breakd {__version__}")


def test_help_lists_every_command() -> None:
    result = cli("--help")
    assert result.returncode == 0
    for command in [*COMMANDS, "run", "exercises", "config"]:
        assert command in result.stdout


@pytest.mark.parametrize("command", [*COMMANDS, "run", "exercises", "config"])
def test_every_command_has_help(command: str) -> None:
    result = cli(command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: breakd {command}")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["snooze", "10"], 'breakd: snooze: "10" has no unit; write it as "10s", "10m" or "10h"'),
        (["pause", "soon"], 'breakd: pause: "soon" is not a duration'),
        (["snooze", "0s"], "breakd: snooze: the duration must be longer than 0s"),
    ],
)
def test_a_bad_duration_is_a_usage_error(args: list[str], expected: str) -> None:
    result = cli(*args)
    assert result.returncode == 2
    assert result.stderr.startswith(expected)
    assert len(result.stderr.splitlines()) == 1


def test_an_unknown_command_is_a_usage_error() -> None:
    result = cli("stretch")
    assert result.returncode == 2
    assert "invalid choice: 'stretch'" in result.stderr
    assert "Traceback" not in result.stderr


def test_config_check_passes_the_example() -> None:
    result = cli("config", "check", str(ROOT / "config.example.yaml"))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip().endswith("config.example.yaml: OK")


def test_config_check_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "sitting:\n"
        "  remind_after: 45\n"
        "  repeat_evry: 5m\n"
        "exercises:\n"
        "  enabled: []\n"
        "active_hours:\n"
        "  days: [mon, funday]\n"
        '  from: "18:00"\n'
        '  to: "18:00"\n'
    )
    result = cli("config", "check", str(config))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert f"breakd: {config}:2: sitting.remind_after: expected a duration" in lines[0]
    assert 'did you mean "45m"?' in lines[0]
    expected_starts = [
        f'breakd: {config}:3: sitting: unknown key "repeat_evry"',
        f"breakd: {config}:5: exercises.enabled:",
        f"breakd: {config}:7: active_hours.days[1]:",
        f"breakd: {config}:8: active_hours.from:",
    ]
    for start in expected_starts:
        assert any(line.startswith(start) for line in lines), (start, lines)
    assert "Traceback" not in result.stderr


def test_invalid_yaml_names_its_line(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("sitting:\n  remind_after: 45m\n bad: [\n")
    result = cli("--config", str(config), "run")
    assert result.returncode == 2
    assert result.stderr.startswith(f"breakd: {config}:")
    assert "invalid YAML" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_config_given_on_the_command_line_is_an_error(tmp_path: Path) -> None:
    result = cli("--config", str(tmp_path / "nope.yaml"), "run")
    assert result.returncode == 2
    assert result.stderr == f"breakd: {tmp_path / 'nope.yaml'}: no such file\n"


def test_without_a_config_file_config_check_says_defaults_run() -> None:
    result = cli("config", "check")
    assert result.returncode == 0
    assert "built-in defaults" in result.stdout


def test_config_path_names_the_file_given_with_config_else_the_default(tmp_path: Path) -> None:
    given = cli("--config", str(tmp_path / "mine.yaml"), "config", "path")
    assert (given.returncode, given.stdout) == (0, f"{tmp_path / 'mine.yaml'}\n")
    default = cli("config", "path")
    assert default.stdout.startswith(os.environ["XDG_CONFIG_HOME"])
    assert default.stdout.endswith("/breakd/config.yaml\n")


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("en", ["Standing lunge", "Half-kneeling lunge", "Prone press-up"]),
        ("nl", ["Staande uitvalspas", "Halfknielende uitvalspas", "Opdrukken in buiklig"]),
    ],
)
def test_exercises_lists_the_three_stretches(language: str, names: list[str]) -> None:
    result = cli("exercises", "--language", language)
    assert result.returncode == 0, result.stderr
    for name in names:
        assert name in result.stdout
    each_side = {"en": "each side", "nl": "per kant"}[language]
    assert result.stdout.count(each_side) == 2


def test_exercises_follow_the_configured_language_and_selection(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("language: nl\nexercises:\n  enabled: [prone-press-up]\n  hold: 45s\n")
    result = cli("--config", str(config), "exercises")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Opdrukken in buiklig (prone-press-up), 45 s\n")
    assert "uitvalspas" not in result.stdout


def test_breakd_status_imports_nothing_heavy() -> None:
    """The command table, the texts, the durations and `StatusReply` cost no typing,
    dataclasses or core import on the way of `breakd status`, and the client speaks
    through `_socket` without `socket.py`."""
    code = (
        "import json, sys; before = set(sys.modules)\n"
        "import breakd.cli, breakd.ipc.client, breakd.status_text\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    imported = set(json.loads(result.stdout))
    assert {name for name in imported if name.startswith("breakd")} == {
        "breakd",
        "breakd.cli",
        "breakd.core",
        "breakd.core.busy_reasons",
        "breakd.core.commands",
        "breakd.core.durations",
        "breakd.core.words",
        "breakd.errors",
        "breakd.ipc",
        "breakd.ipc.client",
        "breakd.ipc.protocol",
        "breakd.ipc.peer",
        "breakd.paths",
        "breakd.status_text",
    }
    assert not imported & {"typing", "dataclasses", "argparse", "gettext", "pathlib", "socket"}


PLAIN = [
    ["status"],
    ["status", "--json"],
    ["snooze"],
    ["snooze", "10m"],
    ["pause"],
    ["pause", "1h30m"],
    ["done"],
    ["skip"],
    ["resume"],
    ["remind-now"],
    ["run"],
    ["--config", "my config.yaml", "run"],
    ["--config", "x.yaml", "status", "--json"],
    ["--config", "x.yaml", "snooze", "5m"],
]


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
def test_plain_commands_read_as_argparse_reads_them(argv: list[str]) -> None:
    quick = vars(_plain_command(argv))
    full = vars(build_parser().parse_args(argv))
    assert quick == {name: full[name] for name in quick}
    assert {name for name, value in full.items() if value not in (None, False)} <= set(quick)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["status", "--help"],
        ["status", "--jsn"],
        ["snooze", "-5m"],
        ["snooze", "5m", "10m"],
        ["done", "5m"],
        ["--config"],
        ["--config", "--help", "run"],
        ["--config=x.yaml", "run"],
        ["run", "--help"],
        ["run", "x"],
        ["doctor"],
    ],
    ids=repr,
)
def test_anything_else_is_left_to_argparse(argv: list[str]) -> None:
    assert _plain_command(argv) is None


def test_breakd_run_imports_no_other_command() -> None:
    """The daemon's own modules stay in memory all day: the parser, the other commands,
    the guided stretch and the config file's loader (PyYAML) are not among them on
    built-in defaults."""
    code = (
        "import json, sys; before = set(sys.modules)\n"
        "import breakd.cli, breakd.composition\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    imported = set(json.loads(result.stdout))
    assert not imported & {
        "argparse",
        "gettext",
        "yaml",
        "ctypes",
        "jeepney",
        "plyer",
        "breakd.cli_parser",
        "breakd.config.load",
        "breakd.doctor",
        "breakd.local_commands",
        "breakd.autostart_command",
        "breakd.core.guide",  # a guide's modules load when one starts
        "breakd.core.guide_text",
        "breakd.terminal_guide",
        "breakd.adapters.sound",
    }
