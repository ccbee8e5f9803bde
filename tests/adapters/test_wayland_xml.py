"""breakd's table of Wayland messages (`adapters/wayland/protocols.py`) against the
protocols' own XML, as Debian's packages ship it: each request and event breakd uses
has the XML's name at the opcode its order gives, the version that brought it, and
the XML's argument types.

Debian bookworm ships wayland.xml (libwayland-dev), ext-idle-notify-v1 (wayland-protocols
1.31, version 1 only) and org_kde_kwin_idle (plasma-wayland-protocols). Not shipped
there, so not checked here: version 2 of ext-idle-notify (wayland-protocols 1.38) and
wlr-foreign-toplevel-management (wlr-protocols, which Debian does not package); a newer
system that ships them has them checked too. Those rows are exercised instead against
a real libwayland server (test_idle_wayland_server.py) and a real sway
(test_busy_wayland_fullscreen.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from breakd.adapters.wayland import protocols
from breakd.adapters.wayland.protocols import Message
from tests.desktop import skip_or_fail
from tests.kwin import SIMULATE_USER_ACTIVITY

SHIPPED = {
    "/usr/share/wayland/wayland.xml": "libwayland-dev",
    "/usr/share/wayland-protocols/staging/ext-idle-notify/ext-idle-notify-v1.xml": (
        "wayland-protocols"
    ),
    "/usr/share/plasma-wayland-protocols/idle.xml": "plasma-wayland-protocols",
}
OPTIONAL = (
    "/usr/share/wlr-protocols/unstable/wlr-foreign-toplevel-management-unstable-v1.xml",
    "/usr/share/wayland-protocols/wlr-foreign-toplevel-management-unstable-v1.xml",
)
"""Where wlr-protocols would be, were it packaged."""
NOT_IN_BOOKWORM = {
    protocols.EXT_GET_INPUT_IDLE_NOTIFICATION,
    *(
        row
        for row in (*protocols.REQUESTS, *protocols.EVENTS)
        if row.interface.startswith("zwlr_foreign_toplevel_")
    ),
}
"""The rows no Debian bookworm package has the XML for; every other row must be checked."""
TYPES = {
    "int": "i",
    "uint": "u",
    "fixed": "f",
    "string": "s",
    "object": "o",
    "array": "a",
    "fd": "h",
}


def _signature(message: ET.Element) -> str:
    letters = []
    for arg in message.iter("arg"):
        kind = arg.get("type", "")
        if kind == "new_id":
            # Without an interface, the id travels as interface name, version, id.
            letters.append("n" if arg.get("interface") else "sun")
        else:
            letters.append(TYPES[kind])
    return "".join(letters)


def _interfaces(paths: Iterator[Path]) -> dict[str, ET.Element]:
    found = {}
    for path in paths:
        for interface in ET.parse(path).getroot().iter("interface"):
            found[interface.get("name", "")] = interface
    return found


@pytest.fixture(scope="module")
def interfaces() -> dict[str, ET.Element]:
    missing = [
        f"{path} ({package})" for path, package in SHIPPED.items() if not Path(path).exists()
    ]
    if missing:
        skip_or_fail(f"no protocol XML at {', '.join(missing)}")
    paths = [*SHIPPED, *(path for path in OPTIONAL if Path(path).exists())]
    return _interfaces(Path(path) for path in paths)


def _check(row: Message, kind: str, interfaces: dict[str, ET.Element]) -> bool:
    """Whether the XML had `row` to check; assertion errors where it differs."""
    interface = interfaces.get(row.interface)
    if interface is None or row.since > int(interface.get("version", "1")):
        return False
    messages = interface.findall(kind)
    assert row.opcode < len(messages), f"{row}: {row.interface} has {len(messages)} {kind}s"
    message = messages[row.opcode]
    assert message.get("name") == row.name, f"{row}: opcode {row.opcode} is {message.get('name')}"
    assert int(message.get("since", "1")) == row.since, f"{row}: since {message.get('since')}"
    assert _signature(message) == row.signature, f"{row}: arguments {_signature(message)}"
    return True


def test_every_request_and_event_breakd_uses_is_as_the_xml_says(
    interfaces: dict[str, ET.Element],
) -> None:
    unchecked = set()
    for kind, rows in (("request", protocols.REQUESTS), ("event", protocols.EVENTS)):
        for row in rows:
            if not _check(row, kind, interfaces):
                unchecked.add(row)
    assert unchecked <= NOT_IN_BOOKWORM, f"no XML checked {unchecked - NOT_IN_BOOKWORM}"


def test_the_enum_values_breakd_reads_are_as_the_xml_says(
    interfaces: dict[str, ET.Element],
) -> None:
    for (name, enum_name, entry_name), value in protocols.ENUMS.items():
        interface = interfaces.get(name)
        if interface is None:
            assert name.startswith("zwlr_foreign_toplevel_"), f"no XML for {name}"
            continue
        enum = next(e for e in interface.iter("enum") if e.get("name") == enum_name)
        entry = next(e for e in enum.iter("entry") if e.get("name") == entry_name)
        assert int(entry.get("value", ""), 0) == value


def test_every_message_the_modules_send_or_read_is_in_the_lists() -> None:
    """A row defined but left out of REQUESTS or EVENTS would go unchecked."""
    rows = {value for value in vars(protocols).values() if isinstance(value, Message)}
    assert rows == {*protocols.REQUESTS, *protocols.EVENTS}


def test_the_request_the_tests_send_kwin_is_as_the_xml_says(
    interfaces: dict[str, ET.Element],
) -> None:
    assert _check(SIMULATE_USER_ACTIVITY, "request", interfaces)


def test_a_wrong_row_is_caught(interfaces: dict[str, ET.Element]) -> None:
    wrong = protocols.EXT_GET_IDLE_NOTIFICATION._replace(signature="nou")
    with pytest.raises(AssertionError, match="arguments nuo"):
        _check(wrong, "request", interfaces)
    with pytest.raises(AssertionError, match="opcode 0 is destroy"):
        _check(protocols.EXT_GET_IDLE_NOTIFICATION._replace(opcode=0), "request", interfaces)
