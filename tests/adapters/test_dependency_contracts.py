"""What breakd relies on in jeepney and plyer beyond their documented API.

Each test pins one such behaviour, so that an upgrade that changes it fails here
rather than on someone's desktop. None needs a desktop or a bus daemon.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from jeepney import DBusAddress, MatchRule, Parser, new_method_call, new_signal
from jeepney.wrappers import new_error, new_method_return

from breakd.adapters.dbus.address import socket_path
from breakd.adapters.dbus.errors import BusLost
from breakd.adapters.dbus.link import BusLink, _Router, _WatchedConnection
from breakd.adapters.notify import icon_file
from breakd.core.reminder_text import compose_reminder

# -- jeepney ------------------------------------------------------------------------------

PATH = "/org/example/Contract"
INTERFACE = "org.example.Contract"


async def link_to_a_peer() -> tuple[BusLink, socket.socket]:
    """A BusLink as open_link builds it, on one end of a socket pair; the peer is the bus."""
    ours, peer = socket.socketpair()
    reader, writer = await asyncio.open_unix_connection(sock=ours)
    connection = _WatchedConnection(reader, writer)
    return BusLink("session", _Router(connection), connection), peer


def test_the_router_reads_through_the_connections_receive_so_a_hang_up_is_seen() -> None:
    """link.py notices a hang-up by overriding receive(): jeepney's router must read
    every message through it. A signal arrives that way; then the peer hangs up."""

    async def scenario() -> None:
        link, peer = await link_to_a_peer()
        queue: asyncio.Queue = asyncio.Queue()
        link.router.filter(MatchRule(type="signal", interface=INTERFACE), queue=queue)
        signal = new_signal(DBusAddress(PATH, interface=INTERFACE), "Said", "s", ("hi",))
        peer.sendall(signal.serialise(serial=1))
        assert (await asyncio.wait_for(link.next_message(queue), 5)).body == ("hi",)
        assert not link.lost
        peer.close()
        with pytest.raises(BusLost):
            await asyncio.wait_for(link.next_message(queue), 5)
        assert link.lost
        await link.close()
        assert asyncio.all_tasks() == {asyncio.current_task()}

    asyncio.run(scenario())


def test_the_router_hands_every_answer_to_its_dispatch_so_a_second_one_is_dropped() -> None:
    """link.py drops a second answer to one call in the router's `_dispatch`: jeepney's
    receiver must hand every message to it, and its reply matcher must raise
    InvalidStateError there (not elsewhere) for an answer whose call has had one."""

    async def scenario() -> None:
        link, peer = await link_to_a_peer()
        peer.setblocking(False)
        loop = asyncio.get_running_loop()
        call = asyncio.ensure_future(
            link.call(new_method_call(DBusAddress(PATH, "org.example", INTERFACE), "Ask"))
        )
        parser = Parser()
        while (asked := parser.get_next_message()) is None:
            parser.add_data(await loop.sock_recv(peer, 4096))
        answer = new_method_return(asked, "s", ("first",)).serialise(serial=1)
        second = new_error(asked, "org.example.Error", "s", ("second",)).serialise(serial=2)
        await loop.sock_sendall(peer, answer + second)
        assert await asyncio.wait_for(call, 5) == ("first",)
        await asyncio.sleep(0.05)
        assert not link.router._rcv_task.done()
        await link.close()
        peer.close()

    asyncio.run(scenario())


def test_leaving_the_router_stops_its_receiver() -> None:
    """BusLink.close() leaves the router as `async with` would; that must end its task."""

    async def scenario() -> None:
        link, peer = await link_to_a_peer()
        assert len(asyncio.all_tasks()) == 2  # this one and the router's receiver
        await link.close()
        assert asyncio.all_tasks() == {asyncio.current_task()}
        peer.close()

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("address", "path"),
    [
        ("unix:path=/run/user/1000/bus", "/run/user/1000/bus"),
        ("unix:path=/tmp/a%20b%25c,guid=0123abcd", "/tmp/a b%c"),
        ("unix:abstract=/tmp/dbus-XYZ,guid=0123abcd", "\0/tmp/dbus-XYZ"),
        ("tcp:host=localhost,port=1;unix:path=/run/bus", "/run/bus"),
    ],
)
def test_the_socket_an_address_names_is_the_first_unix_one_unescaped(
    address: str, path: str
) -> None:
    """address.py reads addresses with jeepney.bus.get_connectable_addresses (undocumented)."""
    assert socket_path("session", address) == path


# -- plyer --------------------------------------------------------------------------------

SHOW_ONE_REMINDER = """
import asyncio
from breakd.adapters.notify import NotifierError
from breakd.adapters.notify.plyer_notifier import PlyerNotifier
from breakd.core.reminder_text import compose_reminder

notifier = PlyerNotifier()
try:
    asyncio.run(notifier.show(compose_reminder("standing-lunge", "en", 30, 2700)))
except NotifierError as error:
    print(f"error: {error}")
print(notifier.name)
"""


def show_through_plyer(bin_dir: Path) -> list[str]:
    """One reminder through PlyerNotifier in a fresh interpreter (plyer keeps the backend it
    loaded), with only `bin_dir` on PATH; its output lines."""
    if importlib.util.find_spec("dbus") is not None:
        pytest.skip("dbus-python is installed, so plyer would use it rather than notify-send")
    env = {**os.environ, "PATH": str(bin_dir), "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nowhere"}
    result = subprocess.run(
        [sys.executable, "-c", SHOW_ONE_REMINDER],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return result.stdout.splitlines()


def test_plyers_private_notify_hands_notify_send_the_icon(tmp_path: Path) -> None:
    """plyer_notifier.py calls the backend's `_notify(icon=...)`: plyer's public notify()
    passes no icon to notify-send."""
    recorded = tmp_path / "notify-send.json"
    notify_send = tmp_path / "notify-send"
    notify_send.write_text(
        f"#!{sys.executable}\n"
        f"import json, sys\nopen({str(recorded)!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    notify_send.chmod(0o755)

    assert show_through_plyer(tmp_path) == ["plyer (NotifySendNotification)"]
    argv = json.loads(recorded.read_text())
    message = compose_reminder("standing-lunge", "en", 30, 2700)
    assert argv[:2] == [message.title, message.body]
    assert argv[argv.index("-i") + 1] == str(icon_file("standing-lunge"))
    assert argv[argv.index("-a") + 1] == "breakd"


def test_plyer_without_a_backend_is_said_in_one_sentence(tmp_path: Path) -> None:
    """With nothing to notify through, plyer's proxy answers for its bare facade."""
    assert show_through_plyer(tmp_path) == [
        "error: plyer found no way to notify here (on Linux it needs notify-send, from"
        " libnotify-bin)",
        "plyer",
    ]
