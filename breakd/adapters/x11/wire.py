"""The framing every X11 connection shares: padding, packet sizes, whole packets.

The server sends 32-byte packets; a reply or a generic event says how many 4-byte
units follow it. Requests and their strings are padded to four bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

REPLY = 1
"""The first byte of a reply; 0 is an error, and anything above an event."""
GENERIC_EVENT = 35
"""The only event longer than 32 bytes."""
SENT_EVENT = 0x80
"""Set in an event's first byte when a client sent it (SendEvent)."""
_QUERY_EXTENSION = 98  # core opcode


def pad(data: bytes) -> bytes:
    """`data` padded with zeros to a multiple of four bytes, as the protocol wants."""
    return data + b"\0" * (-len(data) % 4)


def query_extension(name: bytes) -> bytes:
    """The QueryExtension request for `name`; its reply holds present, opcode and first
    event at bytes 8 to 10."""
    length = 2 + (len(name) + 3) // 4
    return struct.pack("<BxHHxx", _QUERY_EXTENSION, length, len(name)) + pad(name)


def packet_size(head: bytes | bytearray) -> int:
    """The size of the packet whose first 32 bytes start `head`: replies and generic
    events say how many 4-byte units follow; errors and other events have none."""
    if head[0] in (REPLY, GENERIC_EVENT):
        (extra,) = struct.unpack_from("<I", head, 4)
        return 32 + 4 * extra
    return 32


def whole_packets(buffer: bytearray) -> Iterator[bytes]:
    """Take each whole packet off the front of `buffer`, leaving a partial one for later."""
    while len(buffer) >= 32 and len(buffer) >= (size := packet_size(buffer)):
        packet = bytes(buffer[:size])
        del buffer[:size]
        yield packet


def kind(packet: bytes) -> int:
    """0 for an error, 1 for a reply, else the event code (sent by a client or not)."""
    return packet[0] & (SENT_EVENT - 1)
