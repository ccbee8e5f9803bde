"""Reading a file a user names: only a regular file, and only so much of it.

A config path may be a FIFO (a read would wait forever), `/dev/zero` (a read
would never end) or a huge file; none of those is a config or a state file.
The open does not block, and the size is checked before and during the read.
A file breakd writes itself is read without following a symlink planted in its place.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MiB = 1024 * 1024


class FileRefused(OSError):
    """Not something to read: the message says what it is instead, in a few words."""


def read_regular_file(path: Path, limit: int, follow_symlinks: bool = True) -> bytes:
    """The whole file, if it is a regular file of at most `limit` bytes.

    Raises FileNotFoundError, FileRefused, or another OSError from the open or read.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC
    if not follow_symlinks:
        if os.path.islink(path):
            raise FileRefused("a symbolic link (not followed)")
        flags |= getattr(os, "O_NOFOLLOW", 0)  # a link swapped in since fails the open
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(f"not a regular file ({_kind(mode)})")
        chunks = []
        size = 0
        while chunk := os.read(fd, 64 * 1024):
            size += len(chunk)
            if size > limit:
                raise FileRefused(f"larger than {_size(limit)}")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "not a file")


def _size(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit % MiB == 0 else f"{limit} bytes"
