"""The Wayland wire format: a message is its object's id, then its size and opcode, then
its arguments, each a multiple of 4 bytes, in the host's byte order.

Arguments are described by a signature of one letter each, as libwayland does: `i`
int, `u` uint, `f` fixed (24.8), `s` string, `o` object, `n` new_id, `a` array. A
new_id without an interface in the XML (wl_registry.bind) is written as its three
parts, "sun". File descriptors (`h`) travel beside the bytes and are not supported.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

HEADER = struct.Struct("=II")
"""Object id; size (upper 16 bits, header included) and opcode (lower 16)."""
MAX_SIZE = 4096
"""libwayland's largest message, header included."""

Value = int | float | str | bytes | None


class WireError(ValueError):
    """A message that does not follow the format."""


def _padded(length: int) -> int:
    return length + (-length % 4)


def encode(object_id: int, opcode: int, signature: str, *values: Value) -> bytes:
    """One request: `values` as `signature` describes them."""
    if len(signature) != len(values):
        raise WireError(f"{len(values)} values for the signature {signature!r}")
    body = b"".join(_encode_one(kind, value) for kind, value in zip(signature, values, strict=True))
    size = HEADER.size + len(body)
    if size > MAX_SIZE:
        raise WireError(f"a message of {size} bytes is over the limit of {MAX_SIZE}")
    return HEADER.pack(object_id, size << 16 | opcode) + body


def _encode_one(kind: str, value: Value) -> bytes:
    try:
        if kind == "i":
            return struct.pack("=i", value)
        if kind in "uon":
            return struct.pack("=I", 0 if value is None else value)
        if kind == "f":
            assert isinstance(value, (int, float))
            return struct.pack("=i", round(value * 256))
        if kind == "s":
            if value is None:
                return struct.pack("=I", 0)
            assert isinstance(value, str)
            data = value.encode() + b"\0"
            return struct.pack("=I", len(data)) + data.ljust(_padded(len(data)), b"\0")
        if kind == "a":
            assert isinstance(value, bytes)
            return struct.pack("=I", len(value)) + value.ljust(_padded(len(value)), b"\0")
    except (struct.error, AssertionError, TypeError):
        raise WireError(f"{value!r} is not a valid {kind!r} argument") from None
    raise WireError(f"unknown argument type {kind!r}")


def decode(signature: str, payload: bytes) -> list[Value]:
    """The arguments of one message's payload (after its header)."""
    values: list[Value] = []
    offset = 0
    try:
        for kind in signature:
            if kind == "i":
                values.append(struct.unpack_from("=i", payload, offset)[0])
                offset += 4
            elif kind in "uon":
                values.append(struct.unpack_from("=I", payload, offset)[0])
                offset += 4
            elif kind == "f":
                values.append(struct.unpack_from("=i", payload, offset)[0] / 256)
                offset += 4
            elif kind in "sa":
                (length,) = struct.unpack_from("=I", payload, offset)
                offset += 4
                data = payload[offset : offset + length]
                if len(data) != length:
                    raise WireError(f"a {kind!r} argument runs past the end of its message")
                offset += _padded(length)
                values.append(_string(data) if kind == "s" else bytes(data))
            else:
                raise WireError(f"unknown argument type {kind!r}")
    except struct.error:
        raise WireError(f"a message too short for its signature {signature!r}") from None
    if offset != len(payload):
        raise WireError(f"{len(payload) - offset} bytes left after the signature {signature!r}")
    return values


def _string(data: bytes) -> str | None:
    if not data:
        return None  # a null string
    if data[-1] != 0:
        raise WireError("a string without its terminating NUL")
    try:
        return data[:-1].decode()
    except UnicodeDecodeError:
        raise WireError("a string that is not UTF-8") from None


def split(buffer: bytearray) -> Iterator[tuple[int, int, bytes]]:
    """The whole messages at the start of `buffer`, taken out of it: (object, opcode,
    payload). What remains is the start of a message still on its way."""
    while len(buffer) >= HEADER.size:
        object_id, size_opcode = HEADER.unpack_from(buffer)
        size = size_opcode >> 16
        if size < HEADER.size or size % 4:
            raise WireError(f"a message of impossible size {size}")
        if len(buffer) < size:
            return
        payload = bytes(buffer[HEADER.size : size])
        del buffer[:size]
        yield object_id, size_opcode & 0xFFFF, payload
