"""X11 idle time from the MIT-SCREEN-SAVER extension (libXss), through ctypes.

ctypes rather than a subprocess per sample (`xprintidle`) or a compiled binding: one
persistent connection and one small request per sample is all the daemon needs.

Why the connection stays open: an X server started without `-noreset` (e.g. a bare
Xvfb) resets, and zeroes its idle counter, when its last client disconnects; and
reconnecting costs far more than one query.

Dead server: by default Xlib calls `exit()` when the connection breaks, which would take
the whole daemon down. Two layers keep it alive:

1. Before every query the socket is polled (no blocking, one syscall); a hang-up or
   error raises IdleSourceUnavailable without calling into Xlib at all.
2. For the race where the server dies between that poll and the reply, libX11 >= 1.7
   offers `XSetIOErrorExitHandler`, a per-display handler that may return. The
   process-wide `XSetIOErrorHandler` must return too (the default one calls `exit()`
   itself), so a no-op one is installed: other displays in the process keep Xlib's
   default exit handler, they only lose the "XIO: fatal IO error" line on stderr. After
   the handler returns, Xlib marks the display broken, requests fail fast, and
   `XCloseDisplay` is safe. With an older libX11 only layer 1 exists.

X protocol errors (not I/O errors) would still go to Xlib's default error handler,
which exits; the one request sent here (QueryInfo on the root window) cannot cause one.
"""

from __future__ import annotations

import ctypes
import functools
import os
import select
from typing import Any, NamedTuple

from breakd.adapters.idle import IdleSourceUnavailable

_QUEUED_ALREADY = 0  # XEventsQueued mode: count without reading the socket
_POLL_WATCH = select.POLLIN | getattr(select, "POLLRDHUP", 0)
_POLL_DEAD = select.POLLHUP | select.POLLERR | select.POLLNVAL | getattr(select, "POLLRDHUP", 0)


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = (
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),  # milliseconds since the last input
        ("event_mask", ctypes.c_ulong),
    )


# XEvent is a union padded to 24 longs.
_XEvent = ctypes.c_long * 24
_IOErrorHandler = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
_IOErrorExitHandler = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)


class _Library(NamedTuple):
    name: str  # for ctypes.util.find_library
    soname: str
    debian_package: str


_LIBX11 = _Library("X11", "libX11.so.6", "libx11-6")
_LIBXSS = _Library("Xss", "libXss.so.1", "libxss1")

# Displays whose connection Xlib reported broken (Display* addresses). Filled by the
# exit handler, which must not raise and has no other way to reach the source object.
_broken_displays: set[int] = set()


@_IOErrorHandler
def _io_error_handler(display: int | None) -> int:
    """Return instead of exiting, so that the per-display exit handler decides."""
    return 0


@_IOErrorExitHandler
def _io_error_exit_handler(display: int | None, user_data: int | None) -> None:
    """Remember the broken display and return; Xlib then fails requests on it fast."""
    if display:
        _broken_displays.add(display)


def _load(library: _Library) -> ctypes.CDLL:
    import ctypes.util  # pulls in subprocess and tempfile: only pay for it when opening

    for candidate in (ctypes.util.find_library(library.name), library.soname):
        if not candidate:
            continue
        try:
            return ctypes.CDLL(candidate)
        except OSError:
            continue
    raise IdleSourceUnavailable(
        f"cannot load {library.soname} (install the Debian package {library.debian_package})"
    )


@functools.lru_cache(maxsize=1)
def _libraries() -> tuple[Any, Any, bool]:
    """Load and type libX11 and libXss once; whether the I/O exit handler exists.

    Cached because `find_library` runs `ldconfig` and the daemon may retry opening
    (DISPLAY can appear late in a session); failures are not cached.
    """
    x11 = _load(_LIBX11)
    xss = _load(_LIBXSS)
    dpy = ctypes.c_void_p
    x11.XOpenDisplay.restype = dpy
    x11.XOpenDisplay.argtypes = (ctypes.c_char_p,)
    x11.XCloseDisplay.restype = ctypes.c_int
    x11.XCloseDisplay.argtypes = (dpy,)
    x11.XConnectionNumber.restype = ctypes.c_int
    x11.XConnectionNumber.argtypes = (dpy,)
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = (dpy,)
    x11.XEventsQueued.restype = ctypes.c_int
    x11.XEventsQueued.argtypes = (dpy, ctypes.c_int)
    x11.XNextEvent.restype = ctypes.c_int
    x11.XNextEvent.argtypes = (dpy, ctypes.POINTER(_XEvent))
    xss.XScreenSaverQueryExtension.restype = ctypes.c_int
    xss.XScreenSaverQueryExtension.argtypes = (
        dpy,
        ctypes.POINTER(ctypes.c_int),
        ctypes.POINTER(ctypes.c_int),
    )
    xss.XScreenSaverQueryInfo.restype = ctypes.c_int
    xss.XScreenSaverQueryInfo.argtypes = (dpy, ctypes.c_ulong, ctypes.POINTER(_XScreenSaverInfo))
    can_survive_io_errors = hasattr(x11, "XSetIOErrorExitHandler")
    if can_survive_io_errors:
        x11.XSetIOErrorExitHandler.restype = None
        x11.XSetIOErrorExitHandler.argtypes = (dpy, _IOErrorExitHandler, ctypes.c_void_p)
        x11.XSetIOErrorHandler.restype = ctypes.c_void_p
        x11.XSetIOErrorHandler.argtypes = (_IOErrorHandler,)
        x11.XSetIOErrorHandler(_io_error_handler)
    return x11, xss, can_survive_io_errors


class X11IdleSource:
    """Idle time of an X11 session, read from the server's MIT-SCREEN-SAVER extension.

    Works under Xvfb too. Not under Wayland-only sessions; XWayland's counter only sees
    input that goes to X clients, so the selector should prefer a Wayland source there.
    Opening a remote DISPLAY (host:0) whose host does not answer blocks in connect().
    """

    name = "x11-screensaver"

    def __init__(self, display: str | None = None) -> None:
        """Connect to `display` (default: $DISPLAY); raise IdleSourceUnavailable if useless."""
        display = display or os.environ.get("DISPLAY") or None
        if display is None:
            raise IdleSourceUnavailable("DISPLAY is not set (no X11 session)")
        self.display = display
        self._lost = False
        self._poll: select.poll | None = None
        self._x11, self._xss, self._survives_io_errors = _libraries()
        dpy = self._x11.XOpenDisplay(display.encode())
        if not dpy:
            raise IdleSourceUnavailable(f"cannot open X display {display}")
        self._dpy: int | None = dpy
        if self._survives_io_errors:
            self._x11.XSetIOErrorExitHandler(dpy, _io_error_exit_handler, None)
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not self._xss.XScreenSaverQueryExtension(
            dpy, ctypes.byref(event_base), ctypes.byref(error_base)
        ):
            self.close()
            raise IdleSourceUnavailable(
                f"the X server on {display} has no MIT-SCREEN-SAVER extension"
            )
        self._root = self._x11.XDefaultRootWindow(dpy)
        self._info = _XScreenSaverInfo()
        self._event = _XEvent()
        self._poll = select.poll()
        self._poll.register(self._x11.XConnectionNumber(dpy), _POLL_WATCH)

    @classmethod
    def open(cls, display: str | None = None) -> X11IdleSource:
        """Same as the constructor; reads better at call sites that try several sources."""
        return cls(display)

    def idle_seconds(self) -> float:
        """One QueryInfo round trip; raises IdleSourceUnavailable once the server is gone."""
        dpy = self._dpy
        if dpy is None:
            raise IdleSourceUnavailable("the X11 idle source is closed")
        if self._lost or self._connection_lost() or dpy in _broken_displays:
            self._lost = True
            raise IdleSourceUnavailable(f"the X server on {self.display} went away")
        ok = self._xss.XScreenSaverQueryInfo(dpy, self._root, ctypes.byref(self._info))
        if dpy in _broken_displays:
            self._lost = True
            raise IdleSourceUnavailable(f"the X server on {self.display} went away")
        if not ok:
            raise IdleSourceUnavailable(
                f"the X server on {self.display} did not answer the idle-time query"
            )
        self._drain_events()
        return self._info.idle / 1000.0

    def close(self) -> None:
        """Disconnect; safe to call twice. Never exits the process, even on a dead server."""
        dpy, self._dpy = self._dpy, None
        if dpy is None:
            return
        # XCloseDisplay syncs with the server first. On a dead connection that is only
        # safe when the exit handler can catch the I/O error; otherwise leave the small
        # Display struct allocated rather than risk exit().
        if self._survives_io_errors or not (
            self._lost or dpy in _broken_displays or self._connection_lost()
        ):
            self._x11.XCloseDisplay(dpy)
        _broken_displays.discard(dpy)

    def __enter__(self) -> X11IdleSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _connection_lost(self) -> bool:
        """Whether the X socket reports hang-up or error, without calling Xlib."""
        if self._poll is None:  # not fully opened yet
            return False
        return any(revents & _POLL_DEAD for _fd, revents in self._poll.poll(0))

    def _drain_events(self) -> None:
        """Drop events Xlib queued while reading the reply.

        The core protocol lets the server send some events unasked (MappingNotify);
        nothing here reads events, so without this any that arrive would pile up for as
        long as the daemon runs. Only already-queued events are taken: no socket I/O.
        """
        dpy = self._dpy
        while self._x11.XEventsQueued(dpy, _QUEUED_ALREADY) > 0:
            self._x11.XNextEvent(dpy, ctypes.byref(self._event))
