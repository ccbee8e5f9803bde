"""Which form of the fuzz suite runs: `short` in `make test`, `long` in `make fuzz`."""

from __future__ import annotations

import os

PROFILE = os.environ.get("BREAKD_FUZZ", "short")
LONG = PROFILE == "long"
SOAK_DAYS = 30 if LONG else 2
