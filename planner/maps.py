"""Maps of the event: venues, hotels, depots and one day's routes (folium).

The same map serves the web UI and ``planner map OUT.html``. It works with no
internet: Leaflet comes from the ``xstatic-leaflet`` package, either inlined
(a standalone file that opens from disk) or as URLs the web app serves itself;
folium's default CDN links (Leaflet, jQuery, Bootstrap, icon fonts) are never
used, and popups are bound with plain Leaflet calls so jQuery is not needed.
The tile server is a setting; by default there is none and the map draws on
a plain background (office PCs may reach no public tile server).

Everything the map shows is also returned as rows (:func:`map_items`) for a
table that screen-reader users can read; the standalone file carries that
table under the map.
"""

from __future__ import annotations

import base64
import html
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from planner.dataset import Dataset
from planner.plan import Plan

Translate = Callable[[str], str]

# Colours by use. Dark enough for 3:1 contrast on the light background (WCAG 1.4.11).
HOTEL_COLOURS = {"in_use": "#1b5e20", "approved": "#0d47a1", "not_approved": "#5f5f5f"}
VENUE_COLOURS = {"competition": "#b71c1c", "training": "#8a4b00", "ceremony": "#6a1b9a", "idle": "#37474f"}
DEPOT_COLOUR = "#212121"
ROUTE_COLOURS = {"competition": "#b71c1c", "training": "#8a4b00", "ceremony": "#6a1b9a", "other": "#455a64"}
BACKGROUND = "#f3f1ec"

USE_WORDS = {
    "in_use": "in use",
    "approved": "approved, not in use",
    "not_approved": "not approved",
    "competition": "competition",
    "training": "training",
    "ceremony": "ceremony",
    "idle": "no session",
    "other": "other",
}


@dataclass(frozen=True)
class MapItem:
    """One thing on the map, as a row of the accessible table."""

    layer: str  # hotels | venues | depots | routes
    id: str
    name: str
    use: str  # key of USE_WORDS
    lat: float | None
    lon: float | None
    capacity: str  # beds, seats... in words
    occupancy: str
    details: str


def leaflet_dir() -> Path:
    """Folder of the packaged Leaflet files (leaflet.js, leaflet.css, images/)."""
    from xstatic.pkg import leaflet

    return Path(leaflet.BASE_DIR)


# ---------------------------------------------------------------- figures


def busiest_day(data: Dataset, plan: Plan | None = None) -> date | None:
    """The day with the most transport stops, else the most sessions, else the first Games day."""
    if plan is not None and plan.transport:
        when = [r.get("arrive") or r.get("depart") for r in plan.transport]
        days = Counter(w.date() for w in when if w is not None)
        if days:
            return max(sorted(days), key=lambda d: days[d])
    sessions = Counter(s.date for s in data.sessions.values())
    if sessions:
        return max(sorted(sessions), key=lambda d: sessions[d])
    return data.event.start_date


def _guests_on(plan: Plan | None, day: date | None) -> dict[str, int]:
    """Guests per hotel sleeping there on the night of ``day``."""
    out: Counter[str] = Counter()
    if plan is None:
        return out
    for r in plan.rooming:
        if day is None or r["check_in"] <= day < r["check_out"]:
            out[r["hotel"]] += 1
    return out


def _hotel_items(
    data: Dataset, plan: Plan | None, day: date | None, t: Translate, chinese_names: bool
) -> list[MapItem]:
    beds: Counter[str] = Counter()
    accessible_beds: Counter[str] = Counter()
    for room in data.rooms:
        beds[room.hotel] += room.beds
        if room.accessible:
            accessible_beds[room.hotel] += room.beds
    guests = _guests_on(plan, day)
    items = []
    for h in data.hotels.values():
        use = "in_use" if guests[h.id] else ("approved" if h.approved else "not_approved")
        details = [t("accessible beds") + f": {accessible_beds[h.id]}"]
        if h.survey_score is not None:
            details.append(t("survey score") + f": {h.survey_score:g}")
        if h.halal_kitchen:
            details.append(t("halal kitchen"))
        items.append(
            MapItem(
                "hotels",
                h.id,
                (h.name_zh or h.name) if chinese_names else h.name,
                use,
                h.lat,
                h.lon,
                f"{beds[h.id]} " + t("beds"),
                f"{guests[h.id]} " + t("guests") + (f" ({guests[h.id] / beds[h.id]:.0%})" if beds[h.id] else ""),
                "; ".join(details),
            )
        )
    return items


def _venue_items(data: Dataset, day: date | None, t: Translate, chinese_names: bool) -> list[MapItem]:
    items = []
    for v in data.venues.values():
        today = sorted(
            (s for s in data.sessions.values() if s.venue == v.id and (day is None or s.date == day)),
            key=lambda s: s.start_min,
        )
        kinds = {s.kind for s in today}
        use = next((k for k in ("competition", "ceremony", "training") if k in kinds), "idle")
        travellers = sum(len(data.travellers(s)) for s in today)
        details = [t("sports") + ": " + ", ".join(v.sports)]
        details.append(t("accessible") if v.accessible else t("not accessible"))
        if v.renovation_progress is not None:
            details.append(t("renovation") + f": {v.renovation_progress:g}%")
        if today:
            details.append(
                t("sessions")
                + ": "
                + ", ".join(
                    f"{s.id} {s.start_min // 60:02d}:{s.start_min % 60:02d}-{s.end_min // 60:02d}:{s.end_min % 60:02d}"
                    for s in today[:8]
                )
                + (" …" if len(today) > 8 else "")
            )
        items.append(
            MapItem(
                "venues",
                v.id,
                (v.name_zh or v.name) if chinese_names else v.name,
                use,
                v.lat,
                v.lon,
                f"{len(today)} " + t("sessions"),
                f"{travellers} " + t("travellers"),
                "; ".join(details),
            )
        )
    return items


def _depot_items(data: Dataset, t: Translate) -> list[MapItem]:
    depots: dict[tuple[float, float], list[Any]] = defaultdict(list)
    for k in data.vehicles.values():
        depots[(round(k.depot_lat, 5), round(k.depot_lon, 5))].append(k)
    items = []
    for (lat, lon), vehicles in depots.items():
        seats = sum(k.seats for k in vehicles)
        wheelchair = sum(k.wheelchair_places for k in vehicles)
        ids = sorted(k.id for k in vehicles)
        items.append(
            MapItem(
                "depots",
                ids[0] if len(ids) == 1 else f"{ids[0]}…{ids[-1]}",
                t("Depot") + f" ({len(ids)} " + t("vehicles") + ")",
                "other",
                lat,
                lon,
                f"{seats} " + t("seats") + f", {wheelchair} " + t("wheelchair places"),
                f"{len(ids)} " + t("vehicles"),
                ", ".join(ids[:12]) + (" …" if len(ids) > 12 else ""),
            )
        )
    return items


@dataclass(frozen=True)
class _Trip:
    vehicle: str
    trip: str
    use: str
    points: tuple[tuple[float, float], ...]
    stops: tuple[str, ...]
    passengers: int
    first: str
    last: str


def _trips(data: Dataset, plan: Plan | None, day: date | None) -> list[_Trip]:
    if plan is None or not plan.transport:
        return []
    by_trip: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in plan.transport:
        when = r.get("arrive") or r.get("depart")
        if day is not None and (when is None or when.date() != day):
            continue
        by_trip[(r["vehicle"], r["trip"])].append(r)
    riders: Counter[tuple[str, str]] = Counter((m["vehicle"], m["trip"]) for m in plan.manifest)
    trips = []
    for (vehicle, trip), stops in sorted(by_trip.items()):
        stops.sort(key=lambda r: r["seq"])
        points, names = [], []
        for r in stops:
            try:
                points.append(data.location(r["place"]))
            except KeyError:
                continue
            names.append(r["place"])
        sessions = [data.sessions[r["session"]] for r in stops if r.get("session") in data.sessions]
        use = sessions[0].kind if sessions else "other"
        times = [t for t in (r.get("depart") or r.get("arrive") for r in stops) if t is not None]
        trips.append(
            _Trip(
                vehicle,
                trip,
                use if use in ROUTE_COLOURS else "other",
                tuple(points),
                tuple(names),
                riders[(vehicle, trip)],
                min(times).strftime("%H:%M") if times else "",
                max(times).strftime("%H:%M") if times else "",
            )
        )
    return trips


def _route_items(data: Dataset, trips: Iterable[_Trip], t: Translate) -> list[MapItem]:
    items = []
    for trip in trips:
        seats = data.vehicles[trip.vehicle].seats if trip.vehicle in data.vehicles else 0
        items.append(
            MapItem(
                "routes",
                f"{trip.vehicle}/{trip.trip}",
                t("Vehicle") + f" {trip.vehicle}, " + t("trip") + f" {trip.trip}",
                trip.use,
                None,
                None,
                f"{seats} " + t("seats"),
                f"{trip.passengers} " + t("passengers"),
                f"{trip.first}-{trip.last}: " + " → ".join(trip.stops),
            )
        )
    return items


def map_items(
    data: Dataset, plan: Plan | None = None, day: date | None = None, t: Translate = str, chinese_names: bool = False
) -> list[MapItem]:
    """Everything the map shows, as table rows: hotels, venues, depots, then the day's trips."""
    return (
        _hotel_items(data, plan, day, t, chinese_names)
        + _venue_items(data, day, t, chinese_names)
        + _depot_items(data, t)
        + _route_items(data, _trips(data, plan, day), t)
    )


# ---------------------------------------------------------------- the map


def _where(item: MapItem) -> tuple[float, float]:
    assert item.lat is not None and item.lon is not None
    return item.lat, item.lon


def _popup_html(item: MapItem, t: Translate) -> str:
    rows = [
        (t("Use"), t(USE_WORDS[item.use])),
        (t("Capacity"), item.capacity),
        (t("Occupancy"), item.occupancy),
    ]
    if item.details:
        rows.append((t("Details"), item.details))
    body = "".join(f"<tr><th scope='row'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
    return f"<strong>{html.escape(item.name)}</strong> <span>({html.escape(item.id)})</span><table>{body}</table>"


def _plain_popup(layer: Any, content: str) -> Any:
    """Bind a popup with Leaflet's own call (folium's Popup needs jQuery)."""
    import json

    from branca.element import MacroElement
    from jinja2 import Template

    class PlainPopup(MacroElement):
        _template = Template(
            "{% macro script(this, kwargs) %}"
            "{{ this._parent.get_name() }}.bindPopup({{ this.content }}, {maxWidth: 320});"
            "{% endmacro %}"
        )

        def __init__(self, text: str) -> None:
            super().__init__()
            self._name = "PlainPopup"
            # JSON inside a <script>: escape '<' so no text can close the script element
            self.content = json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    layer.add_child(PlainPopup(content))
    return layer


def build_map(
    data: Dataset,
    plan: Plan | None = None,
    *,
    day: date | None = None,
    tiles: str | None = None,
    attribution: str | None = None,
    t: Translate = str,
    chinese_names: bool = False,
) -> Any:
    """A ``folium.Map`` with switchable layers: hotels, venues, depots, and the day's routes by use.

    Args:
        data: the event's planning data.
        plan: the accepted plan (occupancy from its rooming, routes from its transport).
        day: the day whose sessions, guests and routes are shown (``None``: all days).
        tiles: a tile URL template (``https://.../{z}/{x}/{y}.png``); ``None`` for a plain background.
        attribution: the tile server's attribution, required with ``tiles``.
        t: translates the map's words (the web passes its gettext).
        chinese_names: show ``name_zh`` where given.
    """
    import folium

    points = [(h.lat, h.lon) for h in data.hotels.values()] + [(v.lat, v.lon) for v in data.venues.values()]
    points += [(k.depot_lat, k.depot_lon) for k in data.vehicles.values()]
    centre = (
        (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
        if points
        else (31.23, 121.47)
    )
    fmap = folium.Map(location=centre, zoom_start=11, tiles=None, control_scale=True, attribution_control=bool(tiles))
    # never the CDN defaults: the caller adds Leaflet from the package
    fmap.default_js = []
    fmap.default_css = []
    if tiles:
        folium.TileLayer(tiles=tiles, attr=attribution or tiles, name=t("Background map"), overlay=False).add_to(fmap)

    groups: dict[str, Any] = {}

    def group(key: str, label: str) -> Any:
        if key not in groups:
            groups[key] = folium.FeatureGroup(name=label, show=True).add_to(fmap)
        return groups[key]

    for item in _hotel_items(data, plan, day, t, chinese_names):
        marker = folium.CircleMarker(
            _where(item), radius=8, color=HOTEL_COLOURS[item.use], weight=2, fill=True, fill_opacity=0.85
        )
        marker.add_to(group(f"hotels-{item.use}", t("Hotels") + ": " + t(USE_WORDS[item.use])))
        _plain_popup(marker, _popup_html(item, t))
    for item in _venue_items(data, day, t, chinese_names):
        # bigger rings than hotels (folium's polygon markers need a plugin from a CDN)
        marker = folium.CircleMarker(
            _where(item), radius=11, color=VENUE_COLOURS[item.use], weight=4, fill=True, fill_opacity=0.35
        )
        marker.add_to(group(f"venues-{item.use}", t("Venues") + ": " + t(USE_WORDS[item.use])))
        _plain_popup(marker, _popup_html(item, t))
    for item in _depot_items(data, t):
        marker = folium.CircleMarker(_where(item), radius=6, color=DEPOT_COLOUR, weight=2, fill=True, fill_opacity=1.0)
        marker.add_to(group("depots", t("Depots")))
        _plain_popup(marker, _popup_html(item, t))
    trips = _trips(data, plan, day)
    for trip, item in zip(trips, _route_items(data, trips, t), strict=True):
        if len(trip.points) < 2:
            continue
        line = folium.PolyLine(trip.points, color=ROUTE_COLOURS[trip.use], weight=3, opacity=0.8)
        line.add_to(group(f"routes-{trip.use}", t("Routes") + ": " + t(USE_WORDS[trip.use])))
        _plain_popup(line, _popup_html(item, t))
    folium.LayerControl(collapsed=False).add_to(fmap)
    if len(points) >= 2:
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(20, 20))
    return fmap


def _data_uri(path: Path, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def leaflet_css_inline() -> str:
    """Leaflet's CSS with its images as data URIs (no file or server needed)."""
    folder = leaflet_dir()
    css = (folder / "leaflet.css").read_text(encoding="utf-8")
    return re.sub(r"url\((images/[^)]+)\)", lambda m: f"url({_data_uri(folder / m.group(1), 'image/png')})", css)


MAP_CSS = (
    f".leaflet-container {{ background: {BACKGROUND}; font: 1rem/1.4 system-ui, sans-serif; }}\n"
    ".leaflet-popup-content table { border-collapse: collapse; }\n"
    ".leaflet-popup-content th { text-align: left; padding-right: .5em; font-weight: 600; }\n"
    ".leaflet-control-layers label { min-height: 24px; display: block; }\n"
    ".leaflet-control-layers-selector { width: 18px; height: 18px; }\n"
    ".leaflet-container a.leaflet-popup-close-button { width: 24px; height: 24px; font-size: 22px; }\n"
    ".leaflet-control-scale-line { color: #222; }\n"
)


def render_map_html(
    fmap: Any,
    *,
    assets: str = "inline",
    asset_url: str = "",
    lang: str = "en",
    title: str = "Map",
    after_map: str = "",
    map_height: str = "100%",
) -> str:
    """The map as a full HTML document.

    Args:
        fmap: a map from :func:`build_map`.
        assets: ``inline`` (Leaflet inside the file: opens with no server) or
            ``url`` (``<script src>`` to ``asset_url``/leaflet.js, served by the app).
        asset_url: where the app serves the Leaflet folder (``/vendor/leaflet``).
        lang: the document's language tag.
        title: the document's title.
        after_map: HTML placed under the map (the accessible table).
        map_height: CSS height of the map.
    """
    if assets == "inline":
        js = (leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
        head = f"<style>{leaflet_css_inline()}</style>\n<script>{js}</script>\n"
    elif assets == "url":
        base = html.escape(asset_url.rstrip("/"))
        head = f'<link rel="stylesheet" href="{base}/leaflet.css">\n<script src="{base}/leaflet.js"></script>\n'
    else:
        raise ValueError(f"assets must be 'inline' or 'url', not {assets!r}")
    text = fmap.get_root().render()
    text = text.replace("<html>", f'<html lang="{html.escape(lang)}">', 1)
    # people who need to zoom must be able to (WCAG 1.4.4): drop folium's zoom lock
    text = re.sub(
        r'<meta name="viewport"[^>]*>',
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
        text,
        count=1,
    )
    text = text.replace(
        '<meta http-equiv="content-type" content="text/html; charset=UTF-8" />',
        f'<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n{head}<style>{MAP_CSS}</style>',
        1,
    )
    if after_map or map_height != "100%":
        text = re.sub(r"(#map_[0-9a-f]+ \{[^}]*height: )100\.0%", lambda m: m.group(1) + map_height, text, count=1)
    if after_map:
        text = text.replace("</body>", f"{after_map}\n</body>", 1)
    return text


def items_table_html(items: Iterable[MapItem], t: Translate = str, caption: str = "") -> str:
    """The map's content as an HTML table (for screen readers and printing)."""
    head = [t("Layer"), t("Id"), t("Name"), t("Use"), t("Capacity"), t("Occupancy"), t("Details")]
    out = ['<table class="map-table">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f'<th scope="col">{html.escape(h)}</th>' for h in head) + "</tr></thead><tbody>")
    for i in items:
        cells = [t(i.layer.capitalize()), i.id, i.name, t(USE_WORDS[i.use]), i.capacity, i.occupancy, i.details]
        out.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


STANDALONE_CSS = (
    "body { margin: 0; font: 1rem/1.5 system-ui, sans-serif; color: #1a1a1a; background: #fff; }\n"
    "main.map-page { padding: 0 1rem 2rem; }\n"
    ".map-table { border-collapse: collapse; width: 100%; margin-top: 1rem; }\n"
    ".map-table th, .map-table td { border: 1px solid #767676; padding: .25rem .5rem; text-align: left; vertical-align: top; }\n"
    ".map-table caption { text-align: left; font-weight: 600; font-size: 1.2rem; padding: .5rem 0; }\n"
)


def standalone_map_html(
    data: Dataset,
    plan: Plan | None = None,
    *,
    day: date | None = None,
    tiles: str | None = None,
    attribution: str | None = None,
) -> str:
    """A standalone HTML file: the map, then the same information as a table; no server or internet needed."""
    day = day or busiest_day(data, plan)
    fmap = build_map(data, plan, day=day, tiles=tiles, attribution=attribution)
    title = f"{data.event.name}: map" + (f" of {day.isoformat()}" if day else "")
    table = items_table_html(map_items(data, plan, day), caption="What the map shows")
    after = f'<style>{STANDALONE_CSS}</style>\n<main class="map-page"><h1>{html.escape(title)}</h1>\n{table}\n</main>'
    return render_map_html(fmap, assets="inline", lang="en", title=title, after_map=after, map_height="70vh")


def tile_settings() -> tuple[str | None, str | None]:
    """The tile server from the environment: ``PLANNER_MAP_TILES`` and ``PLANNER_MAP_ATTRIBUTION``."""
    return os.environ.get("PLANNER_MAP_TILES") or None, os.environ.get("PLANNER_MAP_ATTRIBUTION") or None


def write_map(engine: Any, output: Path | str, day: date | None = None) -> Path:
    """``planner map OUT.html``: the stored data and accepted plans as a standalone map file."""
    from sqlmodel import Session

    from planner.services.planning import accepted_plan
    from planner.services.workbook import load_dataset

    with Session(engine) as session:
        data = load_dataset(session)
        plan = accepted_plan(session)
    tiles, attribution = tile_settings()
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(standalone_map_html(data, plan, day=day, tiles=tiles, attribution=attribution), encoding="utf-8")
    return output
