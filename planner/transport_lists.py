"""Transport lists as dispatchers, drivers and delegation heads read them.

Four lists, each made of tables (one table per vehicle and day, per trip,
per delegation, or per day):

- ``timetable``: per vehicle and day, every stop in order: trip, place,
  arrival, departure, session served, how many board and alight, how many
  are on board when it leaves.
- ``manifest``: per trip, every passenger: delegation, role, where and when
  they board and alight, and whether they ride in a seat or a wheelchair
  place (the driver needs to know; no other need is shown).
- ``itinerary``: per delegation, each ride of its members: day, session,
  direction, pick-up place and time, arrival place and time, vehicle and
  trip, how many ride; then members without a ride and why.
- ``overview``: per day, each hour: vehicles on the road, trips starting,
  passengers boarding.

Exports in English (``en``), Simplified (``zh-Hans``) or Traditional Chinese
(``zh-Hant``, labels written out by hand): :func:`write_transport_csv` (a
file per table, UTF-8 with BOM), :func:`write_transport_xlsx` (a sheet per
table), :func:`transport_html` (one printable page, a section per table) and
:func:`write_transport_lists` for all of them. Text cells never become
spreadsheet formulas. Chinese lists show the Chinese names of hotels, venues,
delegations and the event where the data have them. Why someone has no ride
is the plan's English unless ``reasons`` (a function from that text to the
list's language, which the web passes) says otherwise.
"""

from __future__ import annotations

import csv
import html
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planner.dataset import Dataset, Person
from planner.listing import LANGS, chinese, escape_formula, file_stem, is_cjk, sheet_name
from planner.plan import Plan, Row

#: Writes a plan's no-ride reason (English) in the list's language.
Reasons = Callable[[str], str]
KINDS = ("timetable", "manifest", "itinerary", "overview")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title_timetable": "Vehicle timetable",
        "title_manifest": "Trip manifest",
        "title_itinerary": "Delegation transport itinerary",
        "title_overview": "Vehicles on the road by hour",
        "vehicle": "Vehicle",
        "kind": "Type",
        "seats": "Seats",
        "wheelchair_places": "Wheelchair places",
        "day": "Date",
        "trip": "Trip",
        "seq": "Stop",
        "place": "Place",
        "place_name": "Place name",
        "arrive": "Arrive",
        "depart": "Depart",
        "session": "Session",
        "venue": "Venue",
        "boarding": "Board",
        "alighting": "Alight",
        "on_board": "On board",
        "person": "Person",
        "name": "Name",
        "delegation": "Delegation",
        "role": "Role",
        "board_at": "Board at",
        "board_time": "Board time",
        "alight_at": "Alight at",
        "alight_time": "Alight time",
        "riding_in": "Rides in",
        "direction": "Direction",
        "from": "From",
        "to": "To",
        "people": "People",
        "hour": "Hour",
        "vehicles_running": "Vehicles on the road",
        "trips_starting": "Trips starting",
        "passengers_boarding": "Passengers boarding",
        "no_ride": "Without a ride",
        "reason": "Reason",
        "there": "to the session",
        "back": "back",
        "seat": "seat",
        "wheelchair_place": "wheelchair place",
        "depot": "depot",
        "none": "No transport is planned.",
        "athlete": "athlete",
        "partner": "unified partner",
        "coach": "coach",
        "head": "head of delegation",
        "staff": "staff",
        "bus": "bus",
        "minibus": "minibus",
        "accessible_van": "accessible van",
        "car": "car",
    },
    "zh-Hans": {
        "title_timetable": "车辆时刻表",
        "title_manifest": "车次乘客名单",
        "title_itinerary": "代表团交通行程",
        "title_overview": "每小时在途车辆",
        "vehicle": "车辆",
        "kind": "车型",
        "seats": "座位",
        "wheelchair_places": "轮椅位",
        "day": "日期",
        "trip": "车次",
        "seq": "站序",
        "place": "地点编号",
        "place_name": "地点",
        "arrive": "到达",
        "depart": "出发",
        "session": "场次",
        "venue": "场馆",
        "boarding": "上车",
        "alighting": "下车",
        "on_board": "车上人数",
        "person": "编号",
        "name": "姓名",
        "delegation": "代表团",
        "role": "身份",
        "board_at": "上车地点",
        "board_time": "上车时间",
        "alight_at": "下车地点",
        "alight_time": "下车时间",
        "riding_in": "乘坐",
        "direction": "方向",
        "from": "出发地",
        "to": "目的地",
        "people": "人数",
        "hour": "时段",
        "vehicles_running": "在途车辆",
        "trips_starting": "发车车次",
        "passengers_boarding": "上车人数",
        "no_ride": "未安排乘车",
        "reason": "原因",
        "there": "前往场次",
        "back": "返回",
        "seat": "座位",
        "wheelchair_place": "轮椅位",
        "depot": "车场",
        "none": "未安排交通。",
        "athlete": "运动员",
        "partner": "融合伙伴",
        "coach": "教练",
        "head": "团长",
        "staff": "工作人员",
        "bus": "大客车",
        "minibus": "中巴",
        "accessible_van": "无障碍车",
        "car": "轿车",
    },
    "zh-Hant": {
        "title_timetable": "車輛時刻表",
        "title_manifest": "車次乘客名單",
        "title_itinerary": "代表團交通行程",
        "title_overview": "每小時在途車輛",
        "vehicle": "車輛",
        "kind": "車型",
        "seats": "座位",
        "wheelchair_places": "輪椅位",
        "day": "日期",
        "trip": "車次",
        "seq": "站序",
        "place": "地點編號",
        "place_name": "地點",
        "arrive": "到達",
        "depart": "出發",
        "session": "場次",
        "venue": "場館",
        "boarding": "上車",
        "alighting": "下車",
        "on_board": "車上人數",
        "person": "編號",
        "name": "姓名",
        "delegation": "代表團",
        "role": "身份",
        "board_at": "上車地點",
        "board_time": "上車時間",
        "alight_at": "下車地點",
        "alight_time": "下車時間",
        "riding_in": "乘坐",
        "direction": "方向",
        "from": "出發地",
        "to": "目的地",
        "people": "人數",
        "hour": "時段",
        "vehicles_running": "在途車輛",
        "trips_starting": "發車車次",
        "passengers_boarding": "上車人數",
        "no_ride": "未安排乘車",
        "reason": "原因",
        "there": "前往場次",
        "back": "返回",
        "seat": "座位",
        "wheelchair_place": "輪椅位",
        "depot": "車場",
        "none": "未安排交通。",
        "athlete": "運動員",
        "partner": "融合夥伴",
        "coach": "教練",
        "head": "團長",
        "staff": "工作人員",
        "bus": "大客車",
        "minibus": "中巴",
        "accessible_van": "無障礙車",
        "car": "轎車",
    },
}

TIMETABLE_COLUMNS = (
    "trip",
    "seq",
    "place",
    "place_name",
    "arrive",
    "depart",
    "session",
    "boarding",
    "alighting",
    "on_board",
)
MANIFEST_COLUMNS = (
    "person",
    "name",
    "delegation",
    "role",
    "riding_in",
    "board_at",
    "board_time",
    "alight_at",
    "alight_time",
)
ITINERARY_COLUMNS = ("day", "session", "direction", "from", "depart", "to", "arrive", "vehicle", "trip", "people")
OVERVIEW_COLUMNS = ("hour", "vehicles_running", "trips_starting", "passengers_boarding")
NO_RIDE_COLUMNS = ("person", "name", "role", "reason")


def labels(lang: str) -> dict[str, str]:
    """The words of one language (``en``, ``zh-Hans`` or ``zh-Hant``)."""
    if lang not in LABELS:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGS)}")
    return LABELS[lang]


@dataclass
class Table:
    """One printed table: a title, column keys (see :data:`LABELS`) and rows of cells."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    note_columns: tuple[str, ...] = ()  # a second, smaller table (people without a ride)
    notes: list[tuple[Any, ...]] = field(default_factory=list)


# ---------------------------------------------------------------- helpers


def person_name(p: Person) -> str:
    """Family name first, as on a passport list; Chinese names without a space."""
    if is_cjk(p.family_name) and is_cjk(p.given_name):
        return f"{p.family_name}{p.given_name}"
    return f"{p.family_name.upper()} {p.given_name}"


def place_name(data: Dataset, place: str, lang: str) -> str:
    """A hotel's or venue's name in the language, or "depot" for a vehicle's own id."""
    if place in data.hotels:
        h = data.hotels[place]
        return h.name_zh if chinese(lang) and h.name_zh else h.name
    if place in data.venues:
        v = data.venues[place]
        return v.name_zh if chinese(lang) and v.name_zh else v.name
    if place in data.vehicles:
        return labels(lang)["depot"]
    return place


def _hhmm(moment: Any) -> str:
    return moment.strftime("%H:%M") if isinstance(moment, datetime) else ""


def _when(row: Row) -> datetime:
    moment = row.get("arrive") or row.get("depart")
    return moment if isinstance(moment, datetime) else datetime.max


def _trips(plan: Plan) -> dict[tuple[str, str], list[Row]]:
    """(vehicle, trip) -> stops by seq."""
    out: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in plan.transport:
        out[(str(row["vehicle"]), str(row["trip"]))].append(row)
    for stops in out.values():
        stops.sort(key=lambda r: int(r["seq"]))
    return dict(out)


def _trip_day(stops: list[Row]) -> date:
    return min(_when(r) for r in stops).date()


def _vehicle_title(data: Dataset, vehicle: str, lang: str) -> str:
    v = data.vehicles.get(vehicle)
    words = labels(lang)
    if v is None:
        return vehicle
    kind = words.get(v.kind or "", v.kind or "")
    detail = f"{v.seats} {words['seats']}"
    if v.wheelchair_places:
        detail += f", {v.wheelchair_places} {words['wheelchair_places']}"
    return f"{vehicle} ({kind + ', ' if kind else ''}{detail})"


# ----------------------------------------------------------------- tables


def timetables(data: Dataset, plan: Plan, lang: str = "en") -> list[Table]:
    """A table per vehicle and day: its stops in time order."""
    words = labels(lang)
    by_vehicle_day: dict[tuple[str, date], list[tuple[str, list[Row]]]] = defaultdict(list)
    for (vehicle, trip), stops in _trips(plan).items():
        by_vehicle_day[(vehicle, _trip_day(stops))].append((trip, stops))
    boards: Counter[tuple[str, str, int]] = Counter()
    alights: Counter[tuple[str, str, int]] = Counter()
    for m in plan.manifest:
        boards[(str(m["vehicle"]), str(m["trip"]), int(m["board_seq"]))] += 1
        alights[(str(m["vehicle"]), str(m["trip"]), int(m["alight_seq"]))] += 1
    tables = []
    for (vehicle, day), trips in sorted(by_vehicle_day.items()):
        table = Table(
            f"{vehicle}_{day.isoformat()}",
            f"{words['title_timetable']}: {_vehicle_title(data, vehicle, lang)}, {day.isoformat()}",
            TIMETABLE_COLUMNS,
        )
        for trip, stops in sorted(trips, key=lambda t: (_when(t[1][0]), t[0])):
            on_board = 0
            for stop in stops:
                key = (vehicle, trip, int(stop["seq"]))
                on_board += boards[key] - alights[key]
                table.rows.append(
                    (
                        trip,
                        int(stop["seq"]),
                        str(stop["place"]),
                        place_name(data, str(stop["place"]), lang),
                        _hhmm(stop.get("arrive")),
                        _hhmm(stop.get("depart")),
                        str(stop.get("session") or ""),
                        boards[key],
                        alights[key],
                        on_board,
                    )
                )
        tables.append(table)
    return tables


def manifests(data: Dataset, plan: Plan, lang: str = "en") -> list[Table]:
    """A table per trip: its passengers, by boarding stop then delegation and name."""
    words = labels(lang)
    trips = _trips(plan)
    riders: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for m in plan.manifest:
        riders[(str(m["vehicle"]), str(m["trip"]))].append(m)
    tables = []
    for (vehicle, trip), stops in sorted(trips.items(), key=lambda kv: (_when(kv[1][0]), kv[0])):
        by_seq = {int(s["seq"]): s for s in stops}
        first, last = stops[0], stops[-1]
        title = (
            f"{words['title_manifest']}: {vehicle} {words['trip']} {trip}, {_trip_day(stops).isoformat()} "
            f"{_hhmm(first.get('depart') or first.get('arrive'))}-{_hhmm(last.get('arrive') or last.get('depart'))}"
        )
        table = Table(f"{vehicle}_{trip}", title, MANIFEST_COLUMNS)
        for m in sorted(riders.get((vehicle, trip), ()), key=lambda m: (int(m["board_seq"]), str(m["person"]))):
            p = data.people.get(str(m["person"]))
            board, alight = by_seq.get(int(m["board_seq"]), {}), by_seq.get(int(m["alight_seq"]), {})
            table.rows.append(
                (
                    str(m["person"]),
                    person_name(p) if p else "",
                    p.delegation if p else "",
                    words.get(p.role, p.role) if p else "",
                    words["wheelchair_place"] if p and p.wheelchair else words["seat"],
                    place_name(data, str(board.get("place", "")), lang),
                    _hhmm(board.get("depart")),
                    place_name(data, str(alight.get("place", "")), lang),
                    _hhmm(alight.get("arrive")),
                )
            )
        tables.append(table)
    return tables


def itineraries(data: Dataset, plan: Plan, lang: str = "en", reasons: Reasons | None = None) -> list[Table]:
    """A table per delegation: each ride of its members, then members without a ride (and why, see ``reasons``)."""
    words = labels(lang)
    trips = _trips(plan)
    stops = {(v, t, int(s["seq"])): s for (v, t), ss in trips.items() for s in ss}
    groups: Counter[tuple[str, datetime, str, str, str, datetime | None, str, datetime | None, str, str]] = Counter()
    for m in plan.manifest:
        p = data.people.get(str(m["person"]))
        if p is None:
            continue
        vehicle, trip = str(m["vehicle"]), str(m["trip"])
        board = stops.get((vehicle, trip, int(m["board_seq"])))
        alight = stops.get((vehicle, trip, int(m["alight_seq"])))
        if board is None or alight is None:
            continue
        there = str(alight["place"]) in data.venues
        session = str((alight if there else board).get("session") or "")
        groups[
            (
                p.delegation,
                _when(board),
                session,
                "there" if there else "back",
                str(board["place"]),
                board.get("depart"),
                str(alight["place"]),
                alight.get("arrive"),
                vehicle,
                trip,
            )
        ] += 1
    no_ride: dict[str, list[tuple[Person, str]]] = defaultdict(list)
    for row in plan.unassigned:
        if row.get("kind") != "ride":
            continue
        p = data.people.get(str(row["id"]).split(":")[0])
        if p is not None:
            no_ride[p.delegation].append((p, str(row["reason"])))
    tables: dict[str, Table] = {}

    def table_of(delegation: str) -> Table:
        if delegation not in tables:
            d = data.delegations.get(delegation)
            name = (d.name_zh if chinese(lang) and d.name_zh else d.name) if d else delegation
            tables[delegation] = Table(
                delegation,
                f"{words['title_itinerary']}: {name} ({delegation})",
                ITINERARY_COLUMNS,
                note_columns=NO_RIDE_COLUMNS,
            )
        return tables[delegation]

    for key, count in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], kv[0][8], kv[0][9])):
        delegation, when, session, direction, origin, depart, destination, arrive, vehicle, trip = key
        table_of(delegation).rows.append(
            (
                when.date().isoformat(),
                session,
                words[direction],
                place_name(data, origin, lang),
                _hhmm(depart),
                place_name(data, destination, lang),
                _hhmm(arrive),
                vehicle,
                trip,
                count,
            )
        )
    for delegation, people in sorted(no_ride.items()):
        table = table_of(delegation)
        for p, reason in sorted(people, key=lambda x: (x[0].id, x[1])):
            shown = reasons(reason) if reasons is not None else reason
            table.notes.append((p.id, person_name(p), words.get(p.role, p.role), shown))
    return [tables[k] for k in sorted(tables)]


def day_overview(data: Dataset, plan: Plan, lang: str = "en") -> list[Table]:
    """A table per day: for each hour, vehicles on the road, trips starting, passengers boarding."""
    words = labels(lang)
    running: dict[date, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    starting: dict[date, Counter[int]] = defaultdict(Counter)
    boarding: dict[date, Counter[int]] = defaultdict(Counter)
    trips = _trips(plan)
    for (vehicle, _trip), stops in trips.items():
        times = [t for s in stops for t in (s.get("arrive"), s.get("depart")) if isinstance(t, datetime)]
        if not times:
            continue
        first, last = min(times), max(times)
        day = first.date()
        starting[day][first.hour] += 1
        for hour in range(first.hour, last.hour + 1 if last.date() == day else 24):
            running[day][hour].add(vehicle)
    by_stop = {(v, t, int(s["seq"])): s for (v, t), ss in trips.items() for s in ss}
    for m in plan.manifest:
        stop = by_stop.get((str(m["vehicle"]), str(m["trip"]), int(m["board_seq"])))
        moment = stop.get("depart") if stop else None
        if isinstance(moment, datetime):
            boarding[moment.date()][moment.hour] += 1
    tables = []
    for day in sorted(running):
        hours = sorted(set(running[day]) | set(starting[day]) | set(boarding[day]))
        table = Table(day.isoformat(), f"{words['title_overview']}: {day.isoformat()}", OVERVIEW_COLUMNS)
        for hour in range(hours[0], hours[-1] + 1):
            table.rows.append(
                (
                    f"{hour:02d}:00-{hour + 1:02d}:00",
                    len(running[day].get(hour, ())),
                    starting[day][hour],
                    boarding[day][hour],
                )
            )
        tables.append(table)
    return tables


BUILDERS = {"timetable": timetables, "manifest": manifests, "itinerary": itineraries, "overview": day_overview}


def transport_tables(
    data: Dataset, plan: Plan, kind: str, lang: str = "en", reasons: Reasons | None = None
) -> list[Table]:
    """The tables of one list (``timetable``, ``manifest``, ``itinerary`` or ``overview``).

    ``reasons`` writes why someone has no ride (itineraries) in the list's language.
    """
    if kind not in BUILDERS:
        raise ValueError(f"unknown transport list {kind!r}; choose one of {', '.join(KINDS)}")
    labels(lang)
    if kind == "itinerary":
        return itineraries(data, plan, lang, reasons)
    return BUILDERS[kind](data, plan, lang)


# ---------------------------------------------------------------- writers


def _csv_cell(value: Any) -> str:
    return escape_formula(value) if isinstance(value, str) else str(value)


def write_transport_csv(
    data: Dataset, plan: Plan, folder: Path | str, kind: str, lang: str = "en", reasons: Reasons | None = None
) -> list[Path]:
    """One CSV per table: ``<kind>_<key>_<lang>.csv``, UTF-8 with BOM."""
    words = labels(lang)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in transport_tables(data, plan, kind, lang, reasons):
        path = folder / f"{kind}_{file_stem(table.key)}_{lang}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([words[c] for c in table.columns])
            w.writerows([_csv_cell(c) for c in row] for row in table.rows)
            if table.notes:
                w.writerow([])
                w.writerow([words["no_ride"]])
                w.writerow([words[c] for c in table.note_columns])
                w.writerows([_csv_cell(c) for c in row] for row in table.notes)
        paths.append(path)
    return paths


def write_transport_xlsx(
    data: Dataset, plan: Plan, path: Path | str, kind: str, lang: str = "en", reasons: Reasons | None = None
) -> Path:
    """One workbook, a sheet per table headed by its title; text never becomes a formula."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    words = labels(lang)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook(write_only=True)
    used: set[str] = set()

    def cell(ws: Any, value: Any) -> Any:
        if isinstance(value, str):
            c = WriteOnlyCell(ws, value=value)
            c.data_type = "s"
            return c
        return value

    tables = transport_tables(data, plan, kind, lang, reasons)
    if not tables:
        book.create_sheet("-").append([words["none"]])
    for table in tables:
        ws = book.create_sheet(sheet_name(table.key, used))
        ws.append([cell(ws, table.title)])
        ws.append([cell(ws, words[c]) for c in table.columns])
        for row in table.rows:
            ws.append([cell(ws, v) for v in row])
        if table.notes:
            ws.append([])
            ws.append([cell(ws, words["no_ride"])])
            ws.append([cell(ws, words[c]) for c in table.note_columns])
            for row in table.notes:
                ws.append([cell(ws, v) for v in row])
    book.save(path)
    return path


def transport_html(
    data: Dataset,
    plan: Plan,
    kind: str,
    lang: str = "en",
    only: str | None = None,
    reasons: Reasons | None = None,
) -> str:
    """A printable page: a section per table, each on its own printed page."""
    words = labels(lang)
    e = html.escape
    event = data.event.name_zh if chinese(lang) and data.event.name_zh else data.event.name
    heading = words.get(f"title_{kind}", kind)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}">',
        '<head><meta charset="utf-8">',
        f"<title>{e(heading)} - {e(event)}</title>",
        "<style>body{font-family:sans-serif}table{border-collapse:collapse;margin-bottom:1.5em}"
        "th,td{border:1px solid #999;padding:2px 6px;text-align:left}"
        "section{page-break-after:always}section:last-child{page-break-after:auto}</style>",
        "</head><body>",
        f"<h1>{e(heading)} - {e(event)}</h1>",
    ]
    tables = transport_tables(data, plan, kind, lang, reasons)
    if only is not None:
        tables = [t for t in tables if t.key == only]
    if not tables:
        parts.append(f"<p>{e(words['none'])}</p>")
    for table in tables:
        parts.append(f"<section><h2>{e(table.title)}</h2>")
        parts.append(f"<table><caption>{e(table.title)}</caption><thead><tr>")
        parts.append("".join(f'<th scope="col">{e(words[c])}</th>' for c in table.columns) + "</tr></thead><tbody>")
        for row in table.rows:
            parts.append("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>")
        parts.append("</tbody></table>")
        if table.notes:
            parts.append(f"<h3>{e(words['no_ride'])}</h3><table><thead><tr>")
            parts.append(
                "".join(f'<th scope="col">{e(words[c])}</th>' for c in table.note_columns) + "</tr></thead><tbody>"
            )
            for row in table.notes:
                parts.append("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>")
            parts.append("</tbody></table>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_transport_lists(
    data: Dataset,
    plan: Plan,
    folder: Path | str,
    kinds: Iterable[str] = KINDS,
    formats: Sequence[str] = ("csv", "xlsx", "html"),
    langs: Iterable[str] = LANGS,
    reasons: Callable[[str, str], str] | None = None,
) -> list[Path]:
    """Every transport list in every asked format and language; returns the files written.

    ``langs`` defaults to all of :data:`LANGS` (English, Simplified and Traditional Chinese),
    as for the other lists. ``reasons(text, lang)`` writes a no-ride reason in the list's language.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    unknown = set(formats) - {"csv", "xlsx", "html"}
    if unknown:
        raise ValueError(f"unknown format(s) {', '.join(sorted(unknown))}; choose csv, xlsx or html")
    paths: list[Path] = []
    for kind in kinds:
        for lang in langs:
            in_lang = _reasons_in(reasons, lang)
            if "csv" in formats:
                paths += write_transport_csv(data, plan, folder / "csv", kind, lang, in_lang)
            if "xlsx" in formats:
                paths.append(write_transport_xlsx(data, plan, folder / f"{kind}_{lang}.xlsx", kind, lang, in_lang))
            if "html" in formats:
                target = folder / f"{kind}_{lang}.html"
                target.write_text(transport_html(data, plan, kind, lang, reasons=in_lang), encoding="utf-8")
                paths.append(target)
    return paths


def _reasons_in(reasons: Callable[[str, str], str] | None, lang: str) -> Reasons | None:
    if reasons is None:
        return None
    return lambda text: reasons(text, lang)
