"""`make install` as the README documents it: a fresh install puts a working `breakd` on
PATH, `breakd autostart enable` from it starts the installed breakd, and `make uninstall`
takes it all away again.

The wheel is built from a copy of the sources without build isolation (no download of
setuptools, no stale build/ in the checkout); the install itself is the real
`make install`, a fresh venv with breakd's dependencies from the package index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop import skip_or_fail

REPO = Path(__file__).resolve().parents[1]
DEADLINE = 100.0


def _run(
    argv: list[str], env: dict[str, str], cwd: Path = REPO
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=DEADLINE, check=False
    )


def _build_wheel(tmp: Path) -> Path:
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(
        REPO / "breakd", source / "breakd", ignore=shutil.ignore_patterns("__pycache__")
    )
    wheels = tmp / "wheels"
    built = _run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"),
            *("--no-build-isolation", "--wheel-dir", str(wheels), str(source)),
        ],
        dict(os.environ),
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("breakd-*.whl")
    return wheel


@pytest.fixture
def user_env(tmp_path: Path) -> dict[str, str]:
    """A new user: an empty HOME whose ~/.local/bin is on PATH, and no session."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "VIRTUAL_ENV", "PYTHON"))
        and key not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
    }
    # pip's cache stays where it was: a new HOME would download everything again.
    env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    env["HOME"] = str(home)
    env["PATH"] = f"{home}/.local/bin:{os.environ['PATH']}"
    return env


def test_make_install_puts_breakd_on_path_and_uninstall_takes_it_away(
    tmp_path: Path, user_env: dict[str, str]
) -> None:
    if shutil.which("make") is None:
        skip_or_fail("make is not installed")
    home = Path(user_env["HOME"])
    wheel = _build_wheel(tmp_path)

    installed = _run(["make", "--no-print-directory", "install", f"INSTALL_FROM={wheel}"], user_env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    link = home / ".local/bin/breakd"
    venv = home / ".local/share/breakd/venv"
    assert os.readlink(link) == str(venv / "bin/breakd")
    assert "not on your PATH" not in installed.stdout
    assert "next: breakd autostart enable" in installed.stdout

    found = shutil.which("breakd", path=user_env["PATH"])
    assert found == str(link)
    outside = tmp_path / "elsewhere"  # not the checkout: nothing may come from its sources
    outside.mkdir()
    version = _run(["breakd", "--version"], user_env, cwd=outside)
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("breakd ")
    check = _run(["breakd", "config", "check"], user_env, cwd=outside)
    assert check.returncode == 0, check.stderr
    assert "runs on its built-in defaults" in check.stdout
    located = _run(
        [str(venv / "bin/python"), "-c", "import breakd; print(breakd.__file__)"],
        user_env,
        cwd=outside,
    )
    assert located.stdout.startswith(str(venv)), located.stdout + located.stderr

    enabled = _run(["breakd", "autostart", "enable", "--method", "xdg"], user_env, cwd=outside)
    assert enabled.returncode == 0, enabled.stderr
    entry = home / ".config/autostart/breakd.desktop"
    exec_line = next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))
    assert exec_line == f"Exec={venv}/bin/python -m breakd run"

    removed = _run(["make", "--no-print-directory", "uninstall"], user_env)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not link.exists() and not link.is_symlink()
    assert not (home / ".local/share/breakd").exists()
    assert not entry.exists(), "uninstall must switch autostart off: it pointed at the removed venv"
    assert shutil.which("breakd", path=f"{home}/.local/bin") is None
