"""The config file: its keys (schema), its values (model) and reading it (load).

`load_config` and `load_config_text` are imported on first use, so that code
which only needs the model or the defaults does not pay for importing PyYAML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from breakd.config.model import (
    DEFAULT_CONFIG,
    ActiveHoursConfig,
    ActivityConfig,
    Config,
    ExercisesConfig,
    LogConfig,
    NotifyConfig,
    SittingConfig,
    SnoozeConfig,
)

if TYPE_CHECKING:
    from breakd.config.load import load_config, load_config_text

__all__ = [
    "DEFAULT_CONFIG",
    "ActiveHoursConfig",
    "ActivityConfig",
    "Config",
    "ExercisesConfig",
    "LogConfig",
    "NotifyConfig",
    "SittingConfig",
    "SnoozeConfig",
    "load_config",
    "load_config_text",
]


def __getattr__(name: str) -> Any:
    if name in ("load_config", "load_config_text"):
        from breakd.config import load

        return getattr(load, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
