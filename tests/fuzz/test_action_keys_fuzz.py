"""A notification's action key is whatever the notification server sends back:
any string maps to a command breakd offers, or to nothing."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from breakd.adapters.notify.actions import command_for
from breakd.core import commands
from breakd.core.durations import MAX_DURATION
from tests.fuzz.tally import Tally

DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=30)
KEYS = st.one_of(
    st.text(),
    st.sampled_from(["default", "done", "skip", "snooze:", "snooze", "Snooze:60", "DONE"]),
    DIGITS.map(lambda digits: f"snooze:{digits}"),
    st.tuples(st.sampled_from(["+", "-", " ", "0x", "1e", "\uff11", "\n"]), DIGITS).map(
        lambda parts: f"snooze:{parts[0]}{parts[1]}"
    ),
    st.text(st.characters(categories=["Nd", "No"]), min_size=1).map(lambda d: f"snooze:{d}"),
    st.floats(allow_nan=True).map(lambda seconds: f"snooze:{seconds}"),
)


def raises_today(key: str) -> bool:
    """The keys command_for raises ValueError on (test below): a digit str.isdigit()
    accepts and int() does not, such as "²", or more digits than int() converts."""
    digits = key.removeprefix("snooze:")
    return digits != key and digits.isdigit() and not (digits.isdecimal() and len(digits) <= 4300)


def check_key(key: str) -> bool:
    """Whether `key` stood for a command; fails on a command breakd does not offer."""
    command = command_for(key)
    if command is None:
        return False
    name, args = command
    assert name in (commands.DONE, commands.SKIP, commands.SNOOZE), key
    if name == commands.SNOOZE:
        seconds = args["seconds"]
        assert isinstance(seconds, float), (key, args)
        assert 0 < seconds <= MAX_DURATION, (key, args)
    else:
        assert args == {}, (key, args)
    return True


def test_any_key_is_none_or_a_command_with_seconds_in_range() -> None:
    tally = Tally("notification action keys")

    @given(KEYS)
    @example("snooze:86400")
    @example("snooze:86401")
    @example("snooze:0")
    @example("snooze:\u0661\u0662")  # Arabic-Indic digits: str.isdigit() is true for them
    @example("snooze:" + "9" * 4300)  # as many digits as int() converts by default
    def check(key: str) -> None:
        assume(not raises_today(key))
        tally.examples += 1
        if not check_key(key):
            tally.bad_inputs += 1

    check()
    tally.save()


@pytest.mark.parametrize("digits", ["\u00b2", "\u1369", "9" * 4301], ids=["²", "፩", "4301-digits"])
def test_a_snooze_key_with_digits_int_refuses_is_none(digits: str) -> None:
    assert command_for(f"snooze:{digits}") is None
