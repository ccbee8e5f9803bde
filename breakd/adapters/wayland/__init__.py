"""A small Wayland client of breakd's own: the wire protocol over the compositor's socket.

Like `adapters/x11`, it speaks the protocol itself rather than load a C library: an
idle source needs a dozen message types, and libwayland-client through cffi (as
pywayland does) would cost the idle daemon more memory than the rest of the source.
`wire.py` encodes and decodes messages, `connection.py` holds one blocking connection
with a deadline per exchange, `async_connection.py` the same read by the event loop
(the busy watchers), and `protocols.py` every message breakd sends or reads, checked
against the protocols' XML. Only what breakd asks of a compositor is here: no file
descriptors travel (the idle and window-list protocols pass none).

Reference: the Wayland protocol specification, "Wire Format", and protocol/wayland.xml
(wl_display, wl_registry, wl_callback).
"""
