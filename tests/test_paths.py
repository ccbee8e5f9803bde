"""breakd's files follow the XDG variables, so tests (and users) can move them anywhere."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from breakd import paths

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG layout")


def test_xdg_variables_are_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "c"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "s"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "r"))
    assert paths.config_file() == tmp_path / "c" / "breakd" / "config.yaml"
    assert paths.state_dir() == tmp_path / "s" / "breakd"
    assert paths.socket_path() == tmp_path / "r" / "breakd" / "control.sock"


def test_unset_or_relative_xdg_variables_fall_back_to_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("XDG_STATE_HOME", "relative/state")
    assert paths.config_file() == tmp_path / ".config" / "breakd" / "config.yaml"
    assert paths.state_dir() == tmp_path / ".local" / "state" / "breakd"


def test_the_linux_daemon_does_not_load_platformdirs() -> None:
    import subprocess

    code = (
        "import sys, breakd.paths as p; p.config_file(); p.state_dir(); p.socket_path();"
        "print('platformdirs' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
