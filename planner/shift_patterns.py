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
at once in a :class:`ShiftPatternError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from planner.dataset import Dataset

PLACE_KEYWORDS = ("venues", "hotels", "all")
MAX_DAYS = 366
MAX_SHIFTS = 100_000
ID_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
LANG_RE = re.compile(r"^[A-Za-z]{2}$")
TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


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
    """One thing wrong with a pattern: the field and a message in plain words."""

    field: str
    message: str

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
        problems.append(PatternProblem(name, f"{value!r} is not a date (YYYY-MM-DD)"))
        return None


def _as_time(value: Any, name: str, problems: list[PatternProblem]) -> time | None:
    if isinstance(value, time):
        return value
    m = TIME_RE.match(str(value).strip())
    if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        return time(int(m.group(1)), int(m.group(2)))
    problems.append(PatternProblem(name, f"{value!r} is not a time (HH:MM, 24 h)"))
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
            problems.append(PatternProblem("places", f"there are no {key if key != 'all' else 'venues or hotels'}"))
        return chosen
    chosen = []
    for p in _items(places):
        if p not in data.venues and p not in data.hotels:
            problems.append(PatternProblem("places", f"{p!r} is neither a venue nor a hotel"))
        elif p not in chosen:
            chosen.append(p)
    if not chosen and not problems:
        problems.append(PatternProblem("places", "name at least one place, or venues, hotels or all"))
    return chosen


def _check(
    data: Dataset, pattern: ShiftPattern
) -> tuple[list[PatternProblem], list[date], list[str], time | None, time | None, list[str], list[str]]:
    problems: list[PatternProblem] = []
    function = pattern.function.strip() if isinstance(pattern.function, str) else ""
    if not function:
        problems.append(PatternProblem("function", "say what the volunteers do"))
    elif len(function) > 100:
        problems.append(PatternProblem("function", "at most 100 characters"))
    first = _as_date(pattern.first_date, "first_date", problems)
    last = _as_date(pattern.last_date, "last_date", problems)
    days: list[date] = []
    if first and last:
        if last < first:
            problems.append(PatternProblem("last_date", f"{last} is before first_date {first}"))
        elif (last - first).days + 1 > MAX_DAYS:
            problems.append(PatternProblem("last_date", f"at most {MAX_DAYS} days in one pattern"))
        else:
            days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    if pattern.weekdays is not None:
        bad = [w for w in pattern.weekdays if not (isinstance(w, int) and 0 <= w <= 6)]
        if bad or not pattern.weekdays:
            problems.append(PatternProblem("weekdays", "weekdays are 0 (Monday) to 6 (Sunday), at least one"))
        else:
            days = [d for d in days if d.weekday() in pattern.weekdays]
            if first and last and first <= last and not days:
                problems.append(PatternProblem("weekdays", "no day between first_date and last_date is one of them"))
    start = _as_time(pattern.start, "start", problems)
    end = _as_time(pattern.end, "end", problems)
    if start and end and end <= start:
        problems.append(
            PatternProblem("end", f"{end:%H:%M} is not after start {start:%H:%M} (a shift ends the same day)")
        )
    if isinstance(pattern.needed, bool) or not isinstance(pattern.needed, int) or not 1 <= pattern.needed <= 100_000:
        problems.append(PatternProblem("needed", f"{pattern.needed!r} is not a whole number from 1 to 100000"))
    places = _places(data, pattern.places, problems)
    skills = []
    for sk in _items(pattern.skills):
        if len(sk) > 64:
            problems.append(PatternProblem("skills", f"{sk[:20]!r}... is longer than 64 characters"))
        elif sk.lower() not in skills:
            skills.append(sk.lower())
    languages = []
    for lang in _items(pattern.languages):
        if not LANG_RE.match(lang):
            problems.append(PatternProblem("languages", f"{lang!r} is not a two-letter ISO 639-1 code"))
        elif lang.lower() not in languages:
            languages.append(lang.lower())
    if pattern.id_prefix and not re.fullmatch(r"[A-Za-z0-9_.\-]{1,20}", pattern.id_prefix):
        problems.append(PatternProblem("id_prefix", "1-20 characters of A-Z a-z 0-9 _ . -"))
    if len(days) * len(places) > MAX_SHIFTS:
        problems.append(
            PatternProblem("places", f"{len(days) * len(places):,} shifts in one pattern; at most {MAX_SHIFTS:,}")
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
                raise ShiftPatternError([PatternProblem("id_prefix", f"cannot make a valid id from {candidate!r}")])
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
