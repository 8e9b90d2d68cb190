"""The report as a structure: sections of paragraphs of text and figure references.

Renderers (Markdown, HTML, PDF, DOCX) only walk this structure; the wording
is decided in :mod:`planner.report.text` and every number comes from a
:class:`~planner.report.figures.Figure`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from planner.report.chinese import to_simplified, to_traditional
from planner.report.figures import Figure, Period, RecordRef

LANGS = ("zh-Hans", "zh-Hant", "en")


@dataclass(frozen=True)
class FigureRef:
    """A figure's value, in the text."""

    key: str


@dataclass(frozen=True)
class FigureText:
    """Words that state a figure without its number (e.g. "no escalation"), linked to it."""

    key: str
    text: str


Part = str | FigureRef | FigureText


@dataclass
class Paragraph:
    parts: list[Part] = field(default_factory=list)

    def figure_keys(self) -> list[str]:
        return [p.key for p in self.parts if isinstance(p, (FigureRef, FigureText))]


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[Paragraph]


@dataclass
class Report:
    """A written report.

    Attributes:
        lang: ``zh-Hans``, ``zh-Hant`` or ``en``.
        title: the heading.
        subtitle: who and which period.
        period: the period reported on.
        intro: paragraphs before the first section.
        sections: the six sections of the federation's summary, in its order.
        figures: every figure, by key (also those the text does not show).
        labels: figure key -> what it counts, in ``lang``.
        record_notes: one line describing each record a figure refers to.
    """

    lang: str
    title: str
    subtitle: str
    period: Period
    intro: list[Paragraph]
    sections: list[Section]
    figures: dict[str, Figure]
    labels: dict[str, str]
    record_notes: dict[RecordRef, str] = field(default_factory=dict)

    def figure_values(self) -> dict[str, object]:
        """Figure key -> value (for comparing two runs)."""
        return {k: f.value for k, f in self.figures.items()}

    def used_keys(self) -> list[str]:
        """Keys of the figures the text shows, in order of first appearance."""
        seen: dict[str, None] = {}
        for para in self.intro + [p for s in self.sections for p in s.paragraphs]:
            for key in para.figure_keys():
                seen.setdefault(key, None)
        return list(seen)

    def text(self) -> str:
        """The report as plain text (figures formatted, no links)."""
        lines = [self.title, self.subtitle, ""]
        for para in self.intro:
            lines.append(self.paragraph_text(para))
        for section in self.sections:
            lines += ["", section.title]
            lines += [self.paragraph_text(p) for p in section.paragraphs]
        return "\n".join(lines)

    def paragraph_text(self, para: Paragraph) -> str:
        return "".join(self.part_text(p) for p in para.parts)

    def part_text(self, part: Part) -> str:
        if isinstance(part, str):
            return part
        if isinstance(part, FigureText):
            return part.text
        return format_figure(self.figures[part.key], self.lang, self.period)


# ------------------------------------------------------------- formatting

NO_RECORDS = {"zh-Hant": "本期無記錄", "en": "no records in this period"}
FALLBACK_NAMES = {
    "federation.district": {"zh-Hant": "本區", "en": "the district"},
    "federation.city": {"zh-Hant": "本市", "en": "the city"},
}
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DIGITS_ZH = "零一二三四五六七八九"


def zh(text: str, lang: str) -> str:
    """Text authored in Traditional characters, in the report's script."""
    return to_simplified(text) if lang == "zh-Hans" else text


def no_records_words(lang: str) -> str:
    if lang == "en":
        return NO_RECORDS["en"]
    return zh(NO_RECORDS["zh-Hant"], lang)


def chinese_numeral(n: int) -> str:
    """1..9999 in Chinese numerals (十七, 一百零五)."""
    if n <= 0 or n >= 10000:
        return str(n)
    units = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
    out, zero_pending, started = "", False, False
    for size, name in units:
        digit = n // size % 10
        if digit == 0:
            zero_pending = started
            continue
        if zero_pending:
            out += "零"
            zero_pending = False
        out += ("" if size == 10 and digit == 1 and not started else DIGITS_ZH[digit]) + name
        started = True
    return out


def ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_date(day: date, lang: str, period: Period | None = None) -> str:
    if lang == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    if period is not None and day.year == period.end.year:
        return f"{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"


def format_number(value: float | int | Decimal, lang: str, places: int = 0) -> str:
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{q:,.{places}f}" if lang == "en" else f"{q:.{places}f}"


def format_percent(value: float, lang: str) -> str:
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return str(int(rounded)) if rounded == rounded.to_integral_value() else str(rounded)


def format_value(fig: Figure, lang: str, period: Period | None = None) -> str:
    """The figure's value as the text shows it (Chinese money in 萬元, without the unit word)."""
    v = fig.value
    if v is None:
        return no_records_words(lang)
    unit = fig.unit
    if unit == "cny":
        assert isinstance(v, Decimal)
        return f"CNY {format_number(v, 'en', 0)}" if lang == "en" else format_number(v / 10000, lang, 2)
    if unit == "percent":
        assert isinstance(v, (int, float))
        return format_percent(float(v), lang)
    if unit == "ordinal":
        assert isinstance(v, int)
        return ordinal_en(v) if lang == "en" else chinese_numeral(v)
    if unit == "year":
        return str(v)
    if unit == "date":
        assert isinstance(v, date)
        return format_date(v, lang, period)
    if unit == "month":
        assert isinstance(v, str)
        year, month = (int(x) for x in v.split("-"))
        return f"in {MONTHS_EN[month - 1]}" if lang == "en" else f"{month}月份"
    if unit in ("name", "names"):
        texts = fig.texts or ((str(v), str(v)),)
        if lang == "en":
            items = [en for _, en in texts]
            return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
        convert = to_simplified if lang == "zh-Hans" else to_traditional
        return "、".join(convert(z) for z, _ in texts)
    assert isinstance(v, (int, float, Decimal))
    return format_number(v, lang, 0)


def format_figure(fig: Figure, lang: str, period: Period | None = None) -> str:
    """As :func:`format_value`, with the district's and city's own words when no federation row is given."""
    if fig.value is None and fig.key in FALLBACK_NAMES:
        words = FALLBACK_NAMES[fig.key]
        return words["en"] if lang == "en" else zh(words["zh-Hant"], lang)
    return format_value(fig, lang, period)


def format_with_unit(fig: Figure, lang: str, period: Period | None = None) -> str:
    """The value with its unit, for tables and the appendix (``35.68 萬元``, ``92%``)."""
    text = format_value(fig, lang, period)
    if fig.value is None:
        return text
    if fig.unit == "cny" and lang != "en":
        return text + zh("萬元", lang)
    if fig.unit == "percent":
        return text + "%"
    if fig.unit == "days":
        return text + (" days" if lang == "en" else "天")
    return text
