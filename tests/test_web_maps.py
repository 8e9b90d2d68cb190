"""Maps (planner.maps): layers, popups, the accessible table, no CDN, standalone file."""

from __future__ import annotations

import re
from datetime import date

from planner.maps import build_map, busiest_day, map_items, render_map_html, standalone_map_html
from planner.plan import Plan
from tests.builders import make_dataset, manifest_row, rooming_row, stop_row

DAY = date(2007, 10, 3)


def planned():
    data = make_dataset()
    plan = Plan(
        rooming=[rooming_row(data, "P1", "H01", "101"), rooming_row(data, "P2", "H01", "201")],
        transport=[
            stop_row("B1", "T1", 0, "B1", depart="08:50"),
            stop_row("B1", "T1", 1, "H01", arrive="09:10", depart="09:12", session="S1"),
            stop_row("B1", "T1", 2, "V01", arrive="09:32", session="S1"),
        ],
        manifest=[manifest_row("B1", "T1", "P1", 1, 2), manifest_row("B1", "T1", "P2", 1, 2)],
    )
    return data, plan


def test_items_say_capacity_occupancy_and_use():
    data, plan = planned()
    items = {(i.layer, i.id): i for i in map_items(data, plan, DAY)}
    h01 = items[("hotels", "H01")]
    assert h01.use == "in_use" and h01.capacity == "7 beds" and h01.occupancy.startswith("2 guests")
    assert items[("hotels", "H02")].use == "not_approved"
    assert items[("venues", "V01")].use == "competition"
    route = items[("routes", "B1/T1")]
    assert route.occupancy == "2 passengers" and "H01" in route.details and route.use == "competition"
    assert ("depots", "B1") in items
    # another day: nobody rides, the venue is idle
    other = {(i.layer, i.id): i for i in map_items(data, plan, date(2007, 10, 9))}
    assert other[("venues", "V01")].use == "idle" and ("routes", "B1/T1") not in other


def test_busiest_day_prefers_transport_then_sessions():
    data, plan = planned()
    assert busiest_day(data, plan) == DAY
    assert busiest_day(data, None) == DAY  # the only session's day


def test_map_has_switchable_layers_and_popups_without_jquery():
    data, plan = planned()
    page = render_map_html(build_map(data, plan, day=DAY), assets="url", asset_url="/vendor/leaflet")
    assert "L.control.layers" in page
    for layer in ("Hotels: in use", "Venues: competition", "Depots", "Routes: competition"):
        assert layer in page
    assert ".bindPopup(" in page and "$(`" not in page
    assert '<script src="/vendor/leaflet/leaflet.js"></script>' in page
    assert '<html lang="en">' in page and "user-scalable=no" not in page


def test_standalone_file_needs_no_server_or_internet():
    data, plan = planned()
    page = standalone_map_html(data, plan, day=DAY)
    loads = re.findall(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?([^\"' >]+)", page)
    assert loads == [], f"the standalone map must load no file at all: {loads}"
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page)
    assert not re.search(r"@import", page)
    assert "L.map(" in page and "var L" not in page[:100]  # Leaflet is inlined
    assert "<table" in page and "H01" in page and "<caption>" in page
    assert "<title>" in page


def test_tile_server_is_a_setting():
    data, plan = planned()
    page = render_map_html(
        build_map(data, plan, tiles="/tiles/{z}/{x}/{y}.png", attribution="office tiles"), assets="url"
    )
    assert "/tiles/{z}/{x}/{y}.png" in page and "office tiles" in page
    assert "tileLayer" not in render_map_html(build_map(data, plan), assets="url")


def test_write_map_from_the_database(sqlite_engine, tmp_path):
    """`planner map OUT.html`: the stored data and accepted plans, as one offline file."""
    from planner.maps import write_map
    from tests.builders import make_workbook
    from tests.dbhelpers import load, store_accepted

    load(sqlite_engine, make_workbook())
    data, plan = planned()
    store_accepted(sqlite_engine, "accommodation", Plan(rooming=plan.rooming))
    path = write_map(sqlite_engine, tmp_path / "out" / "map.html", day=DAY)
    page = path.read_text(encoding="utf-8")
    assert "Hotels: in use" in page and "2 guests" in page
    assert not re.search(r"<(?:script|link)\b[^>]*\b(?:src|href)=", page)
