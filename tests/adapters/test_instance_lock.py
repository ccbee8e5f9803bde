"""One daemon per user, and a lock file that cannot be turned against its user."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from breakd.adapters.instance_lock import InstanceLock
from breakd.errors import AlreadyRunning, BreakdError


def test_a_second_lock_is_refused_naming_the_holder(tmp_path: Path) -> None:
    first = InstanceLock(tmp_path / "daemon.lock")
    first.acquire()
    try:
        with pytest.raises(
            AlreadyRunning, match=rf"^breakd is already running \(pid {os.getpid()}\)$"
        ):
            InstanceLock(tmp_path / "daemon.lock").acquire()
    finally:
        first.release()
    InstanceLock(tmp_path / "daemon.lock").acquire()  # released: free again


def test_a_planted_symlink_is_refused_and_its_target_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n")
    (tmp_path / "daemon.lock").symlink_to(target)
    with pytest.raises(BreakdError, match=r"daemon\.lock: it is a symbolic link$"):
        InstanceLock(tmp_path / "daemon.lock").acquire()
    assert target.read_text() == "keep me\n"


@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_something_other_than_a_file_is_a_clear_error(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "daemon.lock"
    if kind == "directory":
        path.mkdir()
    else:
        os.mkfifo(path)
    with pytest.raises(BreakdError, match=r"^cannot use the lock file .*daemon\.lock: "):
        InstanceLock(path).acquire()
