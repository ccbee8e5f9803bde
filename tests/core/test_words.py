"""Every text in every language: a text that one language lacks, or has alone, fails here."""

from __future__ import annotations

import string
from typing import get_args

import pytest

from breakd.core.stretches import LANGUAGES, STRETCHES, Language
from breakd.core.words import WORDS, Words

TEXTS = sorted(Words.__annotations__)


def test_the_table_speaks_the_languages_the_config_allows() -> None:
    assert tuple(WORDS) == LANGUAGES == get_args(Language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_language_gives_every_text_and_no_other(language: Language) -> None:
    words = WORDS[language]
    given = sorted(name for name in vars(words) if not name.startswith("_"))
    assert given == TEXTS
    assert all(isinstance(getattr(words, name), str) for name in TEXTS)


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("name", TEXTS)
def test_a_text_has_the_same_placeholders_in_every_language(name: str) -> None:
    english = placeholders(getattr(WORDS["en"], name))
    for language in LANGUAGES:
        assert placeholders(getattr(WORDS[language], name)) == english, (name, language)


def test_every_stretch_speaks_every_language_step_for_step() -> None:
    for stretch in STRETCHES.values():
        assert tuple(stretch.text) == LANGUAGES, stretch.id
        steps = {len(text.steps) for text in stretch.text.values()}
        assert len(steps) == 1, stretch.id
