"""Whatever the state file holds, loading it gives a usable snapshot or None, and a
tracker restored from that snapshot goes on handling events.

A file that is not a valid snapshot is set aside (the storage module's promise), so
after a None the file is gone from its place.
"""

from __future__ import annotations

import contextlib
import json
import logging
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from breakd.adapters.storage import STATE_VERSION, JsonStateFile
from breakd.config.model import DEFAULT_CONFIG
from breakd.core.events import (
    Done,
    EventRejected,
    IdleSampled,
    Pause,
    RemindNow,
    Resume,
    ScreenLocked,
    ScreenUnlocked,
    Skip,
    Sleeping,
    Snooze,
    Woke,
)
from breakd.core.tracker import Tracker, TrackerSnapshot
from tests.core.fake_clock import FakeClock
from tests.fuzz.strategies import JSON_VALUES, deep
from tests.fuzz.tally import Tally

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
OFFSETS = st.sampled_from(["Z", "+00:00", "+14:00", "-12:00", "+05:30", "", "+23:59"])
PLAUSIBLE = st.datetimes(datetime(1970, 1, 1), datetime(2100, 1, 1))
"""Any time a clock could show: the extremes datetime allows are in EXTREMES below."""
TIMES = st.one_of(
    st.tuples(PLAUSIBLE, OFFSETS).map(lambda parts: parts[0].isoformat() + parts[1]),
    st.tuples(st.integers(-(10**6), 10**6), OFFSETS).map(
        lambda parts: (
            (NOW + timedelta(seconds=parts[0])).replace(tzinfo=None).isoformat() + parts[1]
        )
    ),
    st.sampled_from(["nope", "", "2026-11-23", "2026-11-23T09:00:00+25:00", "T09:00"]),
    JSON_VALUES,
)
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "version": st.one_of(st.just(STATE_VERSION), JSON_VALUES),
    "saved_at": TIMES,
    "exercise": st.one_of(st.sampled_from(["standing-lunge", "prone-press-up", ""]), JSON_VALUES),
    "done_count": st.one_of(st.integers(), JSON_VALUES),
    "skipped_count": st.one_of(st.integers(), JSON_VALUES),
    "sitting_since": TIMES,
    "snoozed_until": TIMES,
    "paused": st.one_of(st.booleans(), JSON_VALUES),
    "paused_until": TIMES,
}
NEAR_NOW = st.integers(-2 * 86400, 2 * 86400).map(
    lambda seconds: (NOW + timedelta(seconds=seconds)).isoformat()
)
SOUND: dict[str, st.SearchStrategy[Any]] = {
    "version": st.just(STATE_VERSION),
    "saved_at": NEAR_NOW,
    "exercise": st.sampled_from(["standing-lunge", "kneeling-lunge", "prone-press-up", "gone"]),
    "done_count": st.integers(-5, 10**6),
    "skipped_count": st.integers(-5, 10**6),
    "sitting_since": st.one_of(st.none(), NEAR_NOW),
    "snoozed_until": st.one_of(st.none(), NEAR_NOW),
    "paused": st.booleans(),
    "paused_until": st.one_of(st.none(), NEAR_NOW),
}
"""A file breakd could have written, around the time it is read: most of these load."""


@st.composite
def one_field_off(draw: st.DrawFn) -> dict[str, Any]:
    document = draw(st.fixed_dictionaries(SOUND))
    key = draw(st.sampled_from(sorted(FIELDS)))
    document[key] = draw(FIELDS[key])
    return document


DOCUMENTS = st.one_of(
    st.fixed_dictionaries(SOUND),
    one_field_off(),
    st.fixed_dictionaries({}, optional=FIELDS),
    st.fixed_dictionaries(FIELDS),
    JSON_VALUES,
)
EVENTS = st.lists(
    st.sampled_from(
        [
            IdleSampled(0.0),
            IdleSampled(400.0),
            IdleSampled(None),
            Done(),
            Skip(),
            Snooze(),
            Snooze(60.0),
            Pause(),
            Pause(600.0),
            Resume(),
            RemindNow(),
            ScreenLocked(),
            ScreenUnlocked(),
            Sleeping(),
            Woke(),
            Woke(3600.0),
        ]
    ),
    max_size=12,
)
STEPS = st.lists(st.floats(0, 4 * 3600), min_size=12, max_size=12)


def load(data: bytes) -> tuple[TrackerSnapshot, datetime] | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.json"
        path.write_bytes(data)
        loaded = JsonStateFile(path).load()
        if loaded is None:
            assert not path.exists(), "an unusable state file stays in place"
        return loaded


def restore_and_run(loaded: tuple[TrackerSnapshot, datetime], events: list, steps: list) -> None:
    snapshot, saved_at = loaded
    assert isinstance(snapshot, TrackerSnapshot) and isinstance(saved_at, datetime)
    clock = FakeClock(NOW)
    tracker = Tracker(DEFAULT_CONFIG.tracker_settings(), clock)
    tracker.restore(snapshot, saved_at)
    for event, step in zip(events, steps, strict=False):
        clock.advance(step)
        with contextlib.suppress(EventRejected):
            tracker.handle(event)
        tracker.status()
        tracker.next_check()
        tracker.snapshot()


@pytest.fixture(autouse=True)
def quiet_storage() -> Iterator[None]:
    """Each set-aside file is a warning: thousands of them say nothing. Restored after,
    so that later tests in the same process hear the storage's warnings again."""
    storage = logging.getLogger("breakd.adapters.storage")
    level = storage.level
    storage.setLevel(logging.ERROR)
    yield
    storage.setLevel(level)


def test_any_json_document_loads_or_is_set_aside_and_restores_cleanly() -> None:
    tally = Tally("state file documents")

    @given(DOCUMENTS, EVENTS, STEPS)
    @example(
        {
            "version": 1,
            "saved_at": "2026-11-23T08:59:00+00:00",
            "exercise": "x",
            "done_count": -5,
            "skipped_count": 10**30,
            "paused": True,
            "paused_until": "2099-12-31T23:59:59-12:00",
        },
        [Pause(), Resume()],
        [1.0] * 12,
    )
    def check(document: Any, events: list, steps: list) -> None:
        tally.examples += 1
        loaded = load(json.dumps(document).encode())
        if loaded is None:
            tally.bad_inputs += 1
            return
        restore_and_run(loaded, events, steps)

    check()
    tally.save()


def test_any_bytes_load_or_are_set_aside() -> None:
    tally = Tally("state file bytes")

    @given(st.one_of(st.binary(max_size=500), st.text(max_size=500).map(str.encode)))
    @example(b"")
    @example(b"\xef\xbb\xbf{}")
    @example(b'{"version": 1e999}')
    def check(data: bytes) -> None:
        tally.examples += 1
        loaded = load(data)
        tally.bad_inputs += loaded is None

    check()
    tally.save()


def saved(**fields: object) -> bytes:
    document = {"version": 1, "saved_at": "2026-11-23T08:59:00+00:00", "exercise": "x"}
    return json.dumps(
        document | {"done_count": 0, "skipped_count": 0, "paused": False} | fields
    ).encode()


LIMITS = [
    pytest.param(
        b'{"version": 1, "x": ' + deep(20_000).encode() + b"}",
        id="deeply-nested",
    ),
    pytest.param(
        saved(saved_at="0001-01-01T00:00:00+00:00"),
        id="saved-at-year-1",
    ),
    pytest.param(
        saved(paused=True, paused_until="9999-12-31T23:59:59-12:00"),
        id="paused-until-year-9999",
    ),
    pytest.param(saved(snoozed_until="9999-12-31T23:59:59+00:00"), id="snoozed-until-year-9999"),
    pytest.param(saved(sitting_since="0001-01-01T00:00:00+00:00"), id="sitting-since-year-1"),
]


@pytest.mark.parametrize("data", LIMITS)
def test_a_state_file_at_the_limits_loads_or_is_set_aside_and_restores_cleanly(data: bytes) -> None:
    """Cases outside what the fuzzing above draws: its times stay within 1970 to 2100."""
    loaded = load(data)
    if loaded is not None:
        restore_and_run(loaded, [IdleSampled(0.0), Pause(), Resume(), Done()], [1.0] * 4)
