"""Finding a bus: the variable first, then the socket systemd puts at $XDG_RUNTIME_DIR/bus;
and a bus that is not there, or not usable, as one sentence."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.dbus.address import BusUnavailable, bus_address, session_bus_address
from breakd.adapters.dbus.blocking import BlockingBus
from breakd.adapters.dbus.link import open_link


@pytest.fixture
def bus_socket(tmp_path: Path) -> Iterator[Path]:
    """A real listening Unix socket named `bus` in a runtime dir (nothing answers on it)."""
    path = tmp_path / "run dir% ü" / "bus"
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
    assert bus_address("session", environ) == "unix:path=/a/bus"


def test_without_the_variable_the_runtime_dir_socket_is_used_escaped(bus_socket: Path) -> None:
    address = session_bus_address({"XDG_RUNTIME_DIR": str(bus_socket.parent)})
    escaped = str(bus_socket.parent).replace("%", "%25").replace(" ", "%20")
    assert address == f"unix:path={escaped}/bus"
    from jeepney.bus import get_bus

    assert get_bus(address) == str(bus_socket)  # jeepney reads it back as the same path


def test_a_plain_file_named_bus_is_no_bus(tmp_path: Path) -> None:
    (tmp_path / "bus").write_text("")
    with pytest.raises(BusUnavailable, match=r"XDG_RUNTIME_DIR/bus"):
        session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)})


def test_nothing_at_all_says_so_in_one_sentence() -> None:
    with pytest.raises(BusUnavailable, match=r"^no D-Bus session bus: "):
        session_bus_address({})


def test_the_system_bus_is_the_variable_else_the_standard_socket() -> None:
    assert bus_address("system", {"DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/x"}) == "unix:path=/x"
    assert bus_address("system", {}) == "unix:path=/var/run/dbus/system_bus_socket"


def test_a_socket_that_is_no_bus_is_unavailable_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/missing")
    expected = rf"^cannot connect to the session bus at unix:path={tmp_path}/missing \("
    with pytest.raises(BusUnavailable, match=expected):
        asyncio.run(open_link("session"))
    with pytest.raises(BusUnavailable, match=expected):
        BlockingBus("session")


def test_a_bus_that_never_answers_is_unavailable_within_the_deadline(
    bus_socket: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={bus_socket}")
    with pytest.raises(BusUnavailable, match=r"did not answer within 0.2 s$"):
        asyncio.run(open_link("session", timeout=0.2))


@pytest.mark.parametrize("address", ["tcp:host=localhost,port=1", "nonsense"])
def test_an_address_jeepney_cannot_use_is_unavailable(
    address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    expected = rf"^the session bus address '{address}' is not usable: "
    with pytest.raises(BusUnavailable, match=expected):
        asyncio.run(open_link("session"))
    with pytest.raises(BusUnavailable, match=expected):
        BlockingBus("session")


def test_the_address_module_does_not_import_jeepney() -> None:
    """Checking for a bus must stay free for an idle daemon that uses none."""
    code = (
        "import sys\n"
        "from breakd.adapters.dbus.address import session_bus_address\n"
        "print('jeepney' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30
    )
    assert result.stdout.strip() == "False"
