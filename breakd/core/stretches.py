"""The three hip-flexor stretches, in breakd's own words, in English and Dutch.

Sitting keeps the hip flexed and the iliopsoas short; each stretch opens the
hip while the belly keeps the lower back from hollowing, which is the cue that
matters most and the one a reminder shows.
"""

from __future__ import annotations

from typing import Literal

from breakd.core.record import record

Language = Literal["en", "nl"]
LANGUAGES: tuple[Language, ...] = ("en", "nl")


@record
class StretchText:
    """`start` is the starting position in one line, which the first reminder shows;
    `steps` the whole stretch, shown on request (a click on the reminder's body)."""

    name: str
    steps: tuple[str, ...]
    cue: str
    start: str


@record
class Stretch:
    id: str
    each_side: bool
    text: dict[Language, StretchText]


STRETCHES: dict[str, Stretch] = {
    stretch.id: stretch
    for stretch in (
        Stretch(
            id="standing-lunge",
            each_side=True,
            text={
                "en": StretchText(
                    name="Standing lunge",
                    steps=(
                        "Stand up and take a long step forward; keep the front knee over its ankle.",
                        "Slide the back foot further back, leg straight, until the front of that hip pulls.",
                        "Draw your navel in so the lower back stays flat, breathe, and hold.",
                        "Change legs and repeat.",
                    ),
                    cue="Navel in: feel it at the front of the hip of the leg behind, not in your lower back.",
                    start="Stand in a long stride, one foot well ahead of the other.",
                ),
                "nl": StretchText(
                    name="Staande uitvalspas",
                    steps=(
                        "Sta op en zet één been een grote stap naar voren, knie boven de enkel.",
                        "Schuif de achterste voet verder weg, been gestrekt, tot de voorkant van die heup trekt.",
                        "Trek je navel in zodat je onderrug plat blijft, adem rustig en houd vast.",
                        "Wissel van been en herhaal.",
                    ),
                    cue="Navel in: je voelt het voor in de heup van je achterbeen, niet in je onderrug.",
                    start="Sta in een lange pas, de ene voet ver voor de andere.",
                ),
            },
        ),
        Stretch(
            id="kneeling-lunge",
            each_side=True,
            text={
                "en": StretchText(
                    name="Half-kneeling lunge",
                    steps=(
                        "Kneel on one knee (a folded jumper helps) with the other foot flat in front, "
                        "knee over ankle.",
                        "Ease the back knee further back until the front of that hip opens up.",
                        "Tighten your belly to keep the spine long rather than arched; hold, then switch.",
                    ),
                    cue="Long back, firm belly: don't let the lower back sag into a hollow.",
                    start="Kneel on one knee, the other foot flat on the floor in front of you.",
                ),
                "nl": StretchText(
                    name="Halfknielende uitvalspas",
                    steps=(
                        "Zet één knie op de grond (een opgevouwen trui helpt) en de andere voet plat "
                        "voor je, knie boven de enkel.",
                        "Breng de achterste knie verder naar achteren tot de voorkant van die heup opent.",
                        "Span je buik aan zodat je rug lang blijft en niet hol trekt; houd vast en wissel.",
                    ),
                    cue="Lange rug, buik aan: laat je onderrug niet hol inzakken.",
                    start="Kniel op één knie, de andere voet plat op de grond voor je.",
                ),
            },
        ),
        Stretch(
            id="prone-press-up",
            each_side=False,
            text={
                "en": StretchText(
                    name="Prone press-up",
                    steps=(
                        "Lie face down with your hands on the floor beside your chest.",
                        "Push your upper body up while hips and legs stay down; keep the pelvis on the floor.",
                        "Hands further forward make it easier, hands under the shoulders make it harder.",
                    ),
                    cue="Pull your navel in and feel the stretch at the front of the hips.",
                    start="Lie face down on the floor, hands beside your chest.",
                ),
                "nl": StretchText(
                    name="Opdrukken in buiklig",
                    steps=(
                        "Ga op je buik liggen met je handen naast je borst op de grond.",
                        "Duw je bovenlijf omhoog terwijl heupen en benen blijven liggen; "
                        "je bekken houdt contact met de vloer.",
                        "Handen verder naar voren is lichter, handen onder je schouders is zwaarder.",
                    ),
                    cue="Trek je navel in en voel de rek aan de voorkant van je heupen.",
                    start="Ga op je buik op de grond liggen, handen naast je borst.",
                ),
            },
        ),
    )
}

EXERCISE_IDS: tuple[str, ...] = tuple(STRETCHES)
