"""Reminders as freedesktop notifications over D-Bus, with buttons that answer them.

Each reminder offers "Start", "Done", "Skip" and one "Snooze" button per
`snooze.choices` entry; Start is the `default` action, which is also a click on
the body: it guides the stretch, a notification each second replacing the last
(with a `value` progress hint), and answers nothing until the guide ends. The
server tells the sender, and only
the sender, which button was pressed, so the signals are received on the very
connection that sent the notification.

The connection lives while a reminder of ours is on screen and is opened again
for the next one, so an idle breakd holds no socket, and a notification server
or session bus that comes back is found without a restart. Everything runs on
the daemon's asyncio loop: the only task of our own waits for the server's
signals and wakes for nothing else.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Literal

from jeepney import DBusAddress, HeaderFields, Message, new_method_call
from jeepney.bus_messages import MatchRule
from jeepney.wrappers import DBusErrorResponse

from breakd.adapters.dbus.address import BusUnavailable
from breakd.adapters.dbus.errors import BusLost, CallTimedOut, UnexpectedReply, describe_error
from breakd.adapters.dbus.link import BusLink, open_link
from breakd.adapters.dbus.rules import header
from breakd.adapters.notify import (
    AnswerHandler,
    NotifierCheck,
    NotifierError,
    actions,
    icon_file,
)
from breakd.config.model import Config
from breakd.core.durations import spoken_duration
from breakd.core.record import record
from breakd.core.reminder_text import ReminderMessage
from breakd.core.stretches import Language
from breakd.core.words import WORDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from breakd.core.guide_text import GuideMessage

log = logging.getLogger(__name__)

NOTIFICATIONS = DBusAddress(
    "/org/freedesktop/Notifications",
    bus_name="org.freedesktop.Notifications",
    interface="org.freedesktop.Notifications",
)
SIGNALS = MatchRule(
    type="signal", interface=NOTIFICATIONS.interface, path=NOTIFICATIONS.object_path
)
"""ActionInvoked and NotificationClosed: the server sends them to the sender of Notify only."""
CALL_TIMEOUT = 5.0
"""The bus and a notification server answer in milliseconds; one that hangs must not hold
reminders up."""
NEVER_EXPIRES = 0
"""expire_timeout with buttons: a reminder waits for its answer, and repeats replace it."""
SERVER_DEFAULT = -1
"""expire_timeout without buttons: notify-osd, for one, turns a lasting notification into
a dialog box (and returns id 0), and there is nothing to answer on it anyway."""
URGENCY_NORMAL = 1
"""Every reminder and repeat: critical ones stay on screen and pass do-not-disturb on
some desktops (GNOME), which is too loud for a stretch."""
MENU_ONLY: dict[str, str] = {"dunst": "ctrl+shift+.", "mako": "makoctl menu"}
"""Servers (by GetServerInformation's name) that announce actions but draw no buttons,
and how their users reach the menu that holds them (dunst's default key)."""


FEATURES: tuple[tuple[str, frozenset[str]], ...] = (
    ("buttons", frozenset({"actions"})),
    ("body markup", frozenset({"body-markup"})),
    ("images", frozenset({"icon-static", "icon-multi", "body-images"})),
    ("sounds", frozenset({"sound"})),
)
"""What a server can do, each named by the GetCapabilities entries that announce it."""
DRAWS_PROGRESS = frozenset({"dunst", "mako", "notify-osd", "Xfce Notify Daemon"})
"""Servers (by GetServerInformation's name) that draw the `value` hint as a progress bar;
no capability announces it, so this is known from their sources."""


@record
class NotificationServer:
    """What GetServerInformation and GetCapabilities say about the server answering."""

    name: str
    vendor: str
    version: str
    spec_version: str
    capabilities: frozenset[str]

    @property
    def buttons(self) -> bool:
        return "actions" in self.capabilities

    def features(self) -> dict[str, bool]:
        """Each feature of FEATURES, and progress bars, as this server has it or not."""
        found = {name: bool(self.capabilities & names) for name, names in FEATURES}
        found["progress bars"] = self.name in DRAWS_PROGRESS
        return found

    def describe(self) -> str:
        """One line: who it is, what it can do and what not."""
        features = self.features()
        has = [name for name, present in features.items() if present]
        lacks = [name for name, present in features.items() if not present]
        text = (
            f"{self.name} {self.version} by {self.vendor} (notification spec {self.spec_version})"
        )
        if has:
            text += f": {', '.join(has)}"
        if lacks:
            text += f"{';' if has else ':'} no {', no '.join(lacks)}"
        return text


async def read_server(link: BusLink, capabilities: frozenset[str]) -> NotificationServer:
    """The server's GetServerInformation, with the capabilities already read."""
    information = await link.call(
        new_method_call(NOTIFICATIONS, "GetServerInformation"), CALL_TIMEOUT, returns="ssss"
    )
    name, vendor, version, spec_version = (str(part) for part in information)
    return NotificationServer(name, vendor, version, spec_version, capabilities)


async def read_capabilities(link: BusLink) -> tuple[frozenset[str], str]:
    """GetCapabilities, and the unique name of the server that answered."""
    reply = await link.reply(new_method_call(NOTIFICATIONS, "GetCapabilities"), CALL_TIMEOUT)
    signature = reply.header.fields.get(HeaderFields.signature, "")
    if signature != "as":
        raise UnexpectedReply(
            f"answered GetCapabilities with ({signature}) where (as) was expected"
        )
    return frozenset(str(name) for name in reply.body[0]), str(header(reply, "sender") or "")


async def probe() -> NotifierCheck:
    """The server found, its version and what it can do."""
    server = await probe_server()
    buttons = "with buttons" if server.buttons else "without buttons"
    return NotifierCheck(f"{server.name} {server.version} {buttons}", server.describe())


async def probe_server() -> NotificationServer:
    """The notification server on the session bus now; NotifierError says why there is
    none to use."""
    try:
        link = await open_link("session", CALL_TIMEOUT)
    except BusUnavailable as error:
        raise NotifierError(str(error)) from None
    try:
        capabilities, _server = await read_capabilities(link)
        return await read_server(link, capabilities)
    except (BusLost, DBusErrorResponse, CallTimedOut, UnexpectedReply) as error:
        raise NotifierError(f"no notification server to use ({describe_error(error)})") from None
    finally:
        await link.close()


def action_list(snooze_choices: Sequence[float], language: Language) -> list[str]:
    """Notify's flat [key, label, ...] list; `actions.command_for` reads the keys back.

    Done and Skip come before the snooze lengths: GNOME Shell shows only the first
    three buttons, and this way every answer survives there (with the first snooze
    choice).
    """
    words = WORDS[language]
    pairs = [
        (actions.BODY, words.start),
        (actions.DONE, words.done),
        (actions.SKIP, words.skip),
    ]
    pairs += [
        (
            actions.snooze_key(seconds),
            words.snooze.format(duration=spoken_duration(seconds, language)),
        )
        for seconds in snooze_choices
    ]
    return [text for pair in pairs for text in pair]


def notification_body(
    message: ReminderMessage,
    language: Language,
    buttons: bool,
    markup: bool = False,
    server: str = "",
) -> str:
    """The reminder's body, and how to answer it where the server shows no buttons:
    from the command line, or from the menu of a server that keeps them there."""
    words = WORDS[language]
    body = message.body
    if not buttons:
        body += f"\n{words.cli}\n{words.guide_in_terminal}"
    elif server in MENU_ONLY:
        body += "\n" + words.menu.format(menu=MENU_ONLY[server])
    if markup:  # the server reads the body as markup: keep our text literal
        body = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return body


class FreedesktopNotifier:
    """org.freedesktop.Notifications through jeepney; see the module docstring.

    `config` returns the config in force, read at every reminder, so a reload's
    snooze choices and language apply without a new notifier.
    """

    name = "dbus"

    def __init__(self, answer: AnswerHandler, config: Callable[[], Config]) -> None:
        self._answer = answer
        self._config = config
        self._link: BusLink | None = None
        self._listener: asyncio.Task[None] | None = None
        self._server: str | None = None  # the unique bus name of the server we last used
        self._server_name = ""  # its GetServerInformation name, "" if it gave none
        self._id = 0  # our notification's id, for replaces_id; 0: none to replace
        self._open = False  # that notification is still on screen
        self._showing = False
        self._handling: asyncio.Task[object] | None = None  # a listener amid a signal
        # The capabilities of the server on this connection, read at the last full show;
        # a guide's per-second update goes on them without asking again.
        self._known: frozenset[str] | None = None
        self._kind: Literal["reminder", "countdown", "closing line"] = "reminder"
        """What ours on screen is: a reminder, a guide's countdown, or its closing line."""
        # The server closed the guide's countdown (the user dismissed it, or it expired):
        # no per-second updates until the next phase.
        self._dismissed = False

    async def show(self, message: ReminderMessage) -> None:
        self._dismissed, self._kind = False, "reminder"
        await self._send(lambda link: self._notify(link, message))

    async def show_guide(self, message: GuideMessage) -> None:
        """A guide's frame, replacing ours on screen. Once the server has closed the
        countdown (dismissed or expired) it is not drawn again each second: the next
        phase (switch sides, the other side, the end) comes up afresh, with its cue."""
        if message.kind != "running" or message.value == 0:
            self._dismissed = False
        elif self._dismissed:
            return
        self._kind = "closing line" if message.kind == "end" else "countdown"
        await self._send(lambda link: self._notify_guide(link, message))

    async def _send(self, notify: Callable[[BusLink], Awaitable[None]]) -> None:
        self._showing = True
        try:
            for _attempt in range(2):
                reused = self._link is not None
                link = await self._connect()
                try:
                    await notify(link)
                    return
                except BusLost as error:
                    await self._disconnect()
                    if not reused:
                        raise NotifierError(str(error)) from error
                    log.info("the D-Bus session bus connection was lost; connecting again")
                except DBusErrorResponse as error:
                    await self._release()
                    raise NotifierError(
                        f"no notification server answered on the D-Bus session bus ({error.name})"
                    ) from error
                except CallTimedOut as error:
                    await self._release()
                    raise NotifierError(
                        f"the notification server did not answer within {CALL_TIMEOUT:g} s"
                    ) from error
                except UnexpectedReply as error:
                    await self._release()
                    raise NotifierError(f"the notification server {error}") from error
        finally:
            self._showing = False

    async def _release(self) -> None:
        """After a failed show: keep the connection while an earlier reminder may still be
        on screen, so that its buttons work and `withdraw` can close it."""
        if not self._open:
            await self._disconnect()

    async def withdraw(self) -> None:
        """Close our reminder if it is still on screen, then let the connection go.

        Also called when a later reminder went elsewhere (the fallback asks every notifier).
        """
        if self._open and self._link is not None:
            self._open = False
            await self._close_notification(self._link, self._id)
        self._open = False
        self._id = 0
        await self._disconnect()

    # -- sending ----------------------------------------------------------------

    async def _capabilities(self, link: BusLink) -> frozenset[str]:
        capabilities, server = await read_capabilities(link)
        self._known = capabilities
        if server != self._server:
            # A new server (first use, or a restart) knows none of the old ids.
            self._server, self._id, self._open = server, 0, False
            self._server_name = await self._log_server(link, capabilities)
        return capabilities

    async def _notify(self, link: BusLink, message: ReminderMessage) -> None:
        capabilities = await self._capabilities(link)
        config = self._config()
        buttons = "actions" in capabilities
        # Without the capability some servers (notify-osd) turn actions into a modal dialog.
        actions = action_list(config.snooze.choices, config.language) if buttons else []
        markup = "body-markup" in capabilities
        body = notification_body(message, config.language, buttons, markup, self._server_name)
        notification_id = await self._send_notify(
            link, capabilities, message, body, actions, {}, lasting=buttons
        )
        log.debug(
            "notification %d (replacing %d): repeat %d, %s",
            notification_id,
            self._id,
            message.repeat,
            "with buttons" if buttons else "without buttons",
        )
        await self._shown(notification_id)

    async def _notify_guide(self, link: BusLink, message: GuideMessage) -> None:
        # A phase's later seconds only update the countdown on screen: no questions, and
        # no reply asked for, so that the server's answers wake the daemon for none of them.
        # A phase's start asks again, and so finds a server that went or came back.
        update = (
            message.kind == "running"
            and message.value != 0
            and not message.cue
            and self._open
            and self._known is not None
        )
        capabilities = self._known if update else None
        if capabilities is None:
            capabilities = await self._capabilities(link)
        config = self._config()
        words = WORDS[config.language]
        buttons = "actions" in capabilities
        pairs = {
            "running": [(actions.CANCEL, words.guide_cancel)],
            "paused": [
                (actions.BODY, words.guide_resume),
                (actions.DONE, words.guide_finish),
                (actions.CANCEL, words.guide_cancel),
            ],
            "end": [],
        }[message.kind]
        keys = [text for pair in pairs for text in pair] if buttons else []
        body = message.body
        if "body-markup" in capabilities:
            body = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        hints: dict[str, tuple[str, object]] = {}
        if message.value is not None:
            hints["value"] = ("i", message.value)
        if message.kind == "running":
            hints["transient"] = ("b", True)  # a countdown has no place in the history
        if message.cue and config.guide.sound:
            # No frame is shown while do not disturb is on (the guide pauses), so no cue either.
            sound = "complete" if message.kind == "end" else "bell"
            if "sound" in capabilities:
                hints["sound-name"] = ("s", sound)
            else:
                from breakd.adapters import sound as player  # the first cue loads it

                await player.play(sound)
        lasting = buttons and message.kind != "end"
        notification_id = await self._send_notify(
            link, capabilities, message, body, keys, hints, lasting, answered=not update
        )
        if not update:
            log.debug("guide notification %d (replacing %d)", notification_id, self._id)
        await self._shown(notification_id)

    async def _send_notify(
        self,
        link: BusLink,
        capabilities: frozenset[str],
        message: ReminderMessage | GuideMessage,
        body: str,
        keys: list[str],
        hints: dict[str, tuple[str, object]],
        lasting: bool,
        answered: bool = True,
    ) -> int:
        """Notify, replacing ours on screen, with the stretch's icon; returns the new id.

        Not `answered`: sent without asking for a reply, to replace ours on screen, whose
        id it keeps (the spec's Notify returns `replaces_id` when it is not 0)."""
        icon = icon_file(message.exercise, "svg" if "image/svg+xml" in capabilities else "png")
        hints = {"urgency": ("y", URGENCY_NORMAL), **hints}
        if icon is not None:
            hints["image-path"] = ("s", icon.as_uri())
        call = new_method_call(
            NOTIFICATIONS,
            "Notify",
            "susssasa{sv}i",
            (
                message.app_name,
                self._id,
                "" if icon is None else str(icon),
                message.title,
                body,
                keys,
                hints,
                NEVER_EXPIRES if lasting else SERVER_DEFAULT,
            ),
        )
        if not answered and self._id != 0:
            await link.send(call)
            return self._id
        (notification_id,) = await link.call(call, CALL_TIMEOUT, returns="u")
        return int(notification_id)

    async def _shown(self, notification_id: int) -> None:
        # Id 0 is no real id: such a server (notify-osd given actions) cannot be followed.
        self._id, self._open = notification_id, notification_id != 0
        if not self._open:
            await self._disconnect()

    async def _log_server(self, link: BusLink, capabilities: frozenset[str]) -> str:
        """Log which server shows the reminders; returns its name ("" if it gave none)."""
        name, server_name = "a notification server", ""
        with contextlib.suppress(DBusErrorResponse, CallTimedOut, UnexpectedReply):
            server = await read_server(link, capabilities)
            name, server_name = f"{server.name} {server.version}", server.name
            log.debug("the notification server: %s", server.describe())
        if "actions" not in capabilities:
            log.info(
                "notifications go to %s, which shows no buttons: answer with the breakd command",
                name,
            )
        elif server_name in MENU_ONLY:
            log.info(
                "notifications go to %s, which keeps the buttons in its menu (%s)",
                name,
                MENU_ONLY[server_name],
            )
        else:
            log.info("notifications go to %s, with snooze, done and skip buttons", name)
        return server_name

    # -- the connection and the server's signals ------------------------------------

    async def _connect(self) -> BusLink:
        if self._link is not None:
            return self._link
        try:
            link = await open_link("session", CALL_TIMEOUT)
        except BusUnavailable as error:
            raise NotifierError(str(error)) from error
        try:
            # Before any Notify: the answer to a notification is a signal to its sender.
            signals = await link.listen([SIGNALS], CALL_TIMEOUT)
        except (BusLost, DBusErrorResponse, CallTimedOut) as error:
            await link.close()
            raise NotifierError(
                f"the D-Bus session bus refused a signal match ({error})"
            ) from error
        self._link = link
        self._listener = asyncio.get_running_loop().create_task(self._listen(link, signals))
        return link

    async def _disconnect(self) -> None:
        link, listener = self._link, self._listener
        self._link = self._listener = None
        self._known = None
        # A listener amid a signal finishes it (its calls fail once the bus is closed)
        # and then sees it is no longer current; one waiting for a signal is cancelled.
        if listener is not None and listener is not self._handling:
            listener.cancel()
        if link is not None:
            await link.close()

    async def _listen(self, link: BusLink, signals: asyncio.Queue[Message]) -> None:
        while True:
            try:
                signal = await link.next_message(signals)
            except BusLost:
                return  # the next reminder finds the link lost and connects again
            member = header(signal, "member")
            if header(signal, "sender") != self._server:
                # Any client on the bus may send these; only the server's are answers.
                log.debug("ignored %s from %s", member, header(signal, "sender"))
                continue
            self._handling = asyncio.current_task()
            try:
                if member == "ActionInvoked":
                    notification_id, key = signal.body
                    await self._on_action(link, notification_id, key)
                elif member == "NotificationClosed":
                    notification_id, reason = signal.body
                    await self._on_closed(notification_id, reason)
            except Exception:  # one bad signal must not stop the buttons working
                log.exception("could not handle the notification signal %s", member)
            finally:
                self._handling = None
            if link is not self._link:
                return

    async def _on_action(self, link: BusLink, notification_id: int, key: str) -> None:
        if not (self._open and notification_id == self._id):
            log.debug("ignored action %r on notification %d", key, notification_id)
            return
        # The reminder is answered: the withdrawal the answer causes finds nothing to close.
        self._open, self._id = False, 0
        # Servers such as dunst leave the notification up after an action. Closed before
        # the answer goes in, so the withdrawal it causes finds no call of ours in flight.
        await self._close_notification(link, notification_id)
        self._answer(key)
        await self._let_go()

    async def _on_closed(self, notification_id: int, reason: int) -> None:
        if not (self._open and notification_id == self._id):
            return
        self._open = False
        if self._kind == "countdown":
            # Off screen, whatever the reason: updating it each second would bring it back.
            log.info("the guide's countdown was closed (reason %d): back at its next phase", reason)
            self._dismissed = True
        elif self._kind == "reminder":
            # Dismissed without an answer: nothing happens until the reminder repeats, and
            # the repeat replaces this id.
            log.info("reminder dismissed without an answer (reason %d)", reason)
        await self._let_go()

    async def _let_go(self) -> None:
        """Drop the connection once nothing of ours is on screen and no show is under way."""
        if not self._open and not self._showing:
            await self._disconnect()

    async def _close_notification(self, link: BusLink, notification_id: int) -> None:
        call = new_method_call(NOTIFICATIONS, "CloseNotification", "u", (notification_id,))
        try:
            await link.call(call, CALL_TIMEOUT)
        except (BusLost, DBusErrorResponse, CallTimedOut) as error:
            # Already gone (closed by the user, or with its server): nothing left to do.
            log.debug("closing notification %d: %s", notification_id, error)
