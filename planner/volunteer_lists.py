"""What volunteer coordinators print and hand out: rosters, liaison lists, calendars.

- :func:`roster_lines` / :func:`roster_by_place_day`: who works where, per place and day.
- :func:`staffing_by_place_day`: places needed and filled per place and day.
- :func:`eligible_shifts` / :func:`eligible_shifts_by_volunteer`: the shifts a
  volunteer could work under hard rule 10 taken alone (available day, skills,
  a language, length within their hours a day, not during liaison duty).
- Exports with English (``en``), Simplified (``zh-Hans``) or Traditional
  Chinese (``zh-Hant``) labels: :func:`write_roster_csv`,
  :func:`write_roster_xlsx`, :func:`roster_html`.
- :func:`volunteer_calendar`: an iCalendar (RFC 5545) file per volunteer,
  written by hand: shifts as timed events in UTC (converted from the event's
  time zone), liaison duty as an all-day event over the delegation's stay.

Everything reads a :class:`~planner.dataset.Dataset` and a :class:`~planner.plan.Plan`.
"""

from __future__ import annotations

import csv
import html
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from planner.dataset import Dataset, Shift, Volunteer
from planner.listing import LANGS, chinese, escape_formula, is_cjk

LANGUAGE_NAMES: dict[str, tuple[str, str, str]] = {
    "am": ("Amharic", "阿姆哈拉语", "阿姆哈拉語"),
    "ar": ("Arabic", "阿拉伯语", "阿拉伯語"),
    "bn": ("Bengali", "孟加拉语", "孟加拉語"),
    "cs": ("Czech", "捷克语", "捷克語"),
    "da": ("Danish", "丹麦语", "丹麥語"),
    "de": ("German", "德语", "德語"),
    "el": ("Greek", "希腊语", "希臘語"),
    "en": ("English", "英语", "英語"),
    "es": ("Spanish", "西班牙语", "西班牙語"),
    "fa": ("Persian", "波斯语", "波斯語"),
    "fi": ("Finnish", "芬兰语", "芬蘭語"),
    "fr": ("French", "法语", "法語"),
    "ha": ("Hausa", "豪萨语", "豪薩語"),
    "he": ("Hebrew", "希伯来语", "希伯來語"),
    "hi": ("Hindi", "印地语", "印地語"),
    "hu": ("Hungarian", "匈牙利语", "匈牙利語"),
    "id": ("Indonesian", "印度尼西亚语", "印尼語"),
    "it": ("Italian", "意大利语", "義大利語"),
    "ja": ("Japanese", "日语", "日語"),
    "kk": ("Kazakh", "哈萨克语", "哈薩克語"),
    "km": ("Khmer", "高棉语", "高棉語"),
    "ko": ("Korean", "韩语", "韓語"),
    "lo": ("Lao", "老挝语", "寮語"),
    "mn": ("Mongolian", "蒙古语", "蒙古語"),
    "ms": ("Malay", "马来语", "馬來語"),
    "my": ("Burmese", "缅甸语", "緬甸語"),
    "ne": ("Nepali", "尼泊尔语", "尼泊爾語"),
    "nl": ("Dutch", "荷兰语", "荷蘭語"),
    "no": ("Norwegian", "挪威语", "挪威語"),
    "pl": ("Polish", "波兰语", "波蘭語"),
    "pt": ("Portuguese", "葡萄牙语", "葡萄牙語"),
    "ro": ("Romanian", "罗马尼亚语", "羅馬尼亞語"),
    "ru": ("Russian", "俄语", "俄語"),
    "sv": ("Swedish", "瑞典语", "瑞典語"),
    "sw": ("Swahili", "斯瓦希里语", "史瓦希里語"),
    "th": ("Thai", "泰语", "泰語"),
    "tl": ("Tagalog", "他加禄语", "他加祿語"),
    "tr": ("Turkish", "土耳其语", "土耳其語"),
    "uk": ("Ukrainian", "乌克兰语", "烏克蘭語"),
    "ur": ("Urdu", "乌尔都语", "烏爾都語"),
    "uz": ("Uzbek", "乌兹别克语", "烏茲別克語"),
    "vi": ("Vietnamese", "越南语", "越南語"),
    "zh": ("Chinese", "中文", "中文"),
}
"""English, Simplified and Traditional Chinese names of ISO 639-1 codes (others are shown as the code)."""

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Volunteer roster",
        "liaisons_title": "Delegation liaisons",
        "date": "Date",
        "place": "Place",
        "place_name": "Place name",
        "shift": "Shift",
        "function": "Function",
        "start": "Start",
        "end": "End",
        "volunteer": "Volunteer",
        "name": "Name",
        "languages": "Languages",
        "skills": "Skills",
        "delegation": "Delegation",
        "delegation_name": "Delegation name",
        "arrival": "Arrival",
        "departure": "Departure",
        "needed": "Needed",
        "filled": "Filled",
        "venue": "Venue",
        "hotel": "Hotel",
        "liaison_of": "Liaison of",
        "shift_at": "Shift",
        "none": "Nobody rostered.",
        "roster_sheet": "roster",
        "liaisons_sheet": "liaisons",
        "or": "or",
    },
    "zh-Hans": {
        "title": "志愿者排班表",
        "liaisons_title": "代表团联络员",
        "date": "日期",
        "place": "地点编号",
        "place_name": "地点",
        "shift": "班次",
        "function": "岗位",
        "start": "开始",
        "end": "结束",
        "volunteer": "志愿者编号",
        "name": "姓名",
        "languages": "语言",
        "skills": "技能",
        "delegation": "代表团编号",
        "delegation_name": "代表团",
        "arrival": "抵达",
        "departure": "离开",
        "needed": "需要人数",
        "filled": "已排人数",
        "venue": "场馆",
        "hotel": "酒店",
        "liaison_of": "联络员：",
        "shift_at": "班次",
        "none": "无人排班。",
        "roster_sheet": "排班表",
        "liaisons_sheet": "联络员",
        "or": "或",
    },
    "zh-Hant": {
        "title": "志願者排班表",
        "liaisons_title": "代表團聯絡員",
        "date": "日期",
        "place": "地點編號",
        "place_name": "地點",
        "shift": "班次",
        "function": "崗位",
        "start": "開始",
        "end": "結束",
        "volunteer": "志願者編號",
        "name": "姓名",
        "languages": "語言",
        "skills": "技能",
        "delegation": "代表團編號",
        "delegation_name": "代表團",
        "arrival": "抵達",
        "departure": "離開",
        "needed": "需要人數",
        "filled": "已排人數",
        "venue": "場館",
        "hotel": "酒店",
        "liaison_of": "聯絡員：",
        "shift_at": "班次",
        "none": "無人排班。",
        "roster_sheet": "排班表",
        "liaisons_sheet": "聯絡員",
        "or": "或",
    },
}


def _labels(lang: str) -> dict[str, str]:
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    return LABELS[lang]


# ----------------------------------------------------------------- words
def hhmm(minute_of_day: int) -> str:
    """``07:00`` from 420."""
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


def language_name(code: str, lang: str = "en") -> str:
    """A language's name: ``fr`` -> ``French`` (``法语`` in zh-Hans, ``法語`` in zh-Hant); unknown codes as given."""
    names = LANGUAGE_NAMES.get(code.lower())
    if names is None:
        return code
    return names[2] if lang == "zh-Hant" else names[1] if lang == "zh-Hans" else names[0]


def language_list(codes: Iterable[str], joiner: str = "or", lang: str = "en") -> str:
    """``French or Spanish``; ``French, Spanish or English``; ``法语或西班牙语``; ``法語或西班牙語``."""
    names = [language_name(c, lang) for c in codes]
    if chinese(lang):
        word = {"or": "或", "and": "和"}.get(joiner, joiner)
        return "、".join(names[:-1]) + word + names[-1] if len(names) > 1 else "".join(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {joiner} " + names[-1]


_CODE_OF_NAME = {names[0]: code for code, names in LANGUAGE_NAMES.items()}


@dataclass(frozen=True)
class LanguageList:
    """Languages joined by ``or`` (or ``and``), written in the reader's language (a part of a message).

    ``str()`` is the English (``French or Spanish``); :meth:`localise` writes it in
    ``zh-Hans`` or ``zh-Hant`` (the translation function is not needed: the names are here).
    """

    codes: tuple[str, ...]
    joiner: str = "or"

    def localise(self, translate: Any = None, lang: str = "en") -> str:
        return language_list(self.codes, self.joiner, lang)

    def __str__(self) -> str:
        return self.localise()

    @classmethod
    def parse(cls, text: str, joiner: str = "or") -> LanguageList:
        """The list an English text such as ``French, Spanish or English`` names (unknown names kept as codes)."""
        head, sep, last = text.rpartition(f" {joiner} ")
        names = [*head.split(", "), last] if sep else [text]
        return cls(tuple(_CODE_OF_NAME.get(n, n) for n in names), joiner)


def place_name(data: Dataset, place: str, lang: str = "en") -> str:
    """A venue's or hotel's name (its Chinese name in zh-Hans and zh-Hant when known)."""
    thing = data.venues.get(place) or data.hotels.get(place)
    if thing is None:
        return place
    if chinese(lang) and thing.name_zh:
        return thing.name_zh
    return thing.name


def place_label(data: Dataset, place: str, lang: str = "en") -> str:
    """``Venue V03`` / ``Hotel H12`` (``场馆 V03`` in zh-Hans, ``場館 V03`` in zh-Hant)."""
    labels = _labels(lang)
    if place in data.venues:
        return f"{labels['venue']} {place}"
    if place in data.hotels:
        return f"{labels['hotel']} {place}"
    return place


def person_name(v: Volunteer) -> str:
    """Family name first; no space between Chinese names (王芳), a space between Latin ones."""
    if is_cjk(v.family_name) and is_cjk(v.given_name):
        return f"{v.family_name}{v.given_name}"
    return f"{v.family_name} {v.given_name}"


# ------------------------------------------------------------------ lists
@dataclass(frozen=True)
class RosterLine:
    """One volunteer on one shift, with everything a printed roster shows."""

    date: date
    place: str
    place_name: str
    shift: str
    function: str
    start: str
    end: str
    volunteer: str
    name: str
    languages: str
    skills: str

    def cells(self) -> list[str]:
        return [
            self.date.isoformat(),
            self.place,
            self.place_name,
            self.shift,
            self.function,
            self.start,
            self.end,
            self.volunteer,
            self.name,
            self.languages,
            self.skills,
        ]


ROSTER_COLUMNS = (
    "date",
    "place",
    "place_name",
    "shift",
    "function",
    "start",
    "end",
    "volunteer",
    "name",
    "languages",
    "skills",
)


def roster_lines(
    data: Dataset, plan: Any, lang: str = "en", place: str | None = None, day: date | None = None
) -> list[RosterLine]:
    """The roster as printable lines, by date, place, start time, shift and volunteer.

    ``place`` and ``day`` filter. Rows naming unknown volunteers or shifts are skipped.
    """
    _labels(lang)
    lines = []
    for row in plan.roster:
        shift = data.shifts.get(str(row["shift"]))
        vol = data.volunteers.get(str(row["volunteer"]))
        if shift is None or vol is None:
            continue
        if (place is not None and shift.place != place) or (day is not None and shift.date != day):
            continue
        lines.append(
            RosterLine(
                date=shift.date,
                place=shift.place,
                place_name=place_name(data, shift.place, lang),
                shift=shift.id,
                function=shift.function,
                start=hhmm(shift.start_min),
                end=hhmm(shift.end_min),
                volunteer=vol.id,
                name=person_name(vol),
                languages=language_list(vol.languages, "and", lang),
                skills=", ".join(sorted(vol.skills)),
            )
        )
    lines.sort(key=lambda r: (r.date, r.place, r.start, r.end, r.shift, r.volunteer))
    return lines


def roster_by_place_day(data: Dataset, plan: Any, lang: str = "en") -> dict[tuple[str, date], list[RosterLine]]:
    """Roster lines grouped per (place, date), in place then date order."""
    out: dict[tuple[str, date], list[RosterLine]] = {}
    for line in sorted(roster_lines(data, plan, lang), key=lambda r: (r.place, r.date, r.start, r.shift, r.volunteer)):
        out.setdefault((line.place, line.date), []).append(line)
    return out


@dataclass(frozen=True)
class StaffingLine:
    """Places needed and filled at one place on one day."""

    place: str
    date: date
    shifts: int
    needed: int
    filled: int

    @property
    def short(self) -> int:
        return max(0, self.needed - self.filled)


def staffing_by_place_day(data: Dataset, plan: Any) -> list[StaffingLine]:
    """Per place and day: shifts, places needed, places filled (over-filled rows are not capped)."""
    filled: dict[str, int] = defaultdict(int)
    for row in plan.roster:
        filled[str(row["shift"])] += 1
    acc: dict[tuple[str, date], list[int]] = defaultdict(lambda: [0, 0, 0])
    for s in data.shifts.values():
        a = acc[(s.place, s.date)]
        a[0] += 1
        a[1] += s.needed
        a[2] += filled.get(s.id, 0)
    return [StaffingLine(p, d, *acc[(p, d)]) for p, d in sorted(acc)]


@dataclass(frozen=True)
class LiaisonLine:
    """A delegation and its liaison."""

    delegation: str
    delegation_name: str
    arrival: date
    departure: date
    volunteer: str
    name: str
    languages: str


def liaison_lines(data: Dataset, plan: Any, lang: str = "en") -> list[LiaisonLine]:
    """Liaisons by delegation."""
    _labels(lang)
    out = []
    for row in plan.liaisons:
        d = data.delegations.get(str(row["delegation"]))
        v = data.volunteers.get(str(row["volunteer"]))
        if d is None or v is None:
            continue
        name = d.name_zh if chinese(lang) and d.name_zh else d.name
        out.append(
            LiaisonLine(
                d.id,
                name,
                d.arrival_date,
                d.departure_date,
                v.id,
                person_name(v),
                language_list(v.languages, "and", lang),
            )
        )
    out.sort(key=lambda r: r.delegation)
    return out


def liaison_duty_days(data: Dataset, plan: Any | None) -> dict[str, set[date]]:
    """Days each volunteer is on liaison duty in ``plan``."""
    out: dict[str, set[date]] = defaultdict(set)
    if plan is None:
        return out
    for row in plan.liaisons:
        d = data.delegations.get(str(row["delegation"]))
        if d is None:
            continue
        day = d.arrival_date
        while day <= d.departure_date:
            out[str(row["volunteer"])].add(day)
            day += timedelta(days=1)
    return out


def _could_work(v: Volunteer, s: Shift) -> bool:
    return (
        v.available(s.date)
        and s.skills <= v.skills
        and (not s.languages or bool(s.languages & set(v.languages)))
        and s.end_min - s.start_min <= v.max_hours_per_day * 60 + 1e-9
    )


def eligible_shifts(data: Dataset, volunteer_id: str, plan: Any | None = None) -> list[Shift]:
    """Shifts ``volunteer_id`` could work under hard rule 10 taken alone.

    Available that day, every required skill, one of the languages (if any),
    not longer than their hours a day; with ``plan``, not on a day of their
    liaison duty. Other shifts they already work are not considered.
    """
    v = data.volunteers[volunteer_id]
    duty = liaison_duty_days(data, plan).get(volunteer_id, set())
    out = [s for s in data.shifts.values() if _could_work(v, s) and s.date not in duty]
    out.sort(key=lambda s: (s.date, s.start_min, s.place, s.id))
    return out


def eligible_shifts_by_volunteer(data: Dataset, plan: Any | None = None) -> dict[str, list[str]]:
    """Every volunteer's eligible shift ids (see :func:`eligible_shifts`).

    Shifts are grouped by what decides eligibility (date, skills, languages,
    length) and volunteers by what they offer (languages, skills, dates,
    hours, liaison duty), so each kind of volunteer is compared with each
    kind of shift once.
    """
    groups: dict[tuple[date, frozenset[str], frozenset[str], int], list[Shift]] = defaultdict(list)
    for s in data.shifts.values():
        groups[(s.date, s.skills, s.languages, s.end_min - s.start_min)].append(s)
    for members in groups.values():
        members.sort(key=lambda s: (s.date, s.start_min, s.place, s.id))
    keys = sorted(groups, key=lambda k: (k[0], sorted(k[1]), sorted(k[2]), k[3]))
    duty = liaison_duty_days(data, plan)
    done: dict[tuple[Any, ...], list[str]] = {}
    out: dict[str, list[str]] = {}
    for v in sorted(data.volunteers.values(), key=lambda v: v.id):
        busy = frozenset(duty.get(v.id, ()))
        offer = (frozenset(v.languages), v.skills, v.available_from, v.available_to, v.max_hours_per_day, busy)
        if offer not in done:
            mine: list[Shift] = []
            for day, skills, languages, minutes in keys:
                if (
                    v.available(day)
                    and day not in busy
                    and skills <= v.skills
                    and (not languages or bool(languages & offer[0]))
                    and minutes <= v.max_hours_per_day * 60 + 1e-9
                ):
                    mine.extend(groups[(day, skills, languages, minutes)])
            mine.sort(key=lambda s: (s.date, s.start_min, s.place, s.id))
            done[offer] = [s.id for s in mine]
        out[v.id] = list(done[offer])
    return out


# ---------------------------------------------------------------- exports
def _header(lang: str, columns: Sequence[str]) -> list[str]:
    labels = _labels(lang)
    return [labels[c] for c in columns]


def write_roster_csv(data: Dataset, plan: Any, path: Path | str, lang: str = "en") -> Path:
    """The roster as a CSV file (UTF-8 with BOM, so spreadsheet programs show Chinese correctly)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(_header(lang, ROSTER_COLUMNS))
        for line in roster_lines(data, plan, lang):
            w.writerow([escape_formula(c) for c in line.cells()])
    return path


LIAISON_COLUMNS = ("delegation", "delegation_name", "arrival", "departure", "volunteer", "name", "languages")


def write_roster_xlsx(data: Dataset, plan: Any, path: Path | str, lang: str = "en") -> Path:
    """The roster and the liaisons as an .xlsx workbook (two sheets); text never becomes a formula."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    labels = _labels(lang)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook(write_only=True)

    def text(ws: Any, value: str) -> Any:
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell

    ws = book.create_sheet(labels["roster_sheet"])
    ws.append(_header(lang, ROSTER_COLUMNS))
    for line in roster_lines(data, plan, lang):
        ws.append([text(ws, c) for c in line.cells()])
    ws2 = book.create_sheet(labels["liaisons_sheet"])
    ws2.append(_header(lang, LIAISON_COLUMNS))
    for li in liaison_lines(data, plan, lang):
        cells = [li.delegation, li.delegation_name, li.arrival.isoformat(), li.departure.isoformat(), li.volunteer]
        ws2.append([text(ws2, c) for c in [*cells, li.name, li.languages]])
    book.save(path)
    return path


def roster_html(data: Dataset, plan: Any, lang: str = "en", place: str | None = None, day: date | None = None) -> str:
    """A printable HTML page: one table per place and day, then the liaisons (unless filtered)."""
    labels = _labels(lang)
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}">',
        '<head><meta charset="utf-8">',
        f"<title>{e(labels['title'])} - {e(data.event.name)}</title>",
        "<style>body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:1.5em}"
        "th,td{border:1px solid #999;padding:2px 6px;text-align:left}"
        "@media print{section{page-break-inside:avoid}}</style>",
        "</head><body>",
        f"<h1>{e(labels['title'])} - {e(data.event.name_zh if chinese(lang) and data.event.name_zh else data.event.name)}</h1>",
    ]
    columns = ("shift", "function", "start", "end", "volunteer", "name", "languages")
    groups: dict[tuple[str, date], list[RosterLine]] = {}
    for line in sorted(
        roster_lines(data, plan, lang, place, day), key=lambda r: (r.place, r.date, r.start, r.shift, r.volunteer)
    ):
        groups.setdefault((line.place, line.date), []).append(line)
    if not groups:
        parts.append(f"<p>{e(labels['none'])}</p>")
    for (p, d), lines in groups.items():
        parts.append("<section>")
        parts.append(f"<h2>{e(place_label(data, p, lang))} {e(place_name(data, p, lang))} - {d.isoformat()}</h2>")
        parts.append("<table>")
        parts.append(
            f"<caption>{e(place_name(data, p, lang))}, {d.isoformat()}</caption><thead><tr>"
            + "".join(f'<th scope="col">{e(labels[c])}</th>' for c in columns)
            + "</tr></thead><tbody>"
        )
        for line in lines:
            values = [line.shift, line.function, line.start, line.end, line.volunteer, line.name, line.languages]
            parts.append("<tr>" + "".join(f"<td>{e(v)}</td>" for v in values) + "</tr>")
        parts.append("</tbody></table></section>")
    if place is None and day is None:
        liaisons = liaison_lines(data, plan, lang)
        if liaisons:
            parts.append(f"<h2>{e(labels['liaisons_title'])}</h2><table><thead><tr>")
            parts.append(
                "".join(f'<th scope="col">{e(labels[c])}</th>' for c in LIAISON_COLUMNS) + "</tr></thead><tbody>"
            )
            for li in liaisons:
                values = [
                    li.delegation,
                    li.delegation_name,
                    li.arrival.isoformat(),
                    li.departure.isoformat(),
                    li.volunteer,
                    li.name,
                    li.languages,
                ]
                parts.append("<tr>" + "".join(f"<td>{e(v)}</td>" for v in values) + "</tr>")
            parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_roster_html(data: Dataset, plan: Any, path: Path | str, lang: str = "en") -> Path:
    """:func:`roster_html` written to a file (UTF-8)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(roster_html(data, plan, lang), encoding="utf-8")
    return path


# ------------------------------------------------------------- iCalendar
ICS_PRODID = "-//SOHD Planner//Volunteer roster//EN"


def ics_escape(text: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma, newline."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def ics_fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _shift_times(data: Dataset, s: Shift) -> tuple[str, str]:
    """DTSTART/DTEND values: UTC when the event's time zone is known, else floating local time."""
    start = datetime.combine(s.date, datetime.min.time()) + timedelta(minutes=s.start_min)
    end = datetime.combine(s.date, datetime.min.time()) + timedelta(minutes=s.end_min)
    try:
        zone = ZoneInfo(data.event.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return start.strftime("%Y%m%dT%H%M%S"), end.strftime("%Y%m%dT%H%M%S")
    return _utc_stamp(start.replace(tzinfo=zone)), _utc_stamp(end.replace(tzinfo=zone))


def _uid_part(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in text)


def volunteer_calendar(
    data: Dataset, plan: Any, volunteer_id: str, lang: str = "en", stamp: datetime | None = None
) -> str:
    """One volunteer's shifts and liaison duty as an iCalendar (RFC 5545) text, CRLF line ends.

    ``stamp`` is the DTSTAMP (default: now, UTC); pass it for reproducible files.
    """
    if volunteer_id not in data.volunteers:
        raise KeyError(f"unknown volunteer {volunteer_id!r}")
    shifts, duties = _duties(data, plan)
    return _calendar_text(
        data, volunteer_id, shifts.get(volunteer_id, []), duties.get(volunteer_id, []), lang, stamp or datetime.now(UTC)
    )


def _duties(data: Dataset, plan: Any) -> tuple[dict[str, list[Shift]], dict[str, list[Any]]]:
    shifts: dict[str, list[Shift]] = defaultdict(list)
    for r in plan.roster:
        s = data.shifts.get(str(r["shift"]))
        if s is not None:
            shifts[str(r["volunteer"])].append(s)
    duties: dict[str, list[Any]] = defaultdict(list)
    for r in plan.liaisons:
        d = data.delegations.get(str(r["delegation"]))
        if d is not None:
            duties[str(r["volunteer"])].append(d)
    return shifts, duties


def _calendar_text(
    data: Dataset, volunteer_id: str, shifts: list[Shift], delegations: list[Any], lang: str, stamp: datetime
) -> str:
    labels = _labels(lang)
    stamp_text = _utc_stamp(stamp)
    domain = f"{_uid_part(data.event.id)}.planner.invalid"
    who = _uid_part(volunteer_id)
    calendar_name = labels["title"] + " " + volunteer_id
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ICS_PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(calendar_name)}",
    ]
    for s in sorted(shifts, key=lambda s: (s.date, s.start_min, s.id)):
        start, end = _shift_times(data, s)
        where = place_name(data, s.place, lang)
        summary = f"{s.function} - {where}"
        location = f"{where} ({place_label(data, s.place, lang)})"
        description = f"{labels['shift_at']} {s.id}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:shift-{_uid_part(s.id)}-{who}@{domain}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART:{start}",
            f"DTEND:{end}",
            f"SUMMARY:{ics_escape(summary)}",
            f"LOCATION:{ics_escape(location)}",
            f"DESCRIPTION:{ics_escape(description)}",
            "END:VEVENT",
        ]
    for d in sorted(delegations, key=lambda d: (d.arrival_date, d.id)):
        name = d.name_zh if chinese(lang) and d.name_zh else d.name
        summary = f"{labels['liaison_of']} {d.id} {name}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:liaison-{_uid_part(d.id)}-{who}@{domain}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{d.arrival_date.strftime('%Y%m%d')}",
            # DTEND of an all-day event is exclusive: the day after departure
            f"DTEND;VALUE=DATE:{(d.departure_date + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{ics_escape(summary)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


def write_volunteer_calendars(
    data: Dataset,
    plan: Any,
    folder: Path | str,
    volunteers: Iterable[str] | None = None,
    lang: str = "en",
    stamp: datetime | None = None,
) -> list[Path]:
    """One ``<volunteer>.ics`` per volunteer with shifts or liaison duty (or per listed volunteer)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if volunteers is None:
        chosen = sorted({str(r["volunteer"]) for r in plan.roster} | {str(r["volunteer"]) for r in plan.liaisons})
    else:
        chosen = list(volunteers)
    stamp = stamp or datetime.now(UTC)
    shifts, duties = _duties(data, plan)
    written = []
    for v_id in chosen:
        if v_id not in data.volunteers:
            continue
        target = folder / f"{_uid_part(v_id)}.ics"
        text = _calendar_text(data, v_id, shifts.get(v_id, []), duties.get(v_id, []), lang, stamp)
        target.write_bytes(text.encode("utf-8"))
        written.append(target)
    return written
