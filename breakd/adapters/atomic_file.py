"""Replacing a file whole: after a crash or a power cut it holds the old content or the
new, never a mix, an empty file or a leftover temporary one.

The data goes to a temporary file beside the target and is synced to disk before
the rename over the target; the directory is synced after, so that the rename
survives a power cut too. The state file and the autostart files are written here.
A writer killed mid-way (kill -9) does leave its temporary file behind; the state
file's owner removes those with `remove_leftovers` when it starts.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path

# mkstemp puts eight of [a-z0-9_] between the prefix and the suffix.
_RANDOM_PART = r"[a-z0-9_]{8}"
_SUFFIX = ".tmp"


def _prefix(target: Path) -> str:
    return f".{target.name}."


def write_atomically(
    path: Path, data: bytes, mode: int = 0o600, follow_symlink: bool = True
) -> None:
    """Replace `path` with `data`, with permissions `mode`; on any error the old file
    stays as it was and the error is raised (an OSError, or the interrupt).

    A symlink (a dotfiles manager's) is kept: its target is replaced instead. With
    `follow_symlink` False the link itself is replaced and its target left alone.
    """
    follow = follow_symlink and path.is_symlink()
    target = Path(os.path.realpath(path)) if follow else path
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=_prefix(target), suffix=_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as file:
            os.chmod(temporary, mode)
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    sync_directory(target.parent)


def remove_leftovers(path: Path) -> list[Path]:
    """Delete the temporary files that writers of `path` killed mid-way left beside it;
    returns them. Only names `write_atomically` makes, and only regular files of this
    user's: a symlink, a directory or another user's file of such a name stays."""
    pattern = re.compile(re.escape(_prefix(path)) + _RANDOM_PART + re.escape(_SUFFIX))
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    removed = []
    for name in names:
        if not pattern.fullmatch(name):
            continue
        leftover = path.parent / name
        try:
            info = os.lstat(leftover)
            if stat.S_ISREG(info.st_mode) and _ours(info):
                os.unlink(leftover)
                removed.append(leftover)
        except OSError:
            continue
    return removed


def _ours(info: os.stat_result) -> bool:
    """Owned by this user; Windows has no owner ids to compare."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()


def sync_directory(directory: Path) -> None:
    """Make a rename in `directory` durable, where the platform can open a directory
    (Windows cannot) and sync it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
