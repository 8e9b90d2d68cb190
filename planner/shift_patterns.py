"""Create many shifts at once from a pattern.

A coordinator says "every day from 3 to 10 October, 07:00-13:00, at every
venue, 4 volunteers for spectator services, speaking English" once, and gets
one ``shifts.csv`` row per place and day::

    rows = expand_pattern(data, ShiftPattern(
        function="spectator_services", first_date="2007-10-03", last_date="2007-10-10",
        start="07:00", end="13:00", needed=4, places="venues", languages="en"))

Rows are typed like :func:`planner.workbook.io.read_workbook` rows of the
``shifts`` file (dates, times, tuples, ``None`` for empty lists), with
generated ids ``<prefix><place>-<YYYYMMDD>-<HHMM>-<function>`` made unique
against the shifts that already exist. Every problem of a pattern is reported
at once in a :class:`ShiftPatternError`; each problem's message is English
text that keeps its :class:`~planner.messages.Message` (see :data:`MESSAGES`),
so the web shows it in Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from planner.dataset import Dataset
from planner.messages import N_, NUMBER, Message, MessageText, Template

PLACE_KEYWORDS = ("venues", "hotels", "all")
MAX_DAYS = 366
MAX_SHIFTS = 100_000
ID_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
LANG_RE = re.compile(r"^[A-Za-z]{2}$")
TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")

# ------------------------------------------------------------------ sentences
NOT_A_DATE = Template(N_("%(value)s is not a date (YYYY-MM-DD)"))
NOT_A_TIME = Template(N_("%(value)s is not a time (HH:MM, 24 h)"))
NO_VENUES = Template(N_("there are no venues"))
NO_HOTELS = Template(N_("there are no hotels"))
NO_VENUES_OR_HOTELS = Template(N_("there are no venues or hotels"))
NOT_A_PLACE = Template(N_("%(value)s is neither a venue nor a hotel"))
NO_PLACE = Template(N_("name at least one place, or venues, hotels or all"))
NO_FUNCTION = Template(N_("say what the volunteers do"))
FUNCTION_TOO_LONG = Template(N_("at most %(count)s characters"), count=NUMBER)
LAST_BEFORE_FIRST = Template(N_("%(last)s is before first_date %(first)s"))
TOO_MANY_DAYS = Template(N_("at most %(days)s days in one pattern"), days=NUMBER)
BAD_WEEKDAYS = Template(N_("weekdays are 0 (Monday) to 6 (Sunday), at least one"))
NO_WEEKDAY = Template(N_("no day between first_date and last_date is one of them"))
END_NOT_AFTER_START = Template(N_("%(end)s is not after start %(start)s (a shift ends the same day)"))
BAD_NEEDED = Template(N_("%(value)s is not a whole number from 1 to %(most)s"), most=NUMBER)
SKILL_TOO_LONG = Template(N_("%(value)s... is longer than %(most)s characters"), most=NUMBER)
NOT_A_LANGUAGE = Template(N_("%(value)s is not a two-letter ISO 639-1 code"))
BAD_PREFIX = Template(N_("1-20 characters of A-Z a-z 0-9 _ . -"))
TOO_MANY_SHIFTS = Template(N_("%(count)s shifts in one pattern; at most %(most)s"), count=NUMBER, most=NUMBER)
NO_VALID_ID = Template(N_("cannot make a valid id from %(value)s"))

MESSAGES: tuple[Template, ...] = tuple(t for t in list(globals().values()) if isinstance(t, Template))
"""Every sentence of this module, for :func:`planner.messages.recognise`."""


@dataclass(frozen=True)
class ShiftPattern:
    """A repeating shift.

    Attributes:
        function: what the volunteers do (``medical``, ``reception``...).
        first_date, last_date: the days, both included (``date`` or ``YYYY-MM-DD``).
        start, end: daily times (``time`` or ``HH:MM``); end after start, same day.
        needed: volunteers per shift (1 or more).
        places: ``"venues"``, ``"hotels"``, ``"all"`` (venues and hotels), or
            place ids (a tuple, or text separated by ``;``).
        skills: every one required (tuple or ``;`` text).
        languages: ISO 639-1 codes, at least one required (tuple or ``;`` text).
        weekdays: only these weekdays (0 = Monday .. 6 = Sunday); ``None`` = every day.
        id_prefix: put before every generated id (e.g. ``"SS-"``).
    """

    function: str
    first_date: date | str
    last_date: date | str
    start: time | str
    end: time | str
    needed: int
    places: tuple[str, ...] | str = "venues"
    skills: tuple[str, ...] | str = ()
    languages: tuple[str, ...] | str = ()
    weekdays: tuple[int, ...] | None = None
    id_prefix: str = ""


@dataclass(frozen=True)
class PatternProblem:
    """One thing wrong with a pattern: the field and a message in plain words.

    ``message`` is English; made with :meth:`of` it is a
    :class:`~planner.messages.MessageText` that keeps the message to translate.
    """

    field: str
    message: str

    @classmethod
    def of(cls, field: str, message: Message) -> PatternProblem:
        return cls(field, MessageText(message))

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ShiftPatternError(ValueError):
    """The pattern has problems; no shift was made."""

    def __init__(self, problems: list[PatternProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _items(value: tuple[str, ...] | list[str] | str | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(";")
    return [v.strip() for v in value if v and v.strip()]


def _as_date(value: Any, name: str, problems: list[PatternProblem]) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(PatternProblem.of(name, NOT_A_DATE(value=repr(value))))
        return None


def _as_time(value: Any, name: str, problems: list[PatternProblem]) -> time | None:
    if isinstance(value, time):
        return value
    m = TIME_RE.match(str(value).strip())
    if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        return time(int(m.group(1)), int(m.group(2)))
    problems.append(PatternProblem.of(name, NOT_A_TIME(value=repr(value))))
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-]+", "_", text.strip()).strip("_") or "shift"


def _places(data: Dataset, places: tuple[str, ...] | str, problems: list[PatternProblem]) -> list[str]:
    if isinstance(places, str) and places.strip().lower() in PLACE_KEYWORDS:
        key = places.strip().lower()
        chosen: list[str] = []
        if key in ("venues", "all"):
            chosen += sorted(data.venues)
        if key in ("hotels", "all"):
            chosen += sorted(h for h, hotel in data.hotels.items() if hotel.approved)
        if not chosen:
            none = {"venues": NO_VENUES, "hotels": NO_HOTELS}.get(key, NO_VENUES_OR_HOTELS)
            problems.append(PatternProblem.of("places", none()))
        return chosen
    chosen = []
    for p in _items(places):
        if p not in data.venues and p not in data.hotels:
            problems.append(PatternProblem.of("places", NOT_A_PLACE(value=repr(p))))
        elif p not in chosen:
            chosen.append(p)
    if not chosen and not problems:
        problems.append(PatternProblem.of("places", NO_PLACE()))
    return chosen


def _check(
    data: Dataset, pattern: ShiftPattern
) -> tuple[list[PatternProblem], list[date], list[str], time | None, time | None, list[str], list[str]]:
    problems: list[PatternProblem] = []
    function = pattern.function.strip() if isinstance(pattern.function, str) else ""
    if not function:
        problems.append(PatternProblem.of("function", NO_FUNCTION()))
    elif len(function) > 100:
        problems.append(PatternProblem.of("function", FUNCTION_TOO_LONG(count=100)))
    first = _as_date(pattern.first_date, "first_date", problems)
    last = _as_date(pattern.last_date, "last_date", problems)
    days: list[date] = []
    if first and last:
        if last < first:
            problems.append(PatternProblem.of("last_date", LAST_BEFORE_FIRST(last=last, first=first)))
        elif (last - first).days + 1 > MAX_DAYS:
            problems.append(PatternProblem.of("last_date", TOO_MANY_DAYS(days=MAX_DAYS)))
        else:
            days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    if pattern.weekdays is not None:
        bad = [w for w in pattern.weekdays if not (isinstance(w, int) and 0 <= w <= 6)]
        if bad or not pattern.weekdays:
            problems.append(PatternProblem.of("weekdays", BAD_WEEKDAYS()))
        else:
            days = [d for d in days if d.weekday() in pattern.weekdays]
            if first and last and first <= last and not days:
                problems.append(PatternProblem.of("weekdays", NO_WEEKDAY()))
    start = _as_time(pattern.start, "start", problems)
    end = _as_time(pattern.end, "end", problems)
    if start and end and end <= start:
        problems.append(PatternProblem.of("end", END_NOT_AFTER_START(end=f"{end:%H:%M}", start=f"{start:%H:%M}")))
    if isinstance(pattern.needed, bool) or not isinstance(pattern.needed, int) or not 1 <= pattern.needed <= 100_000:
        problems.append(PatternProblem.of("needed", BAD_NEEDED(value=repr(pattern.needed), most=100000)))
    places = _places(data, pattern.places, problems)
    skills = []
    for sk in _items(pattern.skills):
        if len(sk) > 64:
            problems.append(PatternProblem.of("skills", SKILL_TOO_LONG(value=repr(sk[:20]), most=64)))
        elif sk.lower() not in skills:
            skills.append(sk.lower())
    languages = []
    for lang in _items(pattern.languages):
        if not LANG_RE.match(lang):
            problems.append(PatternProblem.of("languages", NOT_A_LANGUAGE(value=repr(lang))))
        elif lang.lower() not in languages:
            languages.append(lang.lower())
    if pattern.id_prefix and not re.fullmatch(r"[A-Za-z0-9_.\-]{1,20}", pattern.id_prefix):
        problems.append(PatternProblem.of("id_prefix", BAD_PREFIX()))
    if len(days) * len(places) > MAX_SHIFTS:
        problems.append(
            PatternProblem.of("places", TOO_MANY_SHIFTS(count=f"{len(days) * len(places):,}", most=f"{MAX_SHIFTS:,}"))
        )
    return problems, days, places, start, end, skills, languages


def expand_pattern(
    data: Dataset, pattern: ShiftPattern, existing_ids: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """The ``shifts`` rows a pattern makes, one per place and day.

    Args:
        data: the event's data (places, existing shifts).
        pattern: what to make.
        existing_ids: shift ids to avoid besides ``data.shifts`` (e.g. rows
            made by another pattern in the same batch).

    Raises:
        ShiftPatternError: with every problem found; nothing is made.
    """
    problems, days, places, start, end, skills, languages = _check(data, pattern)
    if problems:
        raise ShiftPatternError(problems)
    assert start is not None and end is not None
    taken = set(data.shifts) | set(existing_ids or ())
    function = pattern.function.strip()
    slug = _slug(function)
    rows = []
    for place in places:
        for day in days:
            base = f"{pattern.id_prefix}{place}-{day:%Y%m%d}-{start:%H%M}-"
            room = 64 - len(base) - 4  # keep space for a "-999" suffix
            ident = base + slug[: max(1, room)]
            candidate, n = ident, 2
            while candidate in taken:
                candidate = f"{ident}-{n}"
                n += 1
            if not ID_RE.match(candidate):  # pragma: no cover - prefix and place ids are valid ids
                raise ShiftPatternError([PatternProblem.of("id_prefix", NO_VALID_ID(value=repr(candidate)))])
            taken.add(candidate)
            rows.append(
                {
                    "id": candidate,
                    "place": place,
                    "function": function,
                    "date": day,
                    "start": start,
                    "end": end,
                    "needed": pattern.needed,
                    "skills": tuple(skills) or None,
                    "languages": tuple(languages) or None,
                }
            )
    return rows


def expand_patterns(data: Dataset, patterns: Iterable[ShiftPattern]) -> list[dict[str, Any]]:
    """Rows of several patterns, ids unique across all; all problems of all patterns reported together."""
    rows: list[dict[str, Any]] = []
    made: set[str] = set()
    problems: list[PatternProblem] = []
    for i, pattern in enumerate(patterns, start=1):
        try:
            new = expand_pattern(data, pattern, existing_ids=made)
            rows += new
            made.update(r["id"] for r in new)
        except ShiftPatternError as exc:
            problems += [PatternProblem(f"pattern {i} {p.field}", p.message) for p in exc.problems]
    if problems:
        raise ShiftPatternError(problems)
    return rows
