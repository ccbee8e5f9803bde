"""Windows Focus Assist / do not disturb, read from its WNF state through ntdll.

Windows has no documented way to read Focus Assist. The shell publishes the active
profile in the Windows Notification Facility state
WNF_SHEL_QUIETHOURS_ACTIVE_PROFILE_CHANGED (0x0D83063EA3BF1C75, that is
Data = {0xA3BF1C75, 0x0D83063E}), read with `ntdll!NtQueryWnfStateData` as a
DWORD: 0 off, 1 priority only, 2 alarms only. Both 1 and 2 hold a reminder
("dnd:windows"); any other non-zero value counts as on too, as Stretchly does
(through the windows-focus-assist package).

How sure this is: the constant and the values are undocumented. They are the
ones Workrave, the windows-focus-assist package and other independent tools use
(one tool, Entracte, uses a different constant, which looks wrong); breakd's own
tests never make the real call. Users report it not detected on some Windows 10 22H2 machines
(Stretchly #1600), and whether Windows 11's newer "Do not disturb" switch writes
the same state is not verified. A state that was never written reads as zero
bytes, which counts as off.

Focus Assist's automatic rules (a full-screen game or app, a duplicated display)
also switch it on, so this signal overlaps with `fullscreen:windows`.

WNF can call back on change (`RtlSubscribeWnfStateChangeNotification`), but the
callback runs on an ntdll worker thread and its function pointer must be kept
alive from Python; a poll every 10 s (one system call, no allocation) is simpler
and as good for holding a reminder.

ntdll is loaded only when the signal runs on Windows; the function can be handed
in, so tests on other systems run every line here except `load_query()` and the
call itself.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from breakd.adapters.busy import FREE, BusySignalStopped, BusySignalUnavailable, Reading, Report
from breakd.adapters.busy.polling import report_changes

POLL_EVERY = 10.0
REASON = "dnd:windows"

WNF_SHEL_QUIETHOURS_ACTIVE_PROFILE_CHANGED = 0x0D83063EA3BF1C75
"""Undocumented; see the module docs for how sure it is."""

FOCUS_ASSIST_OFF = 0
FOCUS_ASSIST_PRIORITY_ONLY = 1
FOCUS_ASSIST_ALARMS_ONLY = 2

LEVEL_NAMES: dict[int, str] = {
    FOCUS_ASSIST_OFF: "Focus Assist is off",
    FOCUS_ASSIST_PRIORITY_ONLY: "Focus Assist is on (priority only)",
    FOCUS_ASSIST_ALARMS_ONLY: "Focus Assist is on (alarms only)",
}

_BUFFER_WORDS = 4
"""The state is one DWORD; a few spare ones keep a longer value from failing the call."""


class WNF_STATE_NAME(ctypes.Structure):
    _fields_ = (("Data", ctypes.c_uint32 * 2),)


def state_name(value: int) -> WNF_STATE_NAME:
    """A 64-bit WNF state name as the two ULONGs ntdll takes, low half first."""
    name = WNF_STATE_NAME()
    name.Data[0] = value & 0xFFFFFFFF
    name.Data[1] = value >> 32
    return name


def reading_for(level: int) -> Reading:
    """What one Focus Assist level means for breakd: anything but off is busy."""
    return FREE if level == FOCUS_ASSIST_OFF else Reading.of({REASON})


def describe(level: int) -> str:
    return LEVEL_NAMES.get(level, f"Focus Assist level {level}, counted as on")


def load_query() -> Any:
    """ntdll's NtQueryWnfStateData with its types set (Windows only)."""
    try:
        ntdll = ctypes.WinDLL("ntdll")  # type: ignore[attr-defined]
        function = ntdll.NtQueryWnfStateData
    except (AttributeError, OSError) as error:
        raise BusySignalUnavailable(
            f"cannot load NtQueryWnfStateData from ntdll ({error})"
        ) from None
    ulong_pointer = ctypes.POINTER(ctypes.c_uint32)
    function.restype = ctypes.c_long  # NTSTATUS
    function.argtypes = (
        ctypes.POINTER(WNF_STATE_NAME),  # StateName
        ctypes.c_void_p,  # TypeId (none)
        ctypes.c_void_p,  # ExplicitScope (none)
        ulong_pointer,  # ChangeStamp, out
        ulong_pointer,  # Buffer, out
        ulong_pointer,  # BufferSize, in/out
    )
    return function


class WindowsFocusAssist:
    """Busy ("dnd:windows") while Focus Assist is on, at either level."""

    name = "dnd:windows"

    def __init__(self, query: Any = None, poll_every: float = POLL_EVERY) -> None:
        """`query` stands in for NtQueryWnfStateData; None loads the real one on start."""
        self._query = query
        self._poll_every = poll_every
        self._name = state_name(WNF_SHEL_QUIETHOURS_ACTIVE_PROFILE_CHANGED)
        self._stamp = ctypes.c_uint32(0)
        self._buffer = (ctypes.c_uint32 * _BUFFER_WORDS)()
        self._size = ctypes.c_uint32(0)
        self._pointers = (
            ctypes.pointer(self._name),
            ctypes.pointer(self._stamp),
            ctypes.cast(self._buffer, ctypes.POINTER(ctypes.c_uint32)),
            ctypes.pointer(self._size),
        )

    async def probe(self) -> str:
        level = self.level()
        return (
            f"the Focus Assist WNF state (undocumented) every {self._poll_every:g} s"
            f" (now: {describe(level)})"
        )

    async def watch(self, report: Report) -> None:
        said = self.read()  # BusySignalUnavailable before anything is reported
        report(said)
        await report_changes(self._read_again, report, self._poll_every, said)

    def read(self) -> Reading:
        return reading_for(self.level())

    def level(self) -> int:
        """One system call: the Focus Assist level now (0 when the state was never written)."""
        query = self._load()
        name, stamp, buffer, size = self._pointers
        self._buffer[0] = 0
        self._size.value = ctypes.sizeof(self._buffer)
        status = query(name, None, None, stamp, buffer, size)
        if status < 0:  # NT_SUCCESS is status >= 0
            raise BusySignalUnavailable(
                f"NtQueryWnfStateData failed for the Focus Assist state"
                f" (NTSTATUS 0x{status & 0xFFFFFFFF:08X})"
            )
        if self._size.value < ctypes.sizeof(ctypes.c_uint32):
            return FOCUS_ASSIST_OFF
        return int(self._buffer[0])

    def _read_again(self) -> Reading:
        try:
            return self.read()
        except BusySignalUnavailable as error:
            raise BusySignalStopped(str(error)) from None

    def _load(self) -> Any:
        if self._query is None:
            if sys.platform != "win32":
                raise BusySignalUnavailable(
                    "not on Windows: Focus Assist is read from a Windows kernel state (WNF)"
                )
            self._query = load_query()
        return self._query
