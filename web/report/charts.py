"""Charts of the work-area dashboard as inline SVG, drawn on the server.

No script and no external library: each chart is plain SVG markup with a
``<title>`` for screen readers, and the page puts the same numbers in a
table next to it. Colours keep at least 3:1 contrast against white
(WCAG 1.4.11) and every series is named in a legend, never by colour alone.

Chart kinds (from :func:`planner.report.dashboard.dashboard_data`):
``bar`` and ``stacked_bar`` are drawn as horizontal bars (labels may be long
Chinese or English words), ``line`` as a line over the months, ``gauge`` as
one bar out of 100.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

# dark blue, burnt orange, green, purple: each >= 3:1 against white
PALETTE = ("#12355b", "#b3541e", "#2e6b30", "#6a1b9a")
TEXT = "#1a1a1a"
GRID = "#767676"
TRACK = "#e4e8ee"
WIDTH = 520
FONT_PX = 14
ROW_PX = 30
BAR_PX = 20


def text_width(text: str, font_px: int = FONT_PX) -> float:
    """Rough width of ``text`` in pixels: CJK characters are square, Latin ones about half as wide."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.6 for ch in text) * font_px


def number_text(value: float) -> str:
    """A value as the chart writes it: whole numbers without decimals, others with two."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _svg(key: str, title: str, height: float, body: list[str]) -> Markup:
    title_id = f"chart-{key}-title"
    return Markup(
        f'<svg class="chart" role="img" aria-labelledby="{title_id}" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{_esc(title)}</title>' + "".join(body) + "</svg>"
    )


def _legend(names: Sequence[str], y: float) -> list[str]:
    parts, x = [], 0.0
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x:.0f}" y="{y - 12:.0f}" width="14" height="14" fill="{colour}"/>')
        parts.append(f'<text x="{x + 20:.0f}" y="{y:.0f}" font-size="{FONT_PX}" fill="{TEXT}">{_esc(name)}</text>')
        x += 20 + text_width(name) + 24
    return parts


def horizontal_bars(chart: dict[str, Any]) -> Markup:
    """``bar`` and ``stacked_bar`` charts: one row per label, series stacked left to right."""
    labels: list[str] = list(chart["labels"])
    series: list[dict[str, Any]] = list(chart["series"])
    stacked = len(series) > 1
    totals = [sum(float(s["values"][i]) for s in series) for i in range(len(labels))]
    top = max(totals, default=0.0) or 1.0
    label_px = min(220.0, max((text_width(label) for label in labels), default=0.0) + 12)
    value_px = max((text_width(number_text(t)) for t in totals), default=0.0) + 16
    bar_area = WIDTH - label_px - value_px
    body: list[str] = []
    y0 = 0.0
    if stacked:
        body += _legend([s["name"] for s in series], 16)
        y0 = 30.0
    for i, label in enumerate(labels):
        y = y0 + i * ROW_PX
        body.append(
            f'<text x="{label_px - 8:.0f}" y="{y + BAR_PX - 5:.0f}" text-anchor="end" font-size="{FONT_PX}" '
            f'fill="{TEXT}">{_esc(label)}</text>'
        )
        x = label_px
        for j, s in enumerate(series):
            value = float(s["values"][i])
            width = bar_area * value / top
            if width > 0:
                colour = PALETTE[j % len(PALETTE)]
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 2:.0f}" width="{width:.1f}" height="{BAR_PX - 2}" fill="{colour}"/>'
                )
                if stacked and width > 1.5:  # a white gap tells stacked parts apart besides their colour
                    body.append(
                        f'<line x1="{x + width:.1f}" y1="{y + 2:.0f}" x2="{x + width:.1f}" y2="{y + BAR_PX:.0f}" '
                        f'stroke="#ffffff" stroke-width="1.5"/>'
                    )
            x += width
        body.append(
            f'<text x="{x + 6:.1f}" y="{y + BAR_PX - 5:.0f}" font-size="{FONT_PX}" fill="{TEXT}">'
            f"{_esc(number_text(totals[i]))}</text>"
        )
    height = y0 + len(labels) * ROW_PX + 4
    return _svg(chart["key"], chart["title"], height, body)


def _nice_top(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at least ``value``."""
    if value <= 0:
        return 1.0
    power = 1.0
    while power * 10 <= value:
        power *= 10
    while power > value:
        power /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def line_chart(chart: dict[str, Any]) -> Markup:
    """``line`` charts: one line per series over the labels (months), values written at each point."""
    labels: list[str] = list(chart["labels"])
    series: list[dict[str, Any]] = list(chart["series"])
    values = [float(v) for s in series for v in s["values"]]
    top = _nice_top(max(values, default=0.0))
    left, right, head, foot = 60.0, 36.0, 40.0 if len(series) > 1 else 24.0, 36.0
    plot_h = 220.0
    plot_w = WIDTH - left - right
    body: list[str] = []
    if len(series) > 1:
        body += _legend([s["name"] for s in series], 16)
    for k in range(5):
        value = top * k / 4
        y = head + plot_h - plot_h * k / 4
        body.append(
            f'<line x1="{left:.0f}" y1="{y:.1f}" x2="{WIDTH - right:.0f}" y2="{y:.1f}" stroke="{GRID}" '
            f'stroke-width="{1 if k == 0 else 0.5}"/>'
        )
        body.append(
            f'<text x="{left - 8:.0f}" y="{y + 5:.1f}" text-anchor="end" font-size="{FONT_PX - 1}" '
            f'fill="{TEXT}">{_esc(number_text(value))}</text>'
        )
    step = plot_w / max(1, len(labels) - 1) if len(labels) > 1 else 0.0

    def x_of(i: int) -> float:
        return left + (i * step if len(labels) > 1 else plot_w / 2)

    for i, label in enumerate(labels):
        body.append(
            f'<text x="{x_of(i):.1f}" y="{head + plot_h + 24:.0f}" text-anchor="middle" font-size="{FONT_PX - 1}" '
            f'fill="{TEXT}">{_esc(label)}</text>'
        )
    for j, s in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        points = [(x_of(i), head + plot_h - plot_h * float(v) / top) for i, v in enumerate(s["values"])]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3"/>')
        for (x, y), v in zip(points, s["values"], strict=True):
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>')
            body.append(
                f'<text x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle" font-size="{FONT_PX - 1}" '
                f'fill="{TEXT}">{_esc(number_text(float(v)))}</text>'
            )
    return _svg(chart["key"], chart["title"], head + plot_h + foot, body)


def gauge(chart: dict[str, Any]) -> Markup:
    """``gauge`` charts: one value out of 100 as a filled bar with the percentage written beside it."""
    value = max(0.0, min(100.0, float(chart["series"][0]["values"][0])))
    bar_w = WIDTH - 80
    body = [
        f'<rect x="0" y="4" width="{bar_w}" height="24" fill="{TRACK}" stroke="{GRID}" stroke-width="1"/>',
        f'<rect x="0" y="4" width="{bar_w * value / 100:.1f}" height="24" fill="{PALETTE[0]}"/>',
        f'<text x="{bar_w + 10}" y="22" font-size="{FONT_PX + 2}" font-weight="700" fill="{TEXT}">'
        f"{_esc(number_text(round(value, 1)))}%</text>",
    ]
    return _svg(chart["key"], chart["title"], 34, body)


def chart_svg(chart: dict[str, Any]) -> Markup:
    """The SVG of one chart of :func:`planner.report.dashboard.dashboard_data`."""
    kind = chart["kind"]
    if kind in ("bar", "stacked_bar"):
        return horizontal_bars(chart)
    if kind == "line":
        return line_chart(chart)
    if kind == "gauge":
        return gauge(chart)
    raise ValueError(f"unknown chart kind {kind!r}")


def chart_rows(chart: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The chart's numbers as table rows: (label, one text per series)."""
    rows = []
    for i, label in enumerate(chart["labels"]):
        rows.append((label, [number_text(float(s["values"][i])) for s in chart["series"]]))
    return rows
