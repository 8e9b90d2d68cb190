"""The federation's half-year work summary, written from records.

``build_report(session, data, date_from, date_to, lang)`` computes every
figure from the work-area records (and the Games figures from the planning
data) and writes the seed's six sections; ``render_report(report, fmt, path)``
writes it as Markdown, HTML, PDF or DOCX.
"""

from planner.report.build import build_report, figure_table, load_records, resolve_period, write_report
from planner.report.figures import Figure, Period, RecordRef, compute_figures, latest_half_year
from planner.report.model import LANGS, Report
from planner.report.render import FORMATS, render_report

__all__ = [
    "FORMATS",
    "LANGS",
    "Figure",
    "Period",
    "RecordRef",
    "Report",
    "build_report",
    "compute_figures",
    "figure_table",
    "latest_half_year",
    "load_records",
    "render_report",
    "resolve_period",
    "write_report",
]
