"""Finding the session bus: the variable first, then the socket systemd puts at $XDG_RUNTIME_DIR/bus."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.dbus_connection import (
    SessionBusUnavailable,
    open_session_bus,
    session_bus_address,
)


@pytest.fixture
def bus_socket(tmp_path: Path) -> Iterator[Path]:
    """A real listening Unix socket named `bus` in a runtime dir (nothing answers on it)."""
    path = tmp_path / "run dir%" / "bus"
    path.parent.mkdir()
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(path))
    listener.listen()
    try:
        yield path
    finally:
        listener.close()


def test_the_variable_wins() -> None:
    environ = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/a/bus", "XDG_RUNTIME_DIR": "/elsewhere"}
    assert session_bus_address(environ) == "unix:path=/a/bus"


def test_without_the_variable_the_runtime_dir_socket_is_used_escaped(bus_socket: Path) -> None:
    address = session_bus_address({"XDG_RUNTIME_DIR": str(bus_socket.parent)})
    escaped = str(bus_socket.parent).replace("%", "%25").replace(" ", "%20")
    assert address == f"unix:path={escaped}/bus"
    from jeepney.bus import get_bus

    assert get_bus(address) == str(bus_socket)  # jeepney reads it back as the same path


def test_a_plain_file_named_bus_is_no_bus(tmp_path: Path) -> None:
    (tmp_path / "bus").write_text("")
    with pytest.raises(SessionBusUnavailable, match=r"XDG_RUNTIME_DIR/bus"):
        session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)})


def test_nothing_at_all_says_so_in_one_sentence() -> None:
    with pytest.raises(SessionBusUnavailable, match=r"^no D-Bus session bus: "):
        session_bus_address({})


def test_a_socket_that_is_no_bus_is_unavailable_not_a_crash(tmp_path: Path) -> None:
    address = f"unix:path={tmp_path}/missing"
    with pytest.raises(SessionBusUnavailable, match=r"cannot connect to the D-Bus session bus"):
        asyncio.run(open_session_bus({"DBUS_SESSION_BUS_ADDRESS": address}))


def test_an_address_jeepney_cannot_use_is_unavailable() -> None:
    with pytest.raises(SessionBusUnavailable, match=r"cannot connect"):
        asyncio.run(open_session_bus({"DBUS_SESSION_BUS_ADDRESS": "tcp:host=localhost,port=1"}))
