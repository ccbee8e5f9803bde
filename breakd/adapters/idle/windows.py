"""Windows idle time: `GetLastInputInfo` against `GetTickCount`, through ctypes.

Both are 32-bit millisecond tick counts that wrap every 49.7 days, so the
difference is taken modulo 2**32: right across a wrap, as long as the user was
idle for less than 49.7 days. It covers the interactive session breakd runs
in (a service in session 0 would see no input).

user32 and kernel32 are handed in, so that tests on other systems can stand in
for them and run every line here; only `_load_libraries()` and the two calls
themselves need Windows.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from breakd.adapters.idle import IdleSourceUnavailable, SampledOnly

_TICK_MASK = 0xFFFFFFFF


class LASTINPUTINFO(ctypes.Structure):
    _fields_ = (("cbSize", ctypes.c_uint32), ("dwTime", ctypes.c_uint32))


def _load_libraries() -> tuple[Any, Any]:
    user32 = ctypes.WinDLL("user32")
    kernel32 = ctypes.WinDLL("kernel32")
    user32.GetLastInputInfo.restype = ctypes.c_int
    user32.GetLastInputInfo.argtypes = (ctypes.POINTER(LASTINPUTINFO),)
    kernel32.GetTickCount.restype = ctypes.c_uint32
    kernel32.GetTickCount.argtypes = ()
    return user32, kernel32


class WindowsIdleSource(SampledOnly):
    """Idle time of the Windows session breakd runs in."""

    name = "windows-last-input"
    description = "GetLastInputInfo"

    def __init__(self, user32: Any = None, kernel32: Any = None) -> None:
        """Read it once; IdleSourceUnavailable says why not."""
        if user32 is None or kernel32 is None:
            if sys.platform != "win32":
                raise IdleSourceUnavailable("not on Windows")
            user32, kernel32 = _load_libraries()
        self._user32 = user32
        self._kernel32 = kernel32
        self._info = LASTINPUTINFO(cbSize=ctypes.sizeof(LASTINPUTINFO))
        self._info_pointer = ctypes.pointer(self._info)
        self.idle_seconds()

    def idle_seconds(self) -> float:
        if not self._user32.GetLastInputInfo(self._info_pointer):
            raise IdleSourceUnavailable("GetLastInputInfo failed")
        now = self._kernel32.GetTickCount()
        return ((now - self._info.dwTime) & _TICK_MASK) / 1000.0

    def close(self) -> None:
        """Nothing to release: the libraries stay loaded."""
