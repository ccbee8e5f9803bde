"""breakd's one X11 layer: the wire protocol spoken directly on the X socket, no Xlib.

Why no Xlib: breakd must stay the lightest thing in the tray. Loading libX11 and libXss
through ctypes costs about 1.6 MiB of resident memory (ctypes itself, the libraries, the
Display structure) and python-xlib about 2.9 MiB, while breakd needs a handful of
requests and their 32-byte replies. These modules write them with `socket` and
`struct`, which the asyncio event loop has loaded anyway. Without Xlib nothing can
call `exit()` behind the daemon's back either: a dead server is just a closed socket.

- `errors`: XUnavailable (one sentence why), XLost and XError.
- `display`: DISPLAY names, and the cookie for one from the Xauthority file.
- `wire`: framing (padding, packet sizes, whole packets from a buffer) and
  QueryExtension.
- `connection`: XConnection, blocking: connect, authenticate, set up, then round
  trips with a deadline, and events read when the loop says the socket has some
  (the idle source).
- `async_connection`: AsyncXConnection, the same connection served by the asyncio
  loop: replies matched to requests, PropertyNotify events queued (full screen).

References: X Window System Protocol (X11R7), "Connection Setup", QueryExtension,
InternAtom, GetProperty, ChangeWindowAttributes, PropertyNotify; Xau for the
Xauthority file format.
"""
