"""The daemon reads its config in a child process: the same Config, the same problems."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from breakd.config.child import load_config_in_child, load_config_in_child_async
from breakd.config.load import load_config
from breakd.errors import ConfigError
from tests.config.test_config_every_key import CHANGED, _as_yaml

ROOT = Path(__file__).resolve().parents[2]


def test_every_key_changed_reaches_the_daemon_as_the_loader_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(_as_yaml({path: text for path, (text, _) in CHANGED.items()}))

    assert load_config_in_child(path) == load_config(path)


def test_a_reload_reads_the_file_as_the_start_does(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(_as_yaml({path: text for path, (text, _) in CHANGED.items()}))
    assert asyncio.run(load_config_in_child_async(path)) == load_config(path)
    path.write_text("sitting:\n  remind_after: 3x\n")
    with pytest.raises(ConfigError) as found:
        asyncio.run(load_config_in_child_async(path))
    assert str(found.value).startswith(f"{path}:2: sitting.remind_after: ")


def test_the_example_config_reaches_the_daemon_as_the_loader_reads_it() -> None:
    path = ROOT / "config.example.yaml"
    assert load_config_in_child(path) == load_config(path)


@pytest.mark.parametrize(
    "text",
    [
        "sitting:\n  remind_after: 3x\n  bogus: 1\n",
        "sitting: [\n",
        "language: fr\nsnooze: 5\n",
    ],
)
def test_a_bad_config_has_the_same_problems_in_the_child(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as expected:
        load_config(path)

    with pytest.raises(ConfigError) as found:
        load_config_in_child(path)

    assert found.value.problems == expected.value.problems


def test_a_missing_file_is_one_problem_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as found:
        load_config_in_child(tmp_path / "absent.yaml")
    assert str(found.value) == f"{tmp_path / 'absent.yaml'}: no such file"


def test_a_child_that_cannot_run_is_one_problem_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("sitting:\n  remind_after: 30m\n")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))

    with pytest.raises(ConfigError) as found:
        load_config_in_child(path)

    assert str(found.value).startswith(f"{path}: cannot be read: ")
    assert "\n" not in str(found.value)


def test_the_daemons_process_never_imports_the_loader_or_pyyaml(tmp_path: Path) -> None:
    """What the child spares the daemon: with a config file, as `breakd run` reads it."""
    path = tmp_path / "config.yaml"
    path.write_text("sitting:\n  remind_after: 30m\n")
    code = (
        "import json, sys\n"
        "from breakd.config.effective import load_effective_config\n"
        "config = load_effective_config(sys.argv[1], in_child=True)\n"
        "print(json.dumps([config.sitting.remind_after, 'yaml' in sys.modules,"
        " 'breakd.config.load' in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == [30 * 60, False, False]
