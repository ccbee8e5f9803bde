"""breakd's Wayland client: the wire codec, and the connection and idle source against a
scripted compositor on a real Unix socket.

The compositor here is a test peer that answers as libwayland's server would (globals,
sync callbacks, protocol errors, a closed socket); what a real compositor counts as
input is for test_idle_wayland_sway.py, and ext-idle-notify-v1 on the real libwayland
server for test_idle_wayland_server.py.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from breakd.adapters.idle import IdleSourceUnavailable
from breakd.adapters.idle import wayland as wayland_idle
from breakd.adapters.idle.wayland import WaylandIdleSource
from breakd.adapters.wayland import connection as wayland_connection
from breakd.adapters.wayland.async_connection import AsyncWayland
from breakd.adapters.wayland.connection import SERVER_IDS, WaylandConnection
from breakd.adapters.wayland.errors import WaylandError, WaylandLost, WaylandUnavailable
from breakd.adapters.wayland.wire import WireError, decode, encode, split
from tests.dbus_services import recorder, until

# -- the codec ------------------------------------------------------------------------


def words(*values: int) -> bytes:
    return struct.pack(f"={len(values)}I", *values)


def test_a_message_is_its_object_then_size_and_opcode_then_its_arguments() -> None:
    assert encode(1, 1, "n", 2) == words(1, 12 << 16 | 1, 2)
    assert encode(5, 3, "iuo", -1, 7, 9) == words(5, 20 << 16 | 3, 0xFFFFFFFF, 7, 9)


def test_strings_carry_their_nul_and_are_padded_to_four_bytes() -> None:
    assert encode(2, 0, "s", "abc") == words(2, 16 << 16) + words(4) + b"abc\0"
    assert encode(2, 0, "s", "abcd") == words(2, 20 << 16) + words(5) + b"abcd\0\0\0\0"
    assert encode(2, 0, "s", None) == words(2, 12 << 16, 0)


def test_an_untyped_new_id_is_interface_version_and_id() -> None:
    message = encode(2, 0, "usun", 7, "wl_seat", 1, 3)
    assert decode("usun", message[8:]) == [7, "wl_seat", 1, 3]


@pytest.mark.parametrize(
    ("signature", "values"),
    [
        ("i", [-5]),
        ("u", [0xFFFFFFFF]),
        ("f", [-2.5]),
        ("f", [1 / 256]),
        ("s", ["héllo"]),
        ("s", [None]),
        ("a", [b""]),
        ("a", [b"\1\2\3\4\5"]),
        ("nsua", [3, "x", 4, b"ab"]),
    ],
)
def test_what_is_encoded_decodes_the_same(signature: str, values: list[object]) -> None:
    assert decode(signature, encode(9, 0, signature, *values)[8:]) == values  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("signature", "payload", "says"),
    [
        ("s", words(3) + b"abc\0", "without its terminating NUL"),
        ("s", words(9) + b"abc\0", "runs past the end"),
        ("u", b"\0\0", "too short"),
        ("u", words(1, 2), "left after"),
        ("s", words(2) + b"\xff\0\0\0", "not UTF-8"),
        ("h", words(1), "unknown argument type"),
    ],
)
def test_a_malformed_payload_is_a_wire_error(signature: str, payload: bytes, says: str) -> None:
    with pytest.raises(WireError, match=says):
        decode(signature, payload)


def test_whole_messages_are_split_off_and_a_partial_one_waits() -> None:
    first, second = encode(1, 0, "u", 5), encode(2, 1, "s", "hi")
    buffer = bytearray(first + second[:6])
    assert list(split(buffer)) == [(1, 0, first[8:])]
    assert buffer == second[:6]
    buffer += second[6:]
    assert list(split(buffer)) == [(2, 1, second[8:])]
    assert buffer == b""


def test_an_impossible_size_is_a_wire_error() -> None:
    with pytest.raises(WireError, match="impossible size"):
        list(split(bytearray(words(1, 6 << 16))))


def test_a_message_over_the_limit_is_refused() -> None:
    with pytest.raises(WireError, match="over the limit"):
        encode(1, 0, "a", b"x" * 5000)


# -- a scripted compositor --------------------------------------------------------------


class Compositor:
    """Accepts one client; answers get_registry with `globals`, sync with done, and hands
    each other request to `on_request`, which may answer with raw bytes."""

    def __init__(self, globals_: list[tuple[str, int]]) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="breakd-wl-"))
        self.path = str(self.directory / "wayland-test")
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.path)
        self.listener.listen(1)
        self.globals = globals_
        self.requests: list[tuple[int, int, bytes]] = []
        self.on_request: Callable[[int, int, bytes], bytes] = lambda *_: b""
        self.answer_sync = True
        self.client: socket.socket | None = None
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        client, _ = self.listener.accept()
        self.client = client
        buffer = bytearray()
        while True:
            try:
                data = client.recv(4096)
            except OSError:
                return
            if not data:
                return
            buffer += data
            for object_id, opcode, payload in split(buffer):
                self.requests.append((object_id, opcode, payload))
                self._answer(client, object_id, opcode, payload)

    def _answer(self, client: socket.socket, object_id: int, opcode: int, payload: bytes) -> None:
        out = b""
        if object_id == 1 and opcode == 1:  # get_registry
            (self.registry,) = decode("n", payload)
            for name, (interface, version) in enumerate(self.globals, 1):
                out += encode(self.registry, 0, "usu", name, interface, version)
        elif object_id == 1 and opcode == 0:  # sync
            if not self.answer_sync:
                return
            (callback,) = decode("n", payload)
            out += self.on_request(object_id, opcode, payload)
            out += encode(callback, 0, "u", 0) + encode(1, 1, "u", callback)
        else:
            out += self.on_request(object_id, opcode, payload)
        if out:
            client.sendall(out)

    def send(self, data: bytes) -> None:
        assert self.client is not None
        self.client.sendall(data)

    def hang_up(self) -> None:
        assert self.client is not None
        self.client.shutdown(socket.SHUT_RDWR)
        self.client.close()

    def close(self) -> None:
        self.listener.close()
        if self.client is not None:
            self.client.close()


@pytest.fixture
def make_compositor() -> Iterator[Callable[[list[tuple[str, int]]], Compositor]]:
    made: list[Compositor] = []

    def make(globals_: list[tuple[str, int]]) -> Compositor:
        made.append(Compositor(globals_))
        return made[-1]

    yield make
    for compositor in made:
        compositor.close()


EXT_V2 = [("wl_seat", 7), ("ext_idle_notifier_v1", 2)]


def test_the_globals_are_listed_and_bound_at_the_version_asked(make_compositor) -> None:
    compositor = make_compositor([("wl_seat", 7), ("wl_output", 4)])
    connection = WaylandConnection(compositor.path)
    try:
        assert set(connection.globals) == {"wl_seat", "wl_output"}
        seat = connection.bind("wl_seat", 1)
        connection.round_trip("test")
        bind = next(r for r in compositor.requests if r[0] == compositor.registry)
        assert decode("usun", bind[2]) == [1, "wl_seat", 1, seat]
    finally:
        connection.close()


def test_a_protocol_error_is_reported_with_the_compositors_words(make_compositor) -> None:
    compositor = make_compositor([("wl_seat", 1)])
    connection = WaylandConnection(compositor.path)
    compositor.on_request = lambda *_: encode(1, 0, "ous", 3, 2, "invalid timeout")
    with pytest.raises(WaylandError, match="object 3 \\(code 2\\): invalid timeout"):
        connection.round_trip("test")


def test_a_compositor_that_closes_the_socket_is_lost(make_compositor) -> None:
    compositor = make_compositor([("wl_seat", 1)])
    connection = WaylandConnection(compositor.path)
    compositor.hang_up()
    with pytest.raises(WaylandLost, match="closed the connection"):
        connection.round_trip("test")
    with pytest.raises(WaylandLost, match="closed the connection"):
        connection.round_trip("again")


def test_a_compositor_that_does_not_answer_is_lost_at_the_deadline(
    make_compositor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wayland_connection, "TIMEOUT", 0.3)
    compositor = make_compositor([("wl_seat", 1)])
    connection = WaylandConnection(compositor.path)
    compositor.answer_sync = False
    with pytest.raises(WaylandLost, match="did not answer"):
        connection.round_trip("test")


def test_a_malformed_event_is_unavailable(make_compositor) -> None:
    compositor = make_compositor([("wl_seat", 1)])
    connection = WaylandConnection(compositor.path)
    compositor.on_request = lambda *_: encode(2, 0, "u", 1)[:4] + words(5 << 16)
    with pytest.raises(WaylandUnavailable, match="malformed message"):
        connection.round_trip("test")


def test_ids_freed_by_the_compositor_are_used_again(make_compositor) -> None:
    compositor = make_compositor([("wl_seat", 1)])
    connection = WaylandConnection(compositor.path)
    try:
        for _ in range(5):
            connection.round_trip("test")
        syncs = [decode("n", r[2])[0] for r in compositor.requests if r[:2] == (1, 0)]
        assert len(set(syncs)) <= 2, syncs
    finally:
        connection.close()


# -- the connection on the event loop --------------------------------------------------


def test_on_the_loop_events_reach_their_objects_and_a_hang_up_is_lost(make_compositor) -> None:
    """As the full-screen watcher uses it: an object the compositor makes is adopted, its
    events handled as they come, and forgotten without a delete_id."""
    compositor = make_compositor([("wl_seat", 1)])
    made = SERVER_IDS + 3
    seen: list[tuple[int, bytes]] = []

    async def scenario() -> None:
        connection = await AsyncWayland.open(compositor.path)
        try:
            assert set(connection.connection.globals) == {"wl_seat"}
            connection.connection.adopt(
                made, lambda opcode, payload: seen.append((opcode, payload))
            )
            compositor.send(encode(made, 1, "s", "foot"))
            await connection.next_events()
            assert seen == [(1, encode(made, 1, "s", "foot")[8:])]
            connection.connection.forget(made)
            compositor.send(encode(made, 1, "s", "again"))
            await connection.round_trip("test")
            assert len(seen) == 1
            compositor.hang_up()
            with pytest.raises(WaylandLost, match="closed the connection"):
                await connection.next_events()
        finally:
            connection.close()

    asyncio.run(scenario())


def test_on_the_loop_a_compositor_that_does_not_answer_is_lost_at_the_deadline(
    make_compositor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wayland_connection, "TIMEOUT", 0.3)
    compositor = make_compositor([("wl_seat", 1)])

    async def scenario() -> None:
        connection = await AsyncWayland.open(compositor.path)
        compositor.answer_sync = False
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticking = asyncio.ensure_future(tick())
        with pytest.raises(WaylandLost, match="did not answer \\(the windows\\)"):
            await connection.round_trip("the windows")
        ticking.cancel()
        assert ticks > 5, "the loop was held while waiting"

    asyncio.run(scenario())


# -- the idle source on a scripted compositor -----------------------------------------------


def notification_request(compositor: Compositor, interface_object: int) -> tuple[int, bytes]:
    return next((r[1], r[2]) for r in compositor.requests if r[0] == interface_object)


def test_ext_idle_notify_v2_asks_for_input_only_and_follows_the_edges(make_compositor) -> None:
    compositor = make_compositor(EXT_V2)
    calls, on_input = recorder()

    async def scenario() -> None:
        with WaylandIdleSource(compositor.path) as source:
            assert "input idle notification" in source.description
            binds = [
                decode("usun", r[2]) for r in compositor.requests if r[0] == compositor.registry
            ]
            notifier = next(b[3] for b in binds if b[1] == "ext_idle_notifier_v1")
            seat = next(b[3] for b in binds if b[1] == "wl_seat")
            assert [b[2] for b in binds] == [2, 1]
            opcode, payload = notification_request(compositor, notifier)
            notification, timeout, seat_asked = decode("nuo", payload)
            assert (opcode, timeout, seat_asked) == (2, wayland_idle.NOTICE_MS, seat)
            assert source.idle_seconds() == 0.0
            compositor.send(encode(notification, 0, ""))  # idled
            idle = await until(lambda: source.idle_seconds(), message="the edge was not read")
            assert wayland_idle.NOTICE_MS / 1000 <= idle < wayland_idle.NOTICE_MS / 1000 + 1
            assert source.watch_for_input(on_input)
            await asyncio.sleep(0.1)
            assert calls == []
            compositor.send(encode(notification, 1, ""))  # resumed
            await until(lambda: calls, message="no call back at resumed")
            assert source.idle_seconds() == 0.0

    asyncio.run(scenario())
    assert len(calls) == 1


def test_ext_idle_notify_v1_asks_for_the_plain_notification(make_compositor) -> None:
    compositor = make_compositor([("wl_seat", 1), ("ext_idle_notifier_v1", 1)])
    with WaylandIdleSource(compositor.path) as source:
        assert "(idle notification)" in source.description
        binds = [decode("usun", r[2]) for r in compositor.requests if r[0] == compositor.registry]
        notifier = next(b[3] for b in binds if b[1] == "ext_idle_notifier_v1")
        assert notification_request(compositor, notifier)[0] == 1


def test_ext_is_preferred_over_the_kde_protocol(make_compositor) -> None:
    compositor = make_compositor([*EXT_V2, ("org_kde_kwin_idle", 1)])
    with WaylandIdleSource(compositor.path) as source:
        assert "ext_idle_notifier_v1" in source.description


def test_a_compositor_with_neither_protocol_is_unavailable_with_the_reason(make_compositor) -> None:
    compositor = make_compositor([("wl_seat", 1), ("wl_output", 4)])
    with pytest.raises(IdleSourceUnavailable, match="neither ext_idle_notifier_v1 nor org_kde"):
        WaylandIdleSource(compositor.path)


def test_no_wayland_display_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(IdleSourceUnavailable, match="WAYLAND_DISPLAY is not set"):
        WaylandIdleSource()
