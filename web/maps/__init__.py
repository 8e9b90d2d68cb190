"""The map page: venues, hotels, depots and the day's routes, with the same information as a table.

Leaflet is served by the app itself from the ``xstatic-leaflet`` package
(``/vendor/leaflet/...``), so the map works with no internet; the tile server
is the ``MAP_TILES`` setting (none by default: a plain background).
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, render_template, request, send_from_directory, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from planner.maps import build_map, busiest_day, leaflet_dir, map_items, render_map_html, standalone_map_html
from planner.services.planning import accepted_plan
from planner.services.workbook import NoEventData, load_dataset
from planner.users import audit
from web import db
from web.auth import actor
from web.i18n import html_lang
from web.security import allow_inline_scripts_of

bp = Blueprint("maps", __name__)


def _context():  # type: ignore[no-untyped-def]
    if actor().role == "hotel_liaison":
        abort(403)
    s = db.session()
    try:
        data = load_dataset(s)
    except NoEventData:
        abort(404, _("There is no event data yet."))
    plan = accepted_plan(s)
    day = None
    if request.args.get("day"):
        try:
            day = date.fromisoformat(request.args["day"])
        except ValueError:
            abort(400, _("The day must be written YYYY-MM-DD."))
    return data, plan, day or busiest_day(data, plan)


def _translate(text: str) -> str:
    return _(text)


def _chinese() -> bool:
    return str(get_locale()) != "en"


@bp.get("/maps/")
def index():  # type: ignore[no-untyped-def]
    data, plan, day = _context()
    days = sorted({s.date for s in data.sessions.values()} | ({day} if day else set()))
    items = map_items(data, plan, day, _translate, _chinese())
    return render_template("maps/index.html", day=day, days=days, items=items)


@bp.get("/maps/frame")
def frame():  # type: ignore[no-untyped-def]
    data, plan, day = _context()
    fmap = build_map(
        data,
        plan,
        day=day,
        tiles=current_app.config.get("MAP_TILES"),
        attribution=current_app.config.get("MAP_ATTRIBUTION"),
        t=_translate,
        chinese_names=_chinese(),
    )
    page = render_map_html(
        fmap,
        assets="url",
        asset_url=url_for("maps.leaflet_asset", filename="x").rsplit("/", 1)[0],
        lang=html_lang(),
        title=_("Map of %(day)s", day=day.isoformat() if day else ""),
    )
    allow_inline_scripts_of(page)
    return Response(page, mimetype="text/html")


@bp.get("/maps/map.html")
def download():  # type: ignore[no-untyped-def]
    data, plan, day = _context()
    page = standalone_map_html(
        data,
        plan,
        day=day,
        tiles=current_app.config.get("MAP_TILES"),
        attribution=current_app.config.get("MAP_ATTRIBUTION"),
    )
    s = db.session()
    audit(s, actor(), "export", "map", day.isoformat() if day else None)
    s.commit()
    name = f"map-{day.isoformat()}.html" if day else "map.html"
    return Response(page, mimetype="text/html", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/vendor/leaflet/<path:filename>")
def leaflet_asset(filename: str):  # type: ignore[no-untyped-def]
    return send_from_directory(leaflet_dir(), filename, max_age=86400)
