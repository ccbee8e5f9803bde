"""Linux timerfd: a timer on any clock, as a file descriptor the event loop can watch.

The event loop's own timers run on CLOCK_MONOTONIC, which stops during suspend
and knows nothing of the wall clock being set. A timerfd on CLOCK_BOOTTIME fires
on time across a suspend, and one on CLOCK_REALTIME with TFD_TIMER_CANCEL_ON_SET
wakes when the wall clock is set. Python has `os.timerfd_create` from 3.13; before
that the three libc calls go through ctypes, loaded only here.
"""

from __future__ import annotations

import errno
import functools
import os
import sys

CLOCK_REALTIME = 0
CLOCK_BOOTTIME = 7
TFD_TIMER_ABSTIME = 1
TFD_TIMER_CANCEL_ON_SET = 2
_TFD_NONBLOCK = 0o4000
_TFD_CLOEXEC = 0o2000000


class TimerFdUnavailable(OSError):
    """No timerfd here (not Linux, or the clock is not supported)."""


def available() -> bool:
    return sys.platform.startswith("linux")


def create(clock_id: int) -> int:
    """A non-blocking, close-on-exec timerfd on `clock_id`."""
    if not available():
        raise TimerFdUnavailable("timerfd is Linux only")
    if hasattr(os, "timerfd_create"):
        return os.timerfd_create(clock_id, flags=_TFD_NONBLOCK | _TFD_CLOEXEC)
    return _libc().create(clock_id, _TFD_NONBLOCK | _TFD_CLOEXEC)


def arm(fd: int, seconds: float, flags: int = 0) -> None:
    """Fire once at `seconds` (relative, or absolute with TFD_TIMER_ABSTIME); 0 disarms."""
    if hasattr(os, "timerfd_settime"):
        os.timerfd_settime(fd, flags=flags, initial=seconds, interval=0)
    else:
        _libc().settime(fd, flags, seconds)


def expired(fd: int) -> bool:
    """Consume a wake-up: True if the timer fired; False if the wall clock was set
    (CANCEL_ON_SET) or nothing was pending."""
    try:
        os.read(fd, 8)
    except BlockingIOError:
        return False
    except OSError as error:
        if error.errno == errno.ECANCELED:
            return False
        raise
    return True


@functools.cache
def _libc() -> _CtypesTimerFd:
    return _CtypesTimerFd()


class _CtypesTimerFd:
    """timerfd_create and timerfd_settime from libc, for Pythons before 3.13."""

    def __init__(self) -> None:
        import ctypes

        class Timespec(ctypes.Structure):
            _fields_ = (("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long))

        class Itimerspec(ctypes.Structure):
            _fields_ = (("interval", Timespec), ("value", Timespec))

        self._ctypes = ctypes
        self._itimerspec = Itimerspec
        self._lib = ctypes.CDLL(None, use_errno=True)

    def create(self, clock_id: int, flags: int) -> int:
        return self._check(self._lib.timerfd_create(clock_id, flags))

    def settime(self, fd: int, flags: int, seconds: float) -> None:
        whole = int(seconds)
        nanoseconds = round((seconds - whole) * 1e9)
        if seconds > 0 and whole == nanoseconds == 0:
            nanoseconds = 1  # a moment already past still fires; all zeros would disarm
        spec = self._itimerspec((0, 0), (whole, nanoseconds))
        self._check(self._lib.timerfd_settime(fd, flags, self._ctypes.byref(spec), None))

    def _check(self, result: int) -> int:
        if result < 0:
            code = self._ctypes.get_errno()
            raise TimerFdUnavailable(code, os.strerror(code))
        return result
