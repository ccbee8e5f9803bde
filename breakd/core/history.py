"""The history's vocabulary: the kinds of record the tracker writes and what each holds.

One record a line, as JSON: {"v": VERSION, "kind": ..., "at": local ISO time, ...}.
A span's record also has "since"; the rest are its details, listed here per kind.
"""

from __future__ import annotations

VERSION = 1
"""The records' format; a reader upgrades older ones (`adapters/history.py`)."""

SAT_DOWN = "sat_down"
"""A seated span began (at `at`); its `stood_up` follows, unless the daemon died."""
STOOD_UP = "stood_up"
"""A seated span from `since` to `at`; `how`: one of ENDINGS."""
REMINDER = "reminder"
"""A reminder shown: `exercise`, `repeat` (0 the first), `held` seconds and `held_by`
reasons when it waited while the user was busy."""
ANSWER = "answer"
"""`how`: done, skip or snooze; `exercise` (the stretch done); `after`: seconds since
the reminder was first shown, null when none was out; `seconds` of a snooze."""
UNANSWERED = "unanswered"
"""A reminder taken back unanswered; `why`: one of ENDINGS, or dropped; `after`."""
DROPPED = "dropped"
"""A reminder held while busy past `dont_interrupt.max_deferral` and dropped: `held`,
`held_by`."""
BREAK = "break"
"""A natural break from `since` to `at`: away long enough to count."""

KINDS = (SAT_DOWN, STOOD_UP, REMINDER, ANSWER, UNANSWERED, DROPPED, BREAK)

ENDINGS = ("break", "lock", "suspend", "pause", "off_hours", "stop")
"""How a seated span ends: away (a natural break), behind a lock screen, in a suspend,
paused, at the end of active hours, or with the daemon."""
