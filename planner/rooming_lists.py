"""Rooming lists the hotel liaisons and delegation heads print: per hotel and per delegation.

- :func:`rooming_lines`: one line per person with a bed, everything a list shows.
- :func:`rooming_by_hotel` / :func:`rooming_by_delegation`: those lines grouped.
- Exports in English (``en``), Simplified (``zh-Hans``) or Traditional Chinese (``zh-Hant``):
  :func:`write_rooming_csv` (one file per hotel or delegation, UTF-8 with BOM),
  :func:`write_rooming_xlsx` (one sheet per hotel or delegation),
  :func:`rooming_html` (one printable page, a table per hotel or delegation),
  and :func:`write_rooming_lists` for all of them at once.

People without a bed (``unassigned`` rows of kind ``bed``) are listed at the
end of each delegation's list with the reason, so nobody disappears from a
printed list. Needs (wheelchair, accessible room...) are shown only when
``show_needs`` is set, since they are health data. The reasons are the plan's
English words unless ``reasons`` (a function from that text to the list's
language, which the web passes) says otherwise.
"""

from __future__ import annotations

import csv
import html
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from planner.dataset import Dataset, Person
from planner.listing import LANGS, chinese, escape_formula, file_stem, is_cjk, sheet_name
from planner.plan import Plan

#: Writes a plan's reason (English) in the list's language.
Reasons = Callable[[str], str]
BY = ("hotel", "delegation")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title_hotel": "Rooming list",
        "title_delegation": "Delegation rooming list",
        "hotel": "Hotel",
        "hotel_name": "Hotel name",
        "room": "Room",
        "floor": "Floor",
        "beds": "Beds",
        "accessible": "Accessible",
        "delegation": "Delegation",
        "delegation_name": "Delegation name",
        "person": "Person",
        "name": "Name",
        "gender": "Gender",
        "role": "Role",
        "check_in": "Check-in",
        "check_out": "Check-out",
        "nights": "Nights",
        "needs": "Needs",
        "no_bed": "Without a bed",
        "reason": "Reason",
        "people": "people",
        "none": "Nobody is roomed here.",
        "yes": "yes",
        "no": "",
        "F": "F",
        "M": "M",
        "athlete": "athlete",
        "partner": "unified partner",
        "coach": "coach",
        "head": "head of delegation",
        "staff": "staff",
        "wheelchair": "wheelchair",
        "accessible_room": "accessible room",
        "ground_floor": "ground floor",
        "medical": "medical",
    },
    "zh-Hans": {
        "title_hotel": "酒店住宿名单",
        "title_delegation": "代表团住宿名单",
        "hotel": "酒店编号",
        "hotel_name": "酒店",
        "room": "房号",
        "floor": "楼层",
        "beds": "床位",
        "accessible": "无障碍",
        "delegation": "代表团编号",
        "delegation_name": "代表团",
        "person": "人员编号",
        "name": "姓名",
        "gender": "性别",
        "role": "身份",
        "check_in": "入住",
        "check_out": "退房",
        "nights": "晚数",
        "needs": "特殊需要",
        "no_bed": "未安排床位",
        "reason": "原因",
        "people": "人",
        "none": "此处无人入住。",
        "yes": "是",
        "no": "",
        "F": "女",
        "M": "男",
        "athlete": "运动员",
        "partner": "融合伙伴",
        "coach": "教练员",
        "head": "团长",
        "staff": "工作人员",
        "wheelchair": "轮椅",
        "accessible_room": "无障碍房间",
        "ground_floor": "低楼层",
        "medical": "医疗",
    },
    "zh-Hant": {
        "title_hotel": "酒店住宿名單",
        "title_delegation": "代表團住宿名單",
        "hotel": "酒店編號",
        "hotel_name": "酒店",
        "room": "房號",
        "floor": "樓層",
        "beds": "床位",
        "accessible": "無障礙",
        "delegation": "代表團編號",
        "delegation_name": "代表團",
        "person": "人員編號",
        "name": "姓名",
        "gender": "性別",
        "role": "身份",
        "check_in": "入住",
        "check_out": "退房",
        "nights": "晚數",
        "needs": "特殊需要",
        "no_bed": "未安排床位",
        "reason": "原因",
        "people": "人",
        "none": "此處無人入住。",
        "yes": "是",
        "no": "",
        "F": "女",
        "M": "男",
        "athlete": "運動員",
        "partner": "融合夥伴",
        "coach": "教練員",
        "head": "團長",
        "staff": "工作人員",
        "wheelchair": "輪椅",
        "accessible_room": "無障礙房間",
        "ground_floor": "低樓層",
        "medical": "醫療",
    },
}

HOTEL_COLUMNS = (
    "room",
    "floor",
    "beds",
    "accessible",
    "delegation",
    "person",
    "name",
    "gender",
    "role",
    "check_in",
    "check_out",
)
DELEGATION_COLUMNS = (
    "person",
    "name",
    "gender",
    "role",
    "hotel_name",
    "room",
    "floor",
    "check_in",
    "check_out",
    "nights",
)


def labels(lang: str) -> dict[str, str]:
    """The words of one language (``en``, ``zh-Hans`` or ``zh-Hant``)."""
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    return LABELS[lang]


def person_name(p: Person) -> str:
    """Family name first, as on a passport list; Chinese names without a space."""
    if is_cjk(p.family_name) and is_cjk(p.given_name):
        return f"{p.family_name}{p.given_name}"
    return f"{p.family_name.upper()} {p.given_name}"


def _room_sort_key(room: str) -> tuple[object, ...]:
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", room))


@dataclass(frozen=True)
class RoomingLine:
    """One person in one room, with everything a printed rooming list shows."""

    hotel: str
    hotel_name: str
    room: str
    floor: int | None
    beds: int | None
    accessible: bool
    delegation: str
    delegation_name: str
    person: str
    name: str
    gender: str
    role: str
    check_in: date
    check_out: date
    needs: str

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days

    def cell(self, column: str, lang: str) -> str:
        """The text of one column, in the list's language."""
        words = labels(lang)
        value: Any = getattr(self, column)
        if column == "accessible":
            return words["yes"] if value else words["no"]
        if column in ("gender", "role"):
            return words.get(value, value)
        if isinstance(value, date):
            return value.isoformat()
        return "" if value is None else str(value)


def rooming_lines(data: Dataset, plan: Plan, lang: str = "en", show_needs: bool = False) -> list[RoomingLine]:
    """One line per rooming row of the plan, with names in the list's language."""
    words = labels(lang)
    rooms = {(r.hotel, r.room): r for r in data.rooms}
    out = []
    for row in plan.rooming:
        p = data.people.get(str(row["person"]))
        if p is None:
            continue
        hotel = data.hotels.get(str(row["hotel"]))
        room = rooms.get((str(row["hotel"]), str(row["room"])))
        d = data.delegations.get(p.delegation)
        hotel_name = (hotel.name_zh if chinese(lang) and hotel and hotel.name_zh else hotel.name) if hotel else ""
        delegation_name = (d.name_zh if chinese(lang) and d and d.name_zh else d.name) if d else p.delegation
        needs = ", ".join(words.get(n, n) for n in sorted(p.needs)) if show_needs else ""
        out.append(
            RoomingLine(
                hotel=str(row["hotel"]),
                hotel_name=hotel_name,
                room=str(row["room"]),
                floor=room.floor if room else None,
                beds=room.beds if room else None,
                accessible=bool(room and room.accessible),
                delegation=p.delegation,
                delegation_name=delegation_name,
                person=p.id,
                name=person_name(p),
                gender=p.gender,
                role=p.role,
                check_in=_as_date(row["check_in"]),
                check_out=_as_date(row["check_out"]),
                needs=needs,
            )
        )
    return out


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def rooming_by_hotel(
    data: Dataset, plan: Plan, lang: str = "en", show_needs: bool = False
) -> dict[str, list[RoomingLine]]:
    """Lines per hotel id, by floor, room, delegation and name."""
    out: dict[str, list[RoomingLine]] = defaultdict(list)
    for line in rooming_lines(data, plan, lang, show_needs):
        out[line.hotel].append(line)
    for lines in out.values():
        lines.sort(
            key=lambda x: (
                x.floor if x.floor is not None else 0,
                _room_sort_key(x.room),
                x.delegation,
                x.name,
                x.person,
            )
        )
    return dict(sorted(out.items()))


def rooming_by_delegation(
    data: Dataset, plan: Plan, lang: str = "en", show_needs: bool = False
) -> dict[str, list[RoomingLine]]:
    """Lines per delegation id, by hotel, room and name."""
    out: dict[str, list[RoomingLine]] = defaultdict(list)
    for line in rooming_lines(data, plan, lang, show_needs):
        out[line.delegation].append(line)
    for lines in out.values():
        lines.sort(
            key=lambda x: (x.hotel, x.floor if x.floor is not None else 0, _room_sort_key(x.room), x.name, x.person)
        )
    return dict(sorted(out.items()))


def unhoused_by_delegation(
    data: Dataset, plan: Plan, reasons: Reasons | None = None
) -> dict[str, list[tuple[Person, str]]]:
    """People of each delegation without a bed, with the plan's reason (written by ``reasons`` when given)."""
    out: dict[str, list[tuple[Person, str]]] = defaultdict(list)
    for row in plan.unassigned:
        if row.get("kind") == "bed" and str(row.get("id")) in data.people:
            p = data.people[str(row["id"])]
            reason = str(row.get("reason") or "")
            out[p.delegation].append((p, reasons(reason) if reasons is not None and reason else reason))
    return {d: sorted(v, key=lambda t: t[0].id) for d, v in sorted(out.items())}


# ---------------------------------------------------------------- exports


def _columns(by: str, show_needs: bool) -> tuple[str, ...]:
    if by not in BY:
        raise ValueError(f"rooming lists are by {' or '.join(BY)}, not {by!r}")
    columns = HOTEL_COLUMNS if by == "hotel" else DELEGATION_COLUMNS
    return (*columns, "needs") if show_needs else columns


def _unhoused_cells(columns: tuple[str, ...], words: dict[str, str], p: Person, reason: str) -> list[str]:
    """A delegation list's row for someone without a bed: their columns, "Without a bed" as the hotel, the reason last."""
    known = {
        "person": p.id,
        "name": person_name(p),
        "gender": words.get(p.gender, p.gender),
        "role": words.get(p.role, p.role),
        "hotel_name": words["no_bed"],
    }
    return [known.get(c, "") for c in columns] + [reason]


def _groups(data: Dataset, plan: Plan, by: str, lang: str, show_needs: bool) -> dict[str, list[RoomingLine]]:
    groups = (
        rooming_by_hotel(data, plan, lang, show_needs)
        if by == "hotel"
        else rooming_by_delegation(data, plan, lang, show_needs)
    )
    if by == "delegation":
        for d in unhoused_by_delegation(data, plan):
            groups.setdefault(d, [])
        groups = dict(sorted(groups.items()))
    return groups


def _title(data: Dataset, by: str, key: str, lang: str) -> str:
    words = labels(lang)
    if by == "hotel":
        h = data.hotels.get(key)
        name = (h.name_zh if chinese(lang) and h.name_zh else h.name) if h else key
    else:
        d = data.delegations.get(key)
        name = (d.name_zh if chinese(lang) and d.name_zh else d.name) if d else key
    return f"{words['title_' + by]}: {name} ({key})"


def write_rooming_csv(
    data: Dataset,
    plan: Plan,
    folder: Path | str,
    by: str = "hotel",
    lang: str = "en",
    show_needs: bool = False,
    reasons: Reasons | None = None,
) -> list[Path]:
    """One CSV per hotel (or delegation): ``rooming_<by>_<id>_<lang>.csv``, UTF-8 with BOM."""
    columns = _columns(by, show_needs)
    words = labels(lang)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    unhoused = unhoused_by_delegation(data, plan, reasons) if by == "delegation" else {}
    for key, lines in _groups(data, plan, by, lang, show_needs).items():
        path = folder / f"rooming_{by}_{file_stem(key)}_{lang}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            missing = unhoused.get(key, ())
            pad = [""] if missing else []  # a last column, "Reason", for those without a bed
            w.writerow([words[c] for c in columns] + ([words["reason"]] if missing else []))
            for line in lines:
                w.writerow([escape_formula(line.cell(c, lang)) for c in columns] + pad)
            for p, reason in missing:
                w.writerow([escape_formula(x) for x in _unhoused_cells(columns, words, p, reason)])
        paths.append(path)
    return paths


def write_rooming_xlsx(
    data: Dataset,
    plan: Plan,
    path: Path | str,
    by: str = "hotel",
    lang: str = "en",
    show_needs: bool = False,
    reasons: Reasons | None = None,
) -> Path:
    """One workbook, a sheet per hotel (or delegation) headed by its title; text never becomes a formula."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    columns = _columns(by, show_needs)
    words = labels(lang)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook(write_only=True)
    used: set[str] = set()
    unhoused = unhoused_by_delegation(data, plan, reasons) if by == "delegation" else {}

    def text(ws: Any, value: str) -> Any:
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell

    groups = _groups(data, plan, by, lang, show_needs)
    if not groups:
        book.create_sheet("-").append([words["none"]])
    for key, lines in groups.items():
        ws = book.create_sheet(sheet_name(key, used))
        ws.append([text(ws, _title(data, by, key, lang))])
        missing = unhoused.get(key, ())
        ws.append([text(ws, words[c]) for c in columns] + ([text(ws, words["reason"])] if missing else []))
        for line in lines:
            ws.append(
                [
                    line.floor
                    if c == "floor" and line.floor is not None
                    else line.beds
                    if c == "beds" and line.beds is not None
                    else line.nights
                    if c == "nights"
                    else text(ws, line.cell(c, lang))
                    for c in columns
                ]
            )
        for p, reason in missing:
            ws.append([text(ws, x) if x else None for x in _unhoused_cells(columns, words, p, reason)])
    book.save(path)
    return path


def rooming_html(
    data: Dataset,
    plan: Plan,
    by: str = "hotel",
    lang: str = "en",
    show_needs: bool = False,
    only: str | None = None,
    reasons: Reasons | None = None,
) -> str:
    """A printable page: a table per hotel (or delegation), each on its own printed page."""
    columns = _columns(by, show_needs)
    words = labels(lang)
    e = html.escape
    event = data.event.name_zh if chinese(lang) and data.event.name_zh else data.event.name
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}">',
        '<head><meta charset="utf-8">',
        f"<title>{e(words['title_' + by])} - {e(event)}</title>",
        "<style>body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:1.5em}"
        "th,td{border:1px solid #999;padding:2px 6px;text-align:left}"
        "section{page-break-after:always}section:last-child{page-break-after:auto}</style>",
        "</head><body>",
        f"<h1>{e(words['title_' + by])} - {e(event)}</h1>",
    ]
    unhoused = unhoused_by_delegation(data, plan, reasons) if by == "delegation" else {}
    groups = _groups(data, plan, by, lang, show_needs)
    if only is not None:
        groups = {k: v for k, v in groups.items() if k == only}
    if not groups:
        parts.append(f"<p>{e(words['none'])}</p>")
    for key, lines in groups.items():
        title = _title(data, by, key, lang)
        parts.append(f"<section><h2>{e(title)}</h2><p>{len(lines)} {e(words['people'])}</p>")
        parts.append(f"<table><caption>{e(title)}</caption><thead><tr>")
        parts.append("".join(f'<th scope="col">{e(words[c])}</th>' for c in columns) + "</tr></thead><tbody>")
        for line in lines:
            parts.append("<tr>" + "".join(f"<td>{e(line.cell(c, lang))}</td>" for c in columns) + "</tr>")
        parts.append("</tbody></table>")
        missing = unhoused.get(key, ())
        if missing:
            parts.append(f"<h3>{e(words['no_bed'])}</h3><table><thead><tr>")
            heads = ("person", "name", "gender", "role", "reason")
            parts.append("".join(f'<th scope="col">{e(words[c])}</th>' for c in heads) + "</tr></thead><tbody>")
            for p, reason in missing:
                cells = (p.id, person_name(p), words.get(p.gender, p.gender), words.get(p.role, p.role), reason)
                parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
            parts.append("</tbody></table>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_rooming_lists(
    data: Dataset,
    plan: Plan,
    folder: Path | str,
    by: Iterable[str] = BY,
    formats: Sequence[str] = ("csv", "xlsx", "html"),
    langs: Iterable[str] = LANGS,
    show_needs: bool = False,
    reasons: Callable[[str, str], str] | None = None,
) -> list[Path]:
    """Every rooming list in every asked format and language; returns the files written.

    ``reasons(text, lang)``, when given, writes a plan's reason in the list's language.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    unknown = set(formats) - {"csv", "xlsx", "html"}
    if unknown:
        raise ValueError(f"unknown format(s) {', '.join(sorted(unknown))}; choose csv, xlsx or html")
    paths: list[Path] = []
    for kind in by:
        for lang in langs:
            words = _reasons_in(reasons, lang)
            if "csv" in formats:
                paths += write_rooming_csv(data, plan, folder / "csv", kind, lang, show_needs, words)
            if "xlsx" in formats:
                target = folder / f"rooming_{kind}_{lang}.xlsx"
                paths.append(write_rooming_xlsx(data, plan, target, kind, lang, show_needs, words))
            if "html" in formats:
                target = folder / f"rooming_{kind}_{lang}.html"
                target.write_text(rooming_html(data, plan, kind, lang, show_needs, reasons=words), encoding="utf-8")
                paths.append(target)
    return paths


def _reasons_in(reasons: Callable[[str, str], str] | None, lang: str) -> Reasons | None:
    if reasons is None:
        return None
    return lambda text: reasons(text, lang)
