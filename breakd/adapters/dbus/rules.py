"""Match rules, and reading the messages they let through.

A rule names a well-known sender ("org.freedesktop.login1") for the bus to
resolve, but the messages carry the owner's unique name (":1.42"); `local_rule`
is the same rule for jeepney's own filter, and watchers compare the sender with
the name's current owner themselves.
"""

from __future__ import annotations

import copy
from typing import Any

from jeepney import HeaderFields, Message, MessageType
from jeepney.bus_messages import MatchRule

PROPERTIES = "org.freedesktop.DBus.Properties"


def signal_rule(
    sender: str, interface: str, member: str | None = None, path: str | None = None
) -> MatchRule:
    """Signals from the owner of `sender` (a well-known name: the bus resolves it)."""
    return MatchRule(type="signal", sender=sender, interface=interface, member=member, path=path)


def name_owner_rule(name: str) -> MatchRule:
    """NameOwnerChanged for one well-known name: how a watcher notices its service come or go."""
    rule = MatchRule(
        type="signal",
        sender="org.freedesktop.DBus",
        interface="org.freedesktop.DBus",
        member="NameOwnerChanged",
        path="/org/freedesktop/DBus",
    )
    rule.add_arg_condition(0, name)
    return rule


def local_rule(rule: MatchRule) -> MatchRule:
    """The rule without its sender, for jeepney's local filter (see the module docstring)."""
    local = copy.copy(rule)
    local.header_fields = {k: v for k, v in rule.header_fields.items() if k != "sender"}
    return local


def header(message: Message, name: str) -> Any:
    """A header field by name ("path", "interface", "member", "sender"), or None."""
    return message.header.fields.get(HeaderFields[name])


def is_signal(message: Message, interface: str, member: str, path: str | None = None) -> bool:
    return (
        message.header.message_type is MessageType.signal
        and header(message, "interface") == interface
        and header(message, "member") == member
        and (path is None or header(message, "path") == path)
    )


def owner_change(message: Message) -> tuple[str, str | None] | None:
    """(name, new owner or None) for a NameOwnerChanged signal; None for anything else."""
    if not is_signal(message, "org.freedesktop.DBus", "NameOwnerChanged"):
        return None
    if header(message, "sender") != "org.freedesktop.DBus":
        return None
    name, _old, new = message.body
    return str(name), (str(new) or None)
