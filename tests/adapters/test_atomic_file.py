"""Replacing a file whole: the old content or the new one, synced, and nothing left behind;
what a writer killed mid-way does leave is removed, and nothing else."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from breakd.adapters import atomic_file
from breakd.adapters.atomic_file import remove_leftovers, write_atomically


def test_the_new_content_replaces_the_old_with_the_mode_asked(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(b"old")
    write_atomically(path, b"new", mode=0o644)
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert os.listdir(tmp_path) == ["state.json"]
    write_atomically(path, b"newer")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


class Interrupted(BaseException):
    """Stands for a crash mid-way: not even an Exception."""


@pytest.mark.parametrize("failing", ["chmod", "fsync", "replace"])
@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), Interrupted()])
def test_a_write_that_fails_mid_way_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str, error: BaseException
) -> None:
    path = tmp_path / "breakd.service"
    path.write_bytes(b"old")

    def fail(*args: object) -> None:
        raise error

    monkeypatch.setattr(atomic_file.os, failing, fail)
    with pytest.raises(type(error)):
        write_atomically(path, b"new" * 10_000)
    monkeypatch.undo()
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["breakd.service"]


def test_the_file_is_synced_before_the_rename_and_its_directory_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(b"old")
    synced: list[tuple[str, bytes]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        kind = "directory" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        synced.append((kind, path.read_bytes()))
        real_fsync(fd)

    monkeypatch.setattr(atomic_file.os, "fsync", fsync)
    write_atomically(path, b"new")
    assert synced == [("file", b"old"), ("directory", b"new")]


def test_a_symlink_is_kept_and_its_target_replaced(tmp_path: Path) -> None:
    (tmp_path / "dotfiles").mkdir()
    target = tmp_path / "dotfiles" / "breakd.desktop"
    target.write_bytes(b"old")
    link = tmp_path / "breakd.desktop"
    link.symlink_to(target)
    write_atomically(link, b"new")
    assert link.is_symlink()
    assert target.read_bytes() == b"new"
    assert sorted(os.listdir(tmp_path / "dotfiles")) == ["breakd.desktop"]


KILLED_MID_WRITE = """\
import os, signal, sys
from pathlib import Path
from breakd.adapters import atomic_file
atomic_file.os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
atomic_file.write_atomically(Path(sys.argv[1]), b"half")
"""


def killed_mid_write(path: Path) -> Path:
    """Start a real write of `path` and kill -9 the writer before its rename; the
    temporary file it leaves behind."""
    before = set(os.listdir(path.parent))
    writer = subprocess.run([sys.executable, "-c", KILLED_MID_WRITE, str(path)], check=False)
    assert writer.returncode == -signal.SIGKILL
    [leftover] = set(os.listdir(path.parent)) - before
    return path.parent / leftover


def test_only_our_own_leftover_files_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(b"old")
    leftovers = {killed_mid_write(path), killed_mid_write(path)}
    assert all(leftover.read_bytes() == b"half" for leftover in leftovers)
    precious = tmp_path / "precious.txt"
    precious.write_bytes(b"keep")
    kept = {
        tmp_path / ".state.json.notes.tmp",  # not a name write_atomically makes
        tmp_path / ".other.json.abcd1234.tmp",  # another file's
        tmp_path / "state.json.abcd1234.tmp",
    }
    for name in kept:
        name.write_bytes(b"keep")
    link = tmp_path / ".state.json.linkname.tmp"
    link.symlink_to(precious)
    directory = tmp_path / ".state.json.dirnames.tmp"
    directory.mkdir()
    assert set(remove_leftovers(path)) == leftovers
    assert sorted(os.listdir(tmp_path)) == sorted(
        p.name for p in {path, precious, link, directory, *kept}
    )
    assert (path.read_bytes(), precious.read_bytes()) == (b"old", b"keep")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a file to another user")
def test_a_leftover_name_owned_by_another_user_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    leftover = killed_mid_write(path)
    os.chown(leftover, 65534, 65534)
    assert remove_leftovers(path) == []
    assert leftover.exists()
