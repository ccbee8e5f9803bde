"""Loading: every kind of mistake is reported with its file, line and key, all at once."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from breakd.config.load import load_config, load_config_text
from breakd.config.model import DEFAULT_CONFIG, ActiveHoursConfig
from breakd.errors import ConfigError, ConfigProblem


def problems(text: str) -> list[ConfigProblem]:
    with pytest.raises(ConfigError) as caught:
        load_config_text(text, "config.yaml")
    return caught.value.problems


def only_problem(text: str) -> ConfigProblem:
    found = problems(text)
    assert len(found) == 1, [str(problem) for problem in found]
    return found[0]


# -- valid input ------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# nothing here\n  # at all\n", "---\n", "~\n"])
def test_empty_or_comment_only_file_means_all_defaults(text: str) -> None:
    assert load_config_text(text, "config.yaml") == DEFAULT_CONFIG


def test_given_values_override_and_the_rest_keep_defaults() -> None:
    config = load_config_text(
        "sitting:\n"
        "  remind_after: 1h30m\n"
        "  repeat_every: 0s\n"
        "snooze:\n"
        "  choices: [1m, 2h]\n"
        "exercises:\n"
        "  enabled: [prone-press-up]\n"
        "  order: random\n"
        "language: nl\n"
        "log: {level: debug}\n",
        "config.yaml",
    )

    assert config.sitting.remind_after == 5400
    assert config.sitting.repeat_every == 0
    assert config.sitting.break_after_idle == DEFAULT_CONFIG.sitting.break_after_idle
    assert config.snooze.choices == (60, 7200)
    assert config.exercises.enabled == ("prone-press-up",)
    assert config.exercises.order == "random"
    assert config.language == "nl"
    assert config.log.level == "debug"
    assert config.notify == DEFAULT_CONFIG.notify


def test_a_null_section_means_its_defaults() -> None:
    assert load_config_text("sitting:\nlog:\n", "config.yaml") == DEFAULT_CONFIG


@pytest.mark.parametrize("text", ["active_hours:\n", "active_hours: null\n", "log: {}\n"])
def test_absent_or_null_active_hours_means_always_active(text: str) -> None:
    assert load_config_text(text, "config.yaml").active_hours is None


def test_an_empty_active_hours_section_takes_each_default() -> None:
    config = load_config_text("active_hours: {}\n", "config.yaml")

    assert config.active_hours == ActiveHoursConfig(
        days=("mon", "tue", "wed", "thu", "fri"), from_=time(8, 0), to=time(18, 0)
    )


def test_unquoted_times_are_accepted_although_yaml_reads_them_as_numbers() -> None:
    # YAML 1.1 reads 9:30 and 17:45 as the integers 570 and 1065; 08:00 stays a string.
    config = load_config_text(
        "active_hours:\n  days: [sat, sun]\n  from: 9:30\n  to: 17:45\n", "config.yaml"
    )

    assert config.active_hours == ActiveHoursConfig(
        days=("sat", "sun"), from_=time(9, 30), to=time(17, 45)
    )


def test_load_config_reads_the_file_and_records_its_path(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("sitting:\n  remind_after: 20m\n", encoding="utf-8")

    config = load_config(path)

    assert config.sitting.remind_after == 1200
    assert config.source == path


# -- unreadable files -----------------------------------------------------


def test_missing_file_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(ConfigError) as caught:
        load_config(path)

    assert caught.value.problems == [ConfigProblem(str(path), None, None, "no such file")]
    assert str(caught.value) == f"{path}: no such file"


def test_a_directory_is_a_clean_problem(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)

    assert "cannot read" in str(caught.value)


def test_bytes_that_are_not_utf8_are_reported_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(b"sitting:\n  remind_after: 45m\xff\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)

    assert str(caught.value) == f"{path}:2: not UTF-8 text"


# -- YAML-level mistakes ----------------------------------------------------


def test_invalid_yaml_names_its_line() -> None:
    problem = only_problem("sitting:\n  remind_after: 45m\n\nlog: level: info\n")

    assert problem.line == 4
    assert (
        str(problem)
        == "config.yaml:4: invalid YAML: mapping values are not allowed in this context"
    )


def test_top_level_must_be_a_mapping() -> None:
    problem = only_problem("- sitting\n- log\n")

    assert problem.line == 1
    assert problem.key is None
    assert "expected a mapping of sections at the top level" in str(problem)
    assert str(problem).endswith("found a list")


def test_duplicate_keys_are_reported_at_the_second_one() -> None:
    problem = only_problem("sitting:\n  remind_after: 5m\n  remind_after: 6m\n")

    assert problem.line == 3
    assert str(problem) == (
        'config.yaml:3: sitting.remind_after: duplicate key "remind_after";'
        " it is already set on line 2"
    )


def test_python_tags_are_refused_without_running_anything() -> None:
    problem = only_problem('language: !!python/object/apply:os.system ["echo pwned"]\n')

    assert problem.line == 1
    assert problem.key == "language"
    assert "unsupported YAML tag !!python/object/apply:os.system" in str(problem)


def test_a_python_tag_on_the_whole_document_is_refused() -> None:
    problem = only_problem("!!python/object/apply:os.system\nargs: [echo pwned]\n")

    assert "unsupported YAML tag" in problem.message


def test_merge_keys_are_refused_clearly() -> None:
    problem = only_problem("log:\n  <<: {level: info}\n")

    assert problem.line == 2
    assert problem.key == "log"
    assert "merge keys (<<) are not supported" in problem.message


# -- keys -----------------------------------------------------------------


def test_unknown_key_suggests_the_close_one() -> None:
    problem = only_problem("sitting:\n  remind_afer: 45m\n")

    assert problem.line == 2
    assert problem.key == "sitting"
    assert str(problem) == (
        'config.yaml:2: sitting: unknown key "remind_afer"; did you mean "remind_after"?'
    )


def test_unknown_key_without_a_close_one_lists_the_valid_keys() -> None:
    problem = only_problem("snooze:\n  colour: red\n")

    assert problem.message == 'unknown key "colour"; valid keys here: default, choices'


def test_unknown_top_level_key_has_no_key_prefix() -> None:
    problem = only_problem("siting:\n  remind_after: 45m\n")

    assert str(problem) == 'config.yaml:1: unknown key "siting"; did you mean "sitting"?'


def test_a_key_in_the_wrong_section_says_where_it_belongs() -> None:
    problem = only_problem("remind_after: 45m\n")

    assert problem.message == 'unknown key "remind_after"; it belongs under "sitting"'


# -- wrong types ----------------------------------------------------------


def test_a_list_where_a_section_belongs() -> None:
    problem = only_problem("sitting:\n  - remind_after: 45m\n")

    assert problem.line == 2
    assert problem.key == "sitting"
    assert problem.message == (
        "expected a mapping with keys remind_after, break_after_idle, repeat_every; found a list"
    )


def test_a_mapping_where_a_duration_belongs() -> None:
    problem = only_problem("snooze:\n  default: {minutes: 10}\n")

    assert problem.key == "snooze.default"
    assert problem.message.endswith("found a mapping")
    assert problem.message.startswith("expected a duration")


def test_a_scalar_where_a_list_belongs() -> None:
    problem = only_problem("snooze:\n  choices: 5m\n")

    assert problem.message == 'expected a list, like [5m, 10m, 30m]; found "5m"'


def test_a_missing_value_is_not_silently_the_default() -> None:
    problem = only_problem("sitting:\n  remind_after:\n")

    assert problem.key == "sitting.remind_after"
    assert problem.message.endswith("found nothing")


# -- durations ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "found", "suggestion"),
    [
        ("sitting:\n  remind_after: 45\n", "sitting.remind_after", "45", "45m"),
        ("activity:\n  poll_every: 5\n", "activity.poll_every", "5", "5s"),
        ("exercises:\n  hold: 30\n", "exercises.hold", "30", "30s"),
        ("snooze:\n  default: 1.5\n", "snooze.default", "1.5", "1m30s"),
    ],
)
def test_a_bare_number_suggests_the_unit_of_the_default(
    text: str, key: str, found: str, suggestion: str
) -> None:
    problem = only_problem(text)

    assert problem.line == 2
    assert problem.key == key
    assert f"found {found} (a number)" in problem.message
    assert problem.message.endswith(f'did you mean "{suggestion}"?')


def test_a_bare_number_in_a_duration_list_is_found_by_index() -> None:
    problem = only_problem("snooze:\n  choices:\n    - 5m\n    - 10\n")

    assert problem.line == 4
    assert problem.key == "snooze.choices[1]"
    assert problem.message.endswith('did you mean "10m"?')


def test_a_malformed_duration_uses_the_duration_message() -> None:
    problem = only_problem("sitting:\n  remind_after: 45 minutes\n")

    assert problem.line == 2
    assert str(problem) == (
        'config.yaml:2: sitting.remind_after: "45 minutes" is not a duration;'
        ' expected a number with a unit, like "45m", "20s" or "1h30m"; did you mean "45m"?'
    )


def test_a_quoted_number_is_told_to_take_a_unit() -> None:
    problem = only_problem('sitting:\n  remind_after: "45"\n')

    assert "has no unit" in problem.message


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("sitting:\n  remind_after: 0s\n", "sitting.remind_after", "from 1s to 24h"),
        ("sitting:\n  break_after_idle: 0m\n", "sitting.break_after_idle", "from 1s to 24h"),
        ("exercises:\n  hold: 3s\n", "exercises.hold", "from 5s to 24h"),
        ("sitting:\n  repeat_every: 25h\n", "sitting.repeat_every", "from 0s to 24h"),
        ("snooze:\n  choices: [5m, 0s]\n", "snooze.choices[1]", "from 1s to 24h"),
    ],
)
def test_durations_out_of_bounds(text: str, key: str, expected: str) -> None:
    problem = only_problem(text)

    assert problem.line == 2
    assert problem.key == key
    assert problem.message.startswith(f"expected a duration {expected}; found ")


def test_zero_repeat_means_never_and_is_allowed() -> None:
    assert load_config_text("sitting:\n  repeat_every: 0s\n", "c").sitting.repeat_every == 0


# -- enums ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "expected", "found", "hint"),
    [
        ("exercises:\n  order: rotat\n", "exercises.order", "rotate, random", '"rotat"', "rotate"),
        ("language: EN\n", "language", "en, nl", '"EN"', "en"),
        (
            "notify:\n  backend: plyr\n",
            "notify.backend",
            "auto, dbus, plyer, log",
            '"plyr"',
            "plyer",
        ),
        (
            "log:\n  level: warn\n",
            "log.level",
            "debug, info, warning, error",
            '"warn"',
            "warning",
        ),
    ],
)
def test_enum_mistakes_suggest_the_close_value(
    text: str, key: str, expected: str, found: str, hint: str
) -> None:
    problem = only_problem(text)

    assert problem.key == key
    assert problem.message == f'expected one of {expected}; found {found}; did you mean "{hint}"?'


def test_a_boolean_where_an_enum_belongs_shows_what_was_written() -> None:
    problem = only_problem("language: no\n")

    assert problem.message == "expected one of en, nl; found no (a yes/no value)"


def test_unknown_exercise_id_is_found_by_index_with_a_suggestion() -> None:
    problem = only_problem("exercises:\n  enabled:\n    - prone-press-up\n    - standing_lunge\n")

    assert problem.line == 4
    assert problem.key == "exercises.enabled[1]"
    assert '"standing_lunge"' in problem.message
    assert problem.message.endswith('did you mean "standing-lunge"?')


def test_unknown_day() -> None:
    problem = only_problem("active_hours:\n  days: [mon, tues]\n")

    assert problem.key == "active_hours.days[1]"
    assert problem.message == (
        'expected one of mon, tue, wed, thu, fri, sat, sun; found "tues"; did you mean "tue"?'
    )


@pytest.mark.parametrize("key", ["exercises.enabled", "snooze.choices", "active_hours.days"])
def test_empty_lists_are_refused(key: str) -> None:
    section, name = key.split(".")
    problem = only_problem(f"{section}:\n  {name}: []\n")

    assert problem.line == 2
    assert problem.key == key
    assert "expected a non-empty list" in problem.message
    assert problem.message.endswith("found an empty list")


def test_duplicates_in_lists_are_refused_at_the_repeat() -> None:
    problem = only_problem(
        "exercises:\n  enabled:\n    - kneeling-lunge\n    - prone-press-up\n    - kneeling-lunge\n"
    )

    assert problem.line == 5
    assert problem.key == "exercises.enabled[2]"
    assert problem.message.startswith('"kneeling-lunge" repeats exercises.enabled[0]')


def test_equal_durations_written_differently_are_duplicates() -> None:
    problem = only_problem("snooze:\n  choices: [5m, 300s]\n")

    assert problem.key == "snooze.choices[1]"
    assert problem.message.startswith('"300s" repeats snooze.choices[0]')


# -- times ------------------------------------------------------------------


@pytest.mark.parametrize("value", ['"8am"', '"25:00"', '"08:60"', "8", "[8, 0]"])
def test_times_must_be_hh_mm(value: str) -> None:
    problem = only_problem(f"active_hours:\n  from: {value}\n")

    assert problem.line == 2
    assert problem.key == "active_hours.from"
    assert problem.message.startswith('expected a 24-hour time as "HH:MM"')


def test_an_unquoted_impossible_time_is_shown_as_written() -> None:
    problem = only_problem("active_hours:\n  to: 24:30\n")

    assert problem.message.endswith('found "24:30"')


def test_equal_from_and_to_is_reported_at_from() -> None:
    problem = only_problem('active_hours:\n  to: "08:00"\n  from: "08:00"\n')

    assert problem.line == 3
    assert str(problem) == (
        'config.yaml:3: active_hours.from: "08:00" is the same time as active_hours.to;'
        " to be reminded at any time, leave active_hours out"
    )


def test_from_equal_to_the_default_to_names_the_default() -> None:
    problem = only_problem('active_hours:\n  from: "18:00"\n')

    assert problem.message.startswith(
        '"18:00" is the same time as active_hours.to, which defaults to it;'
    )


def test_a_to_before_from_is_a_night_shift_into_the_next_morning() -> None:
    config = load_config_text(
        'active_hours:\n  days: [fri]\n  from: "22:00"\n  to: "06:00"\n', "c.yaml"
    )
    hours = config.tracker_settings().active_hours
    assert hours is not None and hours.overnight


def test_a_bad_from_is_not_also_compared_with_to() -> None:
    problem = only_problem('active_hours:\n  from: "noon"\n  to: "08:00"\n')

    assert problem.key == "active_hours.from"
    assert "HH:MM" in problem.message


# -- all at once -------------------------------------------------------------


def test_every_problem_is_reported_in_line_order() -> None:
    text = (
        "sitting:\n"  # 1
        "  remind_afer: 45m\n"  # 2
        "  repeat_every: 5\n"  # 3
        "activity: [5s]\n"  # 4
        "exercises:\n"  # 5
        "  enabled: []\n"  # 6
        "  order: rotat\n"  # 7
        "active_hours:\n"  # 8
        '  from: "18:00"\n'  # 9
        '  to: "18:00"\n'  # 10
        "language: de\n"  # 11
    )

    found = problems(text)

    assert [(problem.line, problem.key) for problem in found] == [
        (2, "sitting"),
        (3, "sitting.repeat_every"),
        (4, "activity"),
        (6, "exercises.enabled"),
        (7, "exercises.order"),
        (9, "active_hours.from"),
        (11, "language"),
    ]
    error_text = str(ConfigError(found))
    assert error_text.count("\n") == len(found) - 1
    assert all(line.startswith("config.yaml:") for line in error_text.splitlines())


def test_a_failed_load_leaves_nothing_behind_for_the_next() -> None:
    problems("sitting: [oops]\nlanguage: de\n")

    assert load_config_text("", "config.yaml") == DEFAULT_CONFIG
