"""Watch what a program says to the notification server, without changing the program.

dunst sends ActionInvoked and NotificationClosed to the sender alone, so a plain
AddMatch from the test process would see none of them. A monitor connection
(org.freedesktop.DBus.Monitoring.BecomeMonitor) sees every Notify call with its
actions and hints, the id each one got back, the signals and CloseNotification.

No thread: every query first drains what the bus has sent so far, so tests wait
on the monitor with `wait_until` like on anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.desktop import wait_until

INTERFACE = "org.freedesktop.Notifications"


@dataclass
class NotifyCall:
    """One Notify call, and the id the server gave back (None until the reply is seen).

    A call flagged NO_REPLY_EXPECTED gets no reply: one that replaces a notification
    has that id (the spec's Notify returns `replaces_id` when it is not 0)."""

    sender: str
    serial: int
    app_name: str
    replaces_id: int
    app_icon: str
    summary: str
    body: str
    actions: list[str]
    hints: dict[str, Any]
    expire_timeout: int
    id: int | None = None
    reply_expected: bool = True

    @property
    def action_pairs(self) -> list[tuple[str, str]]:
        """[(key, label), ...] as the server reads the flat list."""
        return list(zip(self.actions[::2], self.actions[1::2], strict=True))

    @property
    def urgency(self) -> int | None:
        return self.hints.get("urgency")


@dataclass
class Observed:
    """A signal or method call other than Notify: member, body, sender and destination."""

    kind: str  # "signal" or "method_call"
    member: str
    body: tuple[Any, ...]
    sender: str | None
    destination: str | None


@dataclass
class NotificationMonitor:
    """A monitor connection on one bus; `close()` it (or use it as a context manager)."""

    bus_address: str
    notifies: list[NotifyCall] = field(default_factory=list)
    others: list[Observed] = field(default_factory=list)
    _connection: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
        from jeepney.wrappers import unwrap_msg

        monitoring = DBusAddress(
            "/org/freedesktop/DBus",
            bus_name="org.freedesktop.DBus",
            interface="org.freedesktop.DBus.Monitoring",
        )
        rules = [f"interface='{INTERFACE}'", "type='method_return'"]
        self._connection = open_dbus_connection(self.bus_address)
        reply = self._connection.send_and_get_reply(
            new_method_call(monitoring, "BecomeMonitor", "asu", (rules, 0)), timeout=10
        )
        unwrap_msg(reply)

    def __enter__(self) -> NotificationMonitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def poll(self) -> None:
        """Take in everything the bus has sent the monitor so far."""
        while True:
            try:
                message = self._connection.receive(timeout=0)
            except TimeoutError:
                return
            self._record(message)

    def _record(self, message: Any) -> None:
        from jeepney import HeaderFields, MessageType

        fields = message.header.fields
        kind = message.header.message_type
        if kind is MessageType.method_return:
            serial = fields.get(HeaderFields.reply_serial)
            destination = fields.get(HeaderFields.destination)
            for call in self.notifies:
                if call.id is None and call.serial == serial and call.sender == destination:
                    call.id = int(message.body[0])
            return
        if fields.get(HeaderFields.interface) != INTERFACE:
            return
        member = fields.get(HeaderFields.member)
        sender = fields.get(HeaderFields.sender)
        if kind is MessageType.method_call and member == "Notify":
            from jeepney.low_level import MessageFlag

            app_name, replaces_id, icon, summary, body, actions, hints, timeout = message.body
            reply_expected = not message.header.flags & MessageFlag.no_reply_expected
            self.notifies.append(
                NotifyCall(
                    sender=sender,
                    serial=message.header.serial,
                    app_name=app_name,
                    replaces_id=replaces_id,
                    app_icon=icon,
                    summary=summary,
                    body=body,
                    actions=list(actions),
                    hints={key: value for key, (_signature, value) in hints.items()},
                    expire_timeout=timeout,
                    id=None if reply_expected or not replaces_id else replaces_id,
                    reply_expected=reply_expected,
                )
            )
        elif kind in (MessageType.signal, MessageType.method_call):
            self.others.append(
                Observed(
                    "signal" if kind is MessageType.signal else "method_call",
                    str(member),
                    tuple(message.body),
                    sender,
                    fields.get(HeaderFields.destination),
                )
            )

    def sent(self, app_name: str = "breakd") -> list[NotifyCall]:
        """Notify calls from `app_name` so far, oldest first, those with a reply only."""
        self.poll()
        return [c for c in self.notifies if c.app_name == app_name and c.id is not None]

    def observed(self, member: str) -> list[Observed]:
        self.poll()
        return [item for item in self.others if item.member == member]

    def wait_for_notify(self, count: int = 1, timeout: float = 10.0) -> NotifyCall:
        """The `count`-th Notify call (1-based) once its reply has come back."""
        calls = wait_until(
            lambda: len(sent := self.sent()) >= count and sent,
            timeout=timeout,
            message=f"no Notify number {count} (seen: {self.summaries()})",
        )
        return calls[count - 1]

    def wait_for(
        self, member: str, where: Callable[[Observed], bool], timeout: float = 10.0
    ) -> Observed:
        """The first `member` call or signal for which `where` holds."""
        found = wait_until(
            lambda: [item for item in self.observed(member) if where(item)],
            timeout=timeout,
            message=f"no {member} as expected (seen: {self.others})",
        )
        return found[0]

    def summaries(self) -> list[str]:
        return [f"{call.id}:{call.summary}" for call in self.notifies]
