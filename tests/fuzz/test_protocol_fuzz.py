"""The control protocol under hostile clients: any bytes, any command, any args.

`decode` turns every line into a message or a ProtocolError. Through a running
daemon's real socket, every request gets one clean reply, ok or an error with one
of the protocol's codes, and a `status` right after it still answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from breakd.core import commands
from breakd.core.settings import day_of
from breakd.ipc import protocol
from tests.fuzz.daemon_thread import DaemonThread
from tests.fuzz.invariants import STATES, Invariants, Moment
from tests.fuzz.strategies import COMMAND_NAMES, JSON_VALUES, NUMBERS, deep, to_json
from tests.fuzz.tally import Tally

CODES = frozenset(
    {
        protocol.BAD_REQUEST,
        protocol.UNKNOWN_COMMAND,
        protocol.BAD_ARGUMENT,
        protocol.NOT_APPLICABLE,
        protocol.VERSION_MISMATCH,
        protocol.FAILED,
    }
)
LINES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
    JSON_VALUES.map(to_json),
    st.dictionaries(st.sampled_from(["breakd", "command", "args"]), JSON_VALUES).map(to_json),
)


def test_decode_returns_a_current_message_or_raises_protocol_error() -> None:
    tally = Tally("protocol decode")

    @given(LINES)
    @example(b'{"breakd": 1, "n": ' + b"9" * 5000 + b"}")  # past int()'s digit limit
    @example(b'{"breakd": 1}\xff')
    @example(b'{"breakd": true}')
    @example(b'{"breakd": 1.0}')
    def check(line: bytes) -> None:
        tally.examples += 1
        try:
            message = protocol.decode(line)
        except protocol.ProtocolError as error:
            tally.bad_inputs += 1
            assert error.code in (protocol.BAD_REQUEST, protocol.VERSION_MISMATCH)
            return
        assert isinstance(message, dict) and message["breakd"] == protocol.PROTOCOL_VERSION

    check()
    tally.save()


def seconds_args() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.just({}),
        st.fixed_dictionaries({"seconds": st.one_of(NUMBERS, JSON_VALUES)}),
        st.fixed_dictionaries({"seconds": st.floats(1, 86400)}),
        st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=4),
    )


PLAUSIBLE = st.builds(
    lambda command, args: {"breakd": 1, "command": command, "args": args},
    st.sampled_from(list(commands.COMMANDS)),
    st.one_of(st.just({}), st.fixed_dictionaries({"seconds": st.floats(1, 86400)})),
)
"""What the CLI sends: it moves the daemon through its states for the hostile ones."""
REQUESTS = st.one_of(
    PLAUSIBLE,
    PLAUSIBLE,
    st.builds(
        lambda command, args: {"breakd": 1, "command": command, "args": args},
        COMMAND_NAMES,
        seconds_args(),
    ),
    st.dictionaries(
        st.sampled_from(["breakd", "command", "args", "ok", "status"]), JSON_VALUES, max_size=4
    ),
)
PAUSES = st.sampled_from([0.0, 0.0, 0.0, 1.0, 30.0, 300.0, 45 * 60.0, 3 * 3600.0])


def check_reply(reply: dict[str, Any]) -> None:
    assert reply.get("breakd") == protocol.PROTOCOL_VERSION, reply
    assert isinstance(reply.get("message"), str), reply
    if reply["ok"] is True:
        assert reply["status"]["state"] in STATES, reply
    else:
        assert reply["ok"] is False and reply.get("error") in CODES, reply


def test_any_request_gets_one_clean_reply_and_status_still_answers(tmp_path: Path) -> None:
    tally = Tally("control commands (daemon)")
    with DaemonThread(tmp_path) as running:
        d = running.daemon
        invariants = Invariants(d.now)

        def status_now() -> dict[str, Any]:
            reply = running.exchange(protocol.request(commands.STATUS))
            assert reply["ok"] is True, reply
            return reply

        @given(REQUESTS, PAUSES)
        @example({"breakd": 1, "command": "snooze", "args": {"seconds": 10**400}}, 0.0)
        @example({"breakd": 1, "command": "pause", "args": {"seconds": float("nan")}}, 0.0)
        @example({"breakd": 1, "command": "snooze", "args": {"seconds": 86400}}, 0.0)
        @example({"breakd": 1, "command": "pause", "args": {"seconds": 5e-324}}, 0.0)
        @example({"breakd": 1, "command": "resume", "args": []}, 0.0)
        @example({"breakd": 1, "command": ["done"], "args": {}}, 0.0)
        def check(request: dict[str, Any], pause: float) -> None:
            tally.examples += 1
            if pause:
                running.run(d.advance(pause))
            before = status_now()["status"]
            day = day_of(d.clock.wall(), invariants.day_starts_at)
            reply = running.exchange(to_json(request) + b"\n")
            check_reply(reply)
            if not reply["ok"]:
                tally.bad_inputs += 1
            after = status_now()["status"]
            command = request.get("command")
            if reply["ok"] and command in (commands.DONE, commands.SKIP):
                counted = "done_count" if command == commands.DONE else "skipped_count"
                if day == day_of(d.clock.wall(), invariants.day_starts_at):
                    assert after[counted] == before[counted] + 1, (request, before, after)
            running.run(d.settle())  # the reminder a command shows or takes back
            assert d.notifier is not None
            on_screen = d.notifier.on_screen is not None
            invariants.check(after, Moment(d.now, d.clock.wall(), on_screen))
            assert running.new_errors() == [], request

        check()
    tally.save()


def test_any_bytes_on_the_socket_get_one_clean_reply(tmp_path: Path) -> None:
    tally = Tally("control socket bytes (daemon)")
    with DaemonThread(tmp_path) as running:

        @given(LINES)
        @example(b"")
        @example(b"\n")
        @example(b"x" * (protocol.MAX_MESSAGE_BYTES + 10))  # longer than a request may be
        @example(b'{"breakd": 1, "command": "status"}\n{"breakd": 1, "command": "done"}\n')
        @example(b'{"breakd": 1, "command": "snooze", "args": {"seconds": ' + b"9" * 5000 + b"}}")
        def check(data: bytes) -> None:
            tally.examples += 1
            reply = running.exchange(data)
            check_reply(reply)
            tally.bad_inputs += not reply["ok"]
            status = running.exchange(protocol.request(commands.STATUS))
            assert status["ok"] is True, status
            assert running.new_errors() == [], data[:100]

        check()
    tally.save()


DEEP = deep(20_000).encode()
"""Nesting deeper than the json module recurses, well within the 64 KiB a request may be."""
DEEP_REASON = (
    "protocol.decode catches ValueError but json.loads raises RecursionError on nesting"
    " deeper than the recursion limit; the server's handler does not catch it either, so"
    " the client gets no reply and asyncio logs an unhandled exception"
)


def test_decode_refuses_a_deeply_nested_line() -> None:
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(DEEP)


def test_a_deeply_nested_request_gets_a_clean_reply(tmp_path: Path) -> None:
    with DaemonThread(tmp_path) as running:
        reply = running.exchange(DEEP + b"\n")
        check_reply(reply)
        assert running.new_errors() == []
