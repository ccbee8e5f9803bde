"""Hypothesis profiles for the fuzz suite.

`short` (the default) keeps `make test` fast and the same on every run: a fixed
derandomized set of examples per target, no example database. `long` is
`make fuzz`: at least 10,000 fresh examples per target, failures kept in
.hypothesis/ and printed with a blob that replays them. BREAKD_FUZZ picks one.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

from tests.fuzz.profile import PROFILE

SHORT_EXAMPLES = 100
LONG_EXAMPLES = 10_000

settings.register_profile(
    "short",
    max_examples=SHORT_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=LONG_EXAMPLES,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(PROFILE)
