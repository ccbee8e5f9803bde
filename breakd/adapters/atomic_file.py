"""Replacing a file whole: after a crash or a power cut it holds the old content or the
new, never a mix, an empty file or a leftover temporary one.

The data goes to a temporary file beside the target and is synced to disk before
the rename over the target; the directory is synced after, so that the rename
survives a power cut too. The state file and the autostart files are written here.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace `path` with `data`, with permissions `mode`; on any error the old file
    stays as it was and the error is raised (an OSError, or the interrupt).

    A symlink (a dotfiles manager's) is kept: its target is replaced instead.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
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
