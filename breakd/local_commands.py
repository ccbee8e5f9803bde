"""Commands that need no running daemon: `config check`, `config path`, `exercises`."""

from __future__ import annotations

from breakd.config.effective import config_path, load_effective_config
from breakd.config.load import load_config
from breakd.core.durations import spoken_duration
from breakd.core.stretches import STRETCHES, Language
from breakd.core.words import WORDS


def check_config(given: str | None) -> int:
    path = config_path(given)
    if given is None and not path.exists():
        print(f"{path} does not exist; breakd runs on its built-in defaults")
        return 0
    load_config(path)
    print(f"{path}: OK")
    return 0


def print_config_path(given: str | None) -> int:
    """The file breakd reads: `--config` when given, else the default one."""
    print(config_path(given))
    return 0


def print_exercises(given_config: str | None, language: Language | None) -> int:
    config = load_effective_config(given_config)
    chosen: Language = language or config.language
    hold = spoken_duration(config.exercises.hold, chosen)
    for exercise in config.exercises.enabled:
        stretch = STRETCHES[exercise]
        text = stretch.text[chosen]
        side = WORDS[chosen].each_side if stretch.each_side else ""
        print(f"{text.name} ({exercise}), {hold}{side}")
        for number, step in enumerate(text.steps, start=1):
            print(f"  {number}. {step}")
        print(f"  > {text.cue}")
        print()
    return 0
