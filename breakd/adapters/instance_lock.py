"""One daemon per user: an advisory lock that the OS releases when the process dies.

A lock file, unlike a pid file, cannot go stale: a crashed daemon's lock is
gone with it, so the next start never has to guess.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from pathlib import Path

from breakd.errors import AlreadyRunning, BreakdError


class InstanceLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise AlreadyRunning naming the holder's pid."""
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise AlreadyRunning(f"breakd is already running (pid {holder})") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def _open(self) -> int:
        """The lock file, never through a symlink, and only a regular file of this user's:
        the pid written into it must not land in a file someone planted there."""
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
        try:
            fd = os.open(self.path, flags, 0o600)
        except OSError as error:
            why = "it is a symbolic link" if error.errno == errno.ELOOP else error.strerror
            raise BreakdError(f"cannot use the lock file {self.path}: {why}") from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            os.close(fd)
            raise BreakdError(f"cannot use the lock file {self.path}: not a regular file of yours")
        return fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
