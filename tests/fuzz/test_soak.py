"""Days of use on the fake clock through the real daemon, with random input,
commands, session changes and faults; the invariants hold at every step.

`make test` soaks 2 days, `make fuzz` 30. The seed is printed; BREAKD_SOAK_SEED=n
(or `make fuzz SEED=n`) replays a run.
"""

from __future__ import annotations

import asyncio
import os
import random
from pathlib import Path

from tests.fuzz.profile import SOAK_DAYS
from tests.fuzz.soak import Soak
from tests.fuzz.tally import Tally
from tests.inprocess.harness import InProcessDaemon


def soak_seed() -> int:
    given = os.environ.get("BREAKD_SOAK_SEED", "")
    return int(given) if given else random.SystemRandom().randrange(2**32)


def test_days_of_use_with_faults_keep_every_invariant(tmp_path: Path) -> None:
    seed = soak_seed()
    print(f"soak seed {seed} (BREAKD_SOAK_SEED={seed} replays it), {SOAK_DAYS} days")
    tally = Tally(f"soak, {SOAK_DAYS} days, seed {seed} (steps)")

    async def main() -> None:
        async with InProcessDaemon(tmp_path) as d:
            soak = Soak(d, random.Random(seed), tally)
            try:
                await soak.run(SOAK_DAYS)
            except AssertionError as error:
                raise AssertionError(f"soak seed {seed}: {error}") from error
            finally:
                soak.toggle_off_faults()

    asyncio.run(main())
    tally.save()
