"""Config files that are not config files: pipes, devices, huge files, endless problems."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from breakd.config.load import load_config
from breakd.errors import ConfigError


def check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "breakd", "config", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )


def test_a_named_pipe_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "config.yaml"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = check(fifo)
    assert time.monotonic() - started < 10
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"breakd: {fifo}: cannot read: not a regular file (a named pipe); expected a YAML file\n"
    )


@pytest.mark.parametrize(
    ("path", "what"), [("/dev/zero", "a character device"), ("/", "a directory")]
)
def test_a_device_or_directory_is_refused(path: str, what: str) -> None:
    with pytest.raises(ConfigError, match=rf"cannot read: not a regular file \({what}\)"):
        load_config(Path(path))


def test_a_file_over_one_mib_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "config.yaml"
    big.write_text("# padding\n" * 110_000)
    with pytest.raises(ConfigError, match=r"cannot read: larger than 1 MiB; expected a YAML file$"):
        load_config(big)


def test_config_check_shows_the_first_fifty_problems_and_a_count(tmp_path: Path) -> None:
    many = tmp_path / "config.yaml"
    many.write_text("".join(f"key{number}: 1\n" for number in range(20_000)))
    started = time.monotonic()
    result = check(many)
    assert time.monotonic() - started < 10
    lines = result.stderr.splitlines()
    assert result.returncode == 2
    assert len(lines) == 51
    assert lines[0].startswith(f'breakd: {many}:1: unknown key "key0"; valid keys here: sitting,')
    assert lines[49].startswith(f'breakd: {many}:50: unknown key "key49"')
    assert lines[50] == "breakd: ... and 19950 more problems"
