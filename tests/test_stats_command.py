"""`breakd stats` as a user runs it, on synthetic history: what it prints and refuses."""

from __future__ import annotations

import json
import re
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from breakd import paths
from breakd.cli import main
from tests.history_sample import SPANS, write_days

DAYS = 40
ENGLISH = {
    "seated", "moving", "natural", "breaks", "stretches", "done", "reminders", "snoozed",
    "skipped", "ignored", "held", "busy", "hour", "day", "longest", "unbroken", "mark",
    "nothing", "to", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "standing", "lunge",
}  # fmt: skip


@pytest.fixture
def history(monkeypatch: pytest.MonkeyPatch) -> Path:
    """40 typical days up to today, in the test's own data dir, on UTC days."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    directory = paths.history_dir()
    write_days(directory, date.today() - timedelta(days=DAYS - 1), DAYS)
    return directory


def stats(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["stats", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("span", [[], ["--week"], ["--month"]])
@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_text_fits_80_columns_without_colour(
    history: Path, capsys: pytest.CaptureFixture[str], span: list[str], language: str
) -> None:
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(f"language: {language}\n")
    code, out, err = stats(capsys, *span)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "\x1b" not in out
    chart = [line for line in lines if re.match(r"(\d\d:\d\d|\w+ +\d\d-\d\d) [#.]", line)]
    assert len(chart) == (8 if not span else 7 if span == ["--week"] else 30)


def test_dutch_says_no_english_word(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text("language: nl\n")
    said = ""
    for span in ([], ["--week"]):
        said += stats(capsys, *span)[1]
    said += stats(capsys, "--from", "1999-01-01", "--to", "1999-01-02")[1]  # nothing recorded
    words = set(re.findall(r"[a-z]+", said.lower()))
    assert words & ENGLISH == set()
    assert "gezeten" in words and "uitgesteld" in words


def test_json_and_csv_give_the_same_days(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = json.loads(stats(capsys, "--week", "--json")[1])
    per_day = sum(end - start for start, end in SPANS) * 60.0
    assert [day["seated_seconds"] for day in found["days"]] == [per_day] * 7
    assert found["seated_seconds"] == 7 * per_day
    rows = stats(capsys, "--week", "--csv")[1].splitlines()
    assert rows[0] == "date,seated_seconds,moving_seconds,natural_breaks,done,reminders"
    assert [row.split(",")[0] for row in rows[1:]] == [day["date"] for day in found["days"]]


def test_a_corrupt_record_is_reported_in_one_line_and_skipped(
    history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    today = history / f"{date.today().isoformat()}.jsonl"
    before = json.loads(stats(capsys, "--json")[1])
    lines = today.read_text().splitlines()
    lines[1] = lines[1][:20] + "\x00garbage"  # the day's first reminder
    today.write_text("\n".join(lines) + "\n")
    code, out, err = stats(capsys, "--json")
    assert code == 0
    assert (
        err == f"breakd: skipped 1 unreadable history lines: {today.name}:2 is not a whole record\n"
    )
    after = json.loads(out)
    assert after["reminders"] == before["reminders"] - 1
    assert after["seated_seconds"] == before["seated_seconds"]


def test_forget_before_deletes_the_older_days(
    history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keep = date.today() - timedelta(days=6)
    code, out, _ = stats(capsys, "--forget-before", keep.isoformat())
    assert (code, out) == (0, f"deleted the history of {DAYS - 7} days before {keep}\n")
    assert len(list(history.iterdir())) == 7
    assert json.loads(stats(capsys, "--month", "--json")[1])["days"][0]["seated_seconds"] == 0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--from", "2026-13-01"], "--from takes a date such as 2026-11-23, not '2026-13-01'"),
        (
            ["--from", "2026-11-02", "--to", "2026-11-01"],
            "--from 2026-11-02 is after --to 2026-11-01",
        ),
        (["--week", "--month"], "not allowed with argument"),
        (["--json", "--csv"], "not allowed with argument"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    code, out, err = stats(capsys, *args)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and says in err
