"""Every text breakd shows in the user's language, one class per language.

`Words` names each text once; every language sets all of them, and
tests/core/test_words.py fails for a text that one language lacks or adds.
Placeholders in braces are filled with `str.format`. The stretches' own words
(name, steps, cue) are content written and checked with each stretch, so they
stay beside it in stretches.py, where a test holds them to the same rule.

Imports nothing at run time: `breakd status` reaches this module through the
spoken durations.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar

    from breakd.core.stretches import Language


class Words:
    """The texts a language must give."""

    # A reminder's title and body (reminder_text.py).
    title: ClassVar[str]
    title_repeat: ClassVar[str]
    hold: ClassVar[str]
    hold_each_side: ClassVar[str]
    seated: ClassVar[str]
    # The title of a reminder that waited, after what the user was busy with.
    call: ClassVar[str]
    dnd: ClassVar[str]
    fullscreen: ClassVar[str]
    busy: ClassVar[str]
    # The notification's buttons, or the line that stands in for them.
    snooze: ClassVar[str]
    done: ClassVar[str]
    skip: ClassVar[str]
    cli: ClassVar[str]
    # `breakd exercises`: after the hold of a stretch done on both sides.
    each_side: ClassVar[str]
    # The units of a spoken duration (durations.py).
    second: ClassVar[str]
    minute: ClassVar[str]
    hour: ClassVar[str]
    # The label of the reminder's Start action (also a click on its body): the guide.
    start: ClassVar[str]
    # The guided stretch (guide_text.py): each frame's title, the time left, the
    # closing line, the offer to resume, its buttons, and the terminal's pointer.
    guide_position: ClassVar[str]
    guide_side_one: ClassVar[str]
    guide_switch: ClassVar[str]
    guide_switch_body: ClassVar[str]
    guide_side_two: ClassVar[str]
    guide_hold: ClassVar[str]
    guide_left: ClassVar[str]
    guide_end_title: ClassVar[str]
    guide_end: ClassVar[str]
    guide_paused_title: ClassVar[str]
    guide_paused: ClassVar[str]
    guide_resume: ClassVar[str]
    guide_finish: ClassVar[str]
    guide_cancel: ClassVar[str]
    guide_in_terminal: ClassVar[str]
    # The body's line where a server keeps the buttons in a menu (dunst, mako).
    menu: ClassVar[str]
    # The daemon's replies to a command (control.py).
    snoozed_until: ClassVar[str]
    well_done: ClassVar[str]
    skipped: ClassVar[str]
    paused_until: ClassVar[str]
    paused_until_resume: ClassVar[str]
    resumed: ClassVar[str]
    reminder_shown: ClassVar[str]
    guide_started: ClassVar[str]
    guide_cancelled: ClassVar[str]
    command_failed: ClassVar[str]
    # Why a command does not apply now (tracker.py raises them by name).
    refused_away: ClassVar[str]
    refused_paused: ClassVar[str]
    refused_off_hours: ClassVar[str]
    refused_not_paused: ClassVar[str]
    refused_counted: ClassVar[str]
    refused_nothing_to_skip: ClassVar[str]
    refused_guiding: ClassVar[str]
    refused_no_guide: ClassVar[str]
    refused_unknown_exercise: ClassVar[str]
    # `breakd status` (status_text.py): the states, the row labels, and the
    # reminder row that says why nothing is on screen.
    state_sitting: ClassVar[str]
    state_away: ClassVar[str]
    state_reminding: ClassVar[str]
    state_snoozed: ClassVar[str]
    state_paused: ClassVar[str]
    state_off_hours: ClassVar[str]
    state_guiding: ClassVar[str]
    label_state: ClassVar[str]
    label_seated: ClassVar[str]
    label_reminder: ClassVar[str]
    label_stretch: ClassVar[str]
    label_counts: ClassVar[str]
    label_idle_source: ClassVar[str]
    label_notifications: ClassVar[str]
    no_idle_source: ClassVar[str]
    at_in: ClassVar[str]
    at_ago: ClassVar[str]
    next_at: ClassVar[str]
    on_screen: ClassVar[str]
    held: ClassVar[str]
    held_call: ClassVar[str]
    held_dnd: ClassVar[str]
    held_fullscreen: ClassVar[str]
    held_busy: ClassVar[str]
    awaiting_return: ClassVar[str]
    away_now: ClassVar[str]
    snoozed_now: ClassVar[str]
    paused_now: ClassVar[str]
    paused_now_until_resume: ClassVar[str]
    off_hours_now: ClassVar[str]
    off_hours_until: ClassVar[str]
    # `breakd status --follow` and the status bars (status_formats.py): one short line.
    bar_sitting: ClassVar[str]
    bar_next_in: ClassVar[str]
    bar_due: ClassVar[str]
    bar_reminding: ClassVar[str]
    bar_held: ClassVar[str]
    bar_snoozed: ClassVar[str]
    bar_paused: ClassVar[str]
    bar_paused_until: ClassVar[str]
    bar_away: ClassVar[str]
    bar_guiding: ClassVar[str]
    bar_off_hours: ClassVar[str]
    bar_stopped: ClassVar[str]

    # `breakd stats` (stats.py): labels, the chart's legend, and what it reports.
    stats_range: ClassVar[str]
    stats_seated: ClassVar[str]
    stats_longest: ClassVar[str]
    stats_breaks: ClassVar[str]
    stats_stretches: ClassVar[str]
    stats_reminders: ClassVar[str]
    stats_answers: ClassVar[str]
    stats_held: ClassVar[str]
    stats_per_hour: ClassVar[str]
    stats_per_day: ClassVar[str]
    stats_nothing: ClassVar[str]
    stats_weekdays: ClassVar[str]
    stats_hour_unit: ClassVar[str]
    stats_unreadable: ClassVar[str]
    stats_forgot: ClassVar[str]


class English(Words):
    title = "Stretch break: {name}"
    title_repeat = "Still sitting? Stretch break: {name}"
    hold = "Hold {hold}."
    hold_each_side = "Hold {hold} each side."
    seated = "Seated for {seated}."
    call = "Stretch break: {name}, now your call is over"
    dnd = "Stretch break: {name}, now do not disturb is off"
    fullscreen = "Stretch break: {name}, now full screen is over"
    busy = "Stretch break: {name}, now you are free again"
    snooze = "Snooze {duration}"
    done = "Done"
    skip = "Skip"
    cli = "Answer with breakd done, breakd skip or breakd snooze."
    each_side = " each side"
    second = "s"
    minute = "min"
    hour = "h"
    start = "Start"
    guide_position = "Get into position: {name}"
    guide_side_one = "Left leg back: hold"
    guide_switch = "Switch sides"
    guide_switch_body = "Change legs: now the right one goes back."
    guide_side_two = "Right leg back: hold"
    guide_hold = "{name}: hold"
    guide_left = "{left} to go"
    guide_end_title = "Well done: {name}"
    guide_end = "Stretch done; sitting time starts again from 0."
    guide_paused_title = "Paused: {name}"
    guide_paused = "Carry on where you stopped ({left} to go), or finish it here."
    guide_resume = "Carry on"
    guide_finish = "Finished"
    guide_cancel = "Cancel"
    guide_in_terminal = "For a guided countdown, run breakd guide in a terminal."
    menu = "Answer from the menu ({menu}) or with breakd done, breakd skip or breakd snooze."
    snoozed_until = "Snoozed until {time}."
    well_done = "Well done. Next stretch: {name}."
    skipped = "Skipped; sitting time starts again from 0."
    paused_until = "Paused until {time}."
    paused_until_resume = "Paused until `breakd resume`."
    resumed = "Resumed: {state}."
    reminder_shown = "Reminder shown: {name}."
    guide_started = "Guided stretch: {name}."
    guide_cancelled = "Guided stretch stopped; nothing counted."
    command_failed = "{command} failed inside breakd; its log says why"
    refused_away = "You are away, so there is no reminder to answer."
    refused_paused = "Reminders are paused; run `breakd resume` first."
    refused_off_hours = "It is outside active hours; reminders start again when they begin."
    refused_not_paused = "Nothing to resume: breakd is not paused."
    refused_counted = (
        "Already counted: no reminder has come since your last answer; `breakd status` says when."
    )
    refused_nothing_to_skip = "There is no reminder to skip; `breakd snooze` puts off the next one."
    refused_guiding = "A guided stretch is already under way; `breakd cancel` stops it."
    refused_no_guide = "No guided stretch is under way."
    refused_unknown_exercise = "There is no stretch {exercise}; `breakd exercises` lists them."
    state_sitting = "sitting"
    state_away = "away (a break is running)"
    state_reminding = "reminding: time for a stretch"
    state_snoozed = "snoozed"
    state_paused = "paused"
    state_off_hours = "outside active hours"
    state_guiding = "guiding a stretch"
    label_state = "state"
    label_seated = "seated for"
    label_reminder = "reminder"
    label_stretch = "stretch"
    label_counts = "done / skipped"
    label_idle_source = "idle source"
    label_notifications = "notifications"
    no_idle_source = "none: you count as present"
    at_in = "{time} (in {duration})"
    at_ago = "{time} ({duration} ago)"
    next_at = "next at {at}"
    on_screen = "on screen now"
    held = "held since {at}: {why}; it comes when that ends"
    held_call = "you are in a call"
    held_dnd = "do not disturb is on"
    held_fullscreen = "a window is full screen"
    held_busy = "you are busy"
    awaiting_return = "due since {at}; waiting for you to come back"
    away_now = "none while you are away (no input for {idle})"
    snoozed_now = "snoozed until {at}"
    paused_now = "paused until {at}"
    paused_now_until_resume = "paused until you run `breakd resume`"
    off_hours_now = "none outside active hours"
    off_hours_until = "none outside active hours; they start again at {at}"
    bar_sitting = "sitting {duration}"
    bar_next_in = "stretch in {duration}"
    bar_due = "stretch due"
    bar_reminding = "time to stretch"
    bar_held = "stretch held"
    bar_snoozed = "snoozed until {time}"
    bar_paused = "paused"
    bar_paused_until = "paused until {time}"
    bar_away = "away"
    bar_guiding = "stretching {seconds} s"
    bar_off_hours = "off hours"
    bar_stopped = "breakd not running"

    stats_range = "{first} to {last}"
    stats_seated = "Seated"
    stats_longest = "longest unbroken {duration}"
    stats_breaks = "Natural breaks"
    stats_stretches = "Stretches done"
    stats_reminders = "Reminders"
    stats_answers = "{done} done, {snoozed} snoozed, {skipped} skipped, {ignored} ignored"
    stats_held = "Held while busy"
    stats_per_hour = "Per hour: # seated, . moving; one mark is {minutes} min"
    stats_per_day = "Per day: # seated, . moving; one mark is {minutes} min"
    stats_nothing = "Nothing recorded for these days."
    stats_weekdays = "Mon Tue Wed Thu Fri Sat Sun"
    stats_hour_unit = "h"
    stats_unreadable = "skipped {count} unreadable history lines: {where}"
    stats_forgot = "deleted the history of {count} days before {day}"


class Dutch(Words):
    title = "Rekpauze: {name}"
    title_repeat = "Zit je nog steeds? Rekpauze: {name}"
    hold = "Houd dit {hold} aan."
    hold_each_side = "Houd dit {hold} aan, per kant."
    seated = "Je zit al {seated}."
    call = "Rekpauze: {name}, nu je gesprek voorbij is"
    dnd = "Rekpauze: {name}, nu niet storen uit staat"
    fullscreen = "Rekpauze: {name}, nu volledig scherm voorbij is"
    busy = "Rekpauze: {name}, nu je weer vrij bent"
    snooze = "{duration} uitstellen"
    done = "Gedaan"
    skip = "Overslaan"
    cli = "Antwoord met breakd done, breakd skip of breakd snooze."
    each_side = " per kant"
    second = "s"
    minute = "min"
    hour = "uur"
    start = "Beginnen"
    guide_position = "Ga klaarstaan: {name}"
    guide_side_one = "Linkerbeen naar achteren: vasthouden"
    guide_switch = "Wissel van kant"
    guide_switch_body = "Andere been: nu gaat het rechterbeen naar achteren."
    guide_side_two = "Rechterbeen naar achteren: vasthouden"
    guide_hold = "{name}: vasthouden"
    guide_left = "nog {left}"
    guide_end_title = "Goed gedaan: {name}"
    guide_end = "Rekoefening gedaan; je zittijd begint weer bij 0."
    guide_paused_title = "Gepauzeerd: {name}"
    guide_paused = "Ga verder waar je bleef (nog {left}), of rond hier af."
    guide_resume = "Verder"
    guide_finish = "Klaar"
    guide_cancel = "Stoppen"
    guide_in_terminal = "Voor een begeleide aftelling: geef breakd guide in een terminal."
    menu = "Antwoord via het menu ({menu}) of met breakd done, breakd skip of breakd snooze."
    snoozed_until = "Uitgesteld tot {time}."
    well_done = "Goed gedaan. Volgende rekoefening: {name}."
    skipped = "Overgeslagen; je zittijd begint weer bij 0."
    paused_until = "Gepauzeerd tot {time}."
    paused_until_resume = "Gepauzeerd tot `breakd resume`."
    resumed = "Hervat: {state}."
    reminder_shown = "Herinnering getoond: {name}."
    guide_started = "Begeleide rekoefening: {name}."
    guide_cancelled = "Begeleiding gestopt; er telt niets."
    command_failed = "{command} ging mis in breakd; het logboek zegt waarom"
    refused_away = "Je bent weg, dus er is geen herinnering om te beantwoorden."
    refused_paused = "Herinneringen zijn gepauzeerd; geef eerst `breakd resume`."
    refused_off_hours = (
        "Het is buiten de actieve uren; herinneringen komen weer zodra die beginnen."
    )
    refused_not_paused = "Niets te hervatten: breakd is niet gepauzeerd."
    refused_counted = (
        "Al geteld: sinds je vorige antwoord is er geen herinnering geweest;"
        " `breakd status` zegt wanneer de volgende komt."
    )
    refused_nothing_to_skip = (
        "Er is geen herinnering om over te slaan; `breakd snooze` stelt de volgende uit."
    )
    refused_guiding = "Er loopt al een begeleide rekoefening; `breakd cancel` stopt hem."
    refused_no_guide = "Er loopt geen begeleide rekoefening."
    refused_unknown_exercise = (
        "Rekoefening {exercise} bestaat niet; `breakd exercises` toont ze allemaal."
    )
    state_sitting = "zittend"
    state_away = "weg (je hebt pauze)"
    state_reminding = "herinnering: tijd om te rekken"
    state_snoozed = "uitgesteld"
    state_paused = "gepauzeerd"
    state_off_hours = "buiten de actieve uren"
    state_guiding = "begeleidt een rekoefening"
    label_state = "toestand"
    label_seated = "zit al"
    label_reminder = "herinnering"
    label_stretch = "rekoefening"
    label_counts = "gedaan / overgeslagen"
    label_idle_source = "activiteit gemeten via"
    label_notifications = "meldingen via"
    no_idle_source = "niets: je telt als aanwezig"
    at_in = "{time} (over {duration})"
    at_ago = "{time} ({duration} geleden)"
    next_at = "de volgende om {at}"
    on_screen = "staat nu op je scherm"
    held = "wacht sinds {at}: {why}; ze komt zodra dat voorbij is"
    held_call = "je zit in een gesprek"
    held_dnd = "niet storen staat aan"
    held_fullscreen = "een venster staat op volledig scherm"
    held_busy = "je bent bezig"
    awaiting_return = "had om {at} moeten komen; wacht tot je terug bent"
    away_now = "geen zolang je weg bent (al {idle} geen invoer)"
    snoozed_now = "uitgesteld tot {at}"
    paused_now = "gepauzeerd tot {at}"
    paused_now_until_resume = "gepauzeerd tot je `breakd resume` geeft"
    off_hours_now = "geen buiten de actieve uren"
    off_hours_until = "geen buiten de actieve uren; die beginnen weer om {at}"
    bar_sitting = "zit {duration}"
    bar_next_in = "rekken over {duration}"
    bar_due = "rekken is aan de beurt"
    bar_reminding = "tijd om te rekken"
    bar_held = "rekken wacht"
    bar_snoozed = "uitgesteld tot {time}"
    bar_paused = "gepauzeerd"
    bar_paused_until = "gepauzeerd tot {time}"
    bar_away = "weg"
    bar_guiding = "rekken {seconds} s"
    bar_off_hours = "buiten de actieve uren"
    bar_stopped = "breakd draait niet"

    stats_range = "{first} t/m {last}"
    stats_seated = "Gezeten"
    stats_longest = "langst aan een stuk {duration}"
    stats_breaks = "Natuurlijke pauzes"
    stats_stretches = "Oefeningen gedaan"
    stats_reminders = "Herinneringen"
    stats_answers = (
        "{done} gedaan, {snoozed} uitgesteld, {skipped} overgeslagen, {ignored} genegeerd"
    )
    stats_held = "Gewacht, je was bezig"
    stats_per_hour = "Per uur: # gezeten, . in beweging; een teken is {minutes} min"
    stats_per_day = "Per dag: # gezeten, . in beweging; een teken is {minutes} min"
    stats_nothing = "Niets vastgelegd voor deze dagen."
    stats_weekdays = "ma di wo do vr za zo"
    stats_hour_unit = "u"
    stats_unreadable = "{count} onleesbare regels in de geschiedenis overgeslagen: {where}"
    stats_forgot = "de geschiedenis van {count} dagen voor {day} gewist"


WORDS: dict[Language, type[Words]] = {"en": English, "nl": Dutch}
