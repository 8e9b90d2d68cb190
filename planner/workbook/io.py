"""Read and write the event workbook (a folder of CSV files or one .xlsx).

Reading never stops at the first problem: every cell, row and cross-file
error is collected as a :class:`CellError` (file, spreadsheet row, column,
message) and the whole workbook is rejected with all of them at once.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from planner.messages import DATE, N_, NUMBER, Message, MessageError, Template
from planner.workareas.schema import WORKAREA_FILES
from planner.workbook.schema import FILES, PLAN_FILES, PLANNING_FILES, Column, FileSpec


def input_files() -> tuple[FileSpec, ...]:
    """Every sheet a workbook may hold as input: planning files, then work-area sheets."""
    return PLANNING_FILES + WORKAREA_FILES


def all_files() -> tuple[FileSpec, ...]:
    """Input sheets and plan files, in the order they are written."""
    return input_files() + PLAN_FILES


ID_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
LANG_RE = re.compile(r"^[A-Za-z]{2}$")
COUNTRY_RE = re.compile(r"^[A-Z]{3}$")
# Control characters no spreadsheet cell (XML 1.0) and no PostgreSQL text (NUL) can hold; tab and line breaks may stay.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
TRUE_WORDS = {"yes", "true", "1", "是"}
FALSE_WORDS = {"no", "false", "0", "否"}
FORMULA_CHARS = ("=", "+", "-", "@")

# What a rejected workbook is told, as message templates (planner.messages): ``str()`` of each
# message is the English text; the web shows it in Chinese. ``value`` is the cell as typed (repr).
NOT_YES_NO = Template(N_("expected yes/no, true/false, 1/0 or 是/否, got %(value)s"))
NOT_TIME = Template(N_("expected a time HH:MM (24 h), got %(value)s"))
NOT_DATE = Template(N_("expected a date YYYY-MM-DD, got %(value)s"))
NO_SUCH_DATE = Template(N_("no such date: %(value)s"))
DATE_OUT_OF_RANGE = Template(N_("%(value)s is not between %(first)s and %(last)s"), first=DATE, last=DATE)
NOT_DATETIME = Template(N_("expected YYYY-MM-DD HH:MM, got %(value)s"))
NOT_REF_ID = Template(N_("%(value)s is not a valid id"))
NOT_ID = Template(N_("%(value)s is not a valid id (1-64 of A-Z a-z 0-9 _ . -)"))
NOT_WHOLE = Template(N_("expected a whole number, got %(value)s"))
NOT_NUMBER = Template(N_("expected a number, got %(value)s"))
NOT_FINITE = Template(N_("expected a finite number, got %(value)s"))
BAD_LATITUDE = Template(N_("latitude must be between -90 and 90, got %(value)s"))
BAD_LONGITUDE = Template(N_("longitude must be between -180 and 180, got %(value)s"))
NOT_AMOUNT = Template(N_("expected an amount in CNY, got %(value)s"))
AMOUNT_DECIMALS = Template(N_("an amount in CNY has at most 2 decimals, got %(value)s"))
AMOUNT_TOO_LARGE = Template(N_("an amount in CNY is at most %(most)s, got %(value)s"), most=NUMBER)
NOT_COUNTRY = Template(N_("expected an ISO 3166-1 alpha-3 code such as CHN, got %(value)s"))
EMPTY_LIST = Template(N_("the list is empty"))
NOT_LANGUAGE = Template(N_("not an ISO 639-1 language code: %(values)s"))
UNKNOWN_VALUE = Template(N_("unknown value %(value)s; allowed: %(allowed)s"))
NOT_IDS = Template(N_("not a valid id: %(values)s"))
TOO_SMALL = Template(N_("must be at least %(minimum)s, got %(value)s"))
TOO_LARGE = Template(N_("must be at most %(maximum)s, got %(value)s"))
NOT_TEXT = Template(N_("not UTF-8 or GB18030 text"))
CANNOT_READ = Template(N_("cannot read: %(reason)s"))
NOT_CSV = Template(N_("not a valid CSV file: %(reason)s"))
NOT_XLSX = Template(N_("not a readable .xlsx file: %(reason)s"))
REMOVED_BUT_CHECKED_IN = Template(
    N_("%(id)s is not in this %(file)s, but %(count)s check-ins (hours worked) name it: keep its row"),
    count=NUMBER,
)
FORMULA_WITHOUT_VALUE = Template(
    N_("the formula %(formula)s has no saved value: open and save the file in a spreadsheet program, or type the value")
)
NOT_WORKBOOK = Template(N_("expected a folder of CSV files or an .xlsx file"))
NAMELESS_COLUMN = Template(N_("a column has no name"))
COLUMN_TWICE = Template(N_("column appears twice"))
UNKNOWN_COLUMN = Template(N_("unknown column (allowed: %(allowed)s; own columns start with x_)"))
MISSING_COLUMN = Template(N_("required column is missing"))
ROW_TOO_LONG = Template(N_("row has %(cells)s cells but the header has %(header)s"), cells=NUMBER, header=NUMBER)
EMPTY_VALUE = Template(N_("required value is empty"))
NOT_ONE_ROW = Template(N_("must have exactly one row, has %(rows)s"), rows=NUMBER)
MISSING_FILE = Template(N_("required file is missing"))
CONTROL_CHARACTER = Template(N_("contains a control character (%(char)s) that cannot be stored; remove it"))

MESSAGES: tuple[Template, ...] = tuple(t for t in list(globals().values()) if isinstance(t, Template))
"""Every template of this module, for :func:`planner.messages.recognise`."""


@dataclass(frozen=True, order=True)
class CellError:
    """One problem in an input file: spreadsheet row (header = 1) and column.

    ``message`` is the English text; ``detail``, when the planner wrote the
    message, is the same as a :class:`~planner.messages.Message` (template and
    values) that the web translates. Errors compare by their English text only.
    """

    file: str
    row: int
    column: str
    message: str
    detail: Message | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, file: str, row: int, column: str, message: Message) -> CellError:
        """The error saying ``message`` (its English as ``message``, itself as ``detail``)."""
        return cls(file, row, column, str(message), message)

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class WorkbookRejected(Exception):
    """The workbook has errors; nothing was loaded."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__(f"{len(self.errors)} error(s) in the workbook")


@dataclass
class Workbook:
    """A parsed workbook: rows of typed values per file.

    ``tables[file]`` is a list of dicts keyed by column name; a column that
    was not given holds ``None``. ``x_`` columns are kept as text under their
    own names, and ``extra_columns[file]`` lists them in order. ``row_numbers``
    holds the spreadsheet row each parsed row came from, for error messages.
    """

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    extra_columns: dict[str, list[str]] = field(default_factory=dict)
    row_numbers: dict[str, list[int]] = field(default_factory=dict)

    def rows(self, file: str) -> list[dict[str, Any]]:
        return self.tables.get(file, [])

    def has(self, file: str) -> bool:
        return file in self.tables


# ------------------------------------------------------------------ cells


def _drop_formula_quote(text: str) -> str:
    if len(text) >= 2 and text[0] == "'" and text[1] in FORMULA_CHARS:
        return text[1:]
    return text


def split_list(text: str) -> tuple[str, ...]:
    """Split a `;` list, ignoring spaces around items and empty items."""
    return tuple(item.strip() for item in text.split(";") if item.strip())


def parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise MessageError(NOT_YES_NO(value=repr(text)))


def parse_time(text: str) -> time:
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise MessageError(NOT_TIME(value=repr(text)))
    return time(int(m.group(1)), int(m.group(2)))


# Amounts above a trillion CNY are typos; below it, cents survive a database that keeps them as REAL.
MAX_AMOUNT = Decimal(10**12)

# Dates a record of people living now can hold: a year typed as 9999 or 0207 is a typo, and would
# make every page that lists days from the first to the last one list thousands of years.
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2100, 12, 31)


def parse_date(text: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise MessageError(NOT_DATE(value=repr(text)))
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise MessageError(NO_SUCH_DATE(value=repr(text))) from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise MessageError(
            DATE_OUT_OF_RANGE(value=repr(text), first=FIRST_DATE.isoformat(), last=LAST_DATE.isoformat())
        )
    return day


def parse_datetime(text: str) -> datetime:
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})", text.strip())
    if not m:
        raise MessageError(NOT_DATETIME(value=repr(text)))
    return datetime.combine(parse_date(m.group(1)), parse_time(m.group(2)))


def parse_cell(col: Column, text: str) -> Any:
    """Parse one non-empty cell; raise ValueError with a plain message."""
    control = CONTROL_RE.search(text)
    if control:
        raise MessageError(CONTROL_CHARACTER(char=f"U+{ord(control.group()):04X}"))
    kind = col.kind
    value: Any
    if kind in ("str",) or kind.startswith("place:") or kind.startswith("ref:"):
        value = text
        if kind.startswith("ref:") and not ID_RE.match(text):
            raise MessageError(NOT_REF_ID(value=repr(text)))
    elif kind == "id":
        if not ID_RE.match(text):
            raise MessageError(NOT_ID(value=repr(text)))
        value = text
    elif kind == "int":
        t = text.strip()
        if not re.fullmatch(r"[+-]?\d+", t):
            raise MessageError(NOT_WHOLE(value=repr(text)))
        value = int(t)
    elif kind in ("float", "lat", "lon"):
        try:
            if "_" in text:  # float() reads "1_0" as 10
                raise ValueError(text)
            value = float(text.strip())
        except ValueError:
            raise MessageError(NOT_NUMBER(value=repr(text))) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise MessageError(NOT_FINITE(value=repr(text)))
        if kind == "lat" and not -90 <= value <= 90:
            raise MessageError(BAD_LATITUDE(value=text))
        if kind == "lon" and not -180 <= value <= 180:
            raise MessageError(BAD_LONGITUDE(value=text))
    elif kind == "money":
        try:
            if "_" in text:  # Decimal() reads "1_0" as 10
                raise InvalidOperation(text)
            value = Decimal(text.strip())
        except InvalidOperation:
            raise MessageError(NOT_AMOUNT(value=repr(text))) from None
        if not value.is_finite():
            raise MessageError(NOT_AMOUNT(value=repr(text)))
        if value.as_tuple().exponent < -2:  # type: ignore[operator]
            raise MessageError(AMOUNT_DECIMALS(value=text.strip()))
        if abs(value) > MAX_AMOUNT:
            raise MessageError(AMOUNT_TOO_LARGE(value=text.strip(), most=f"{MAX_AMOUNT:,}"))
    elif kind == "bool":
        value = parse_bool(text)
    elif kind == "date":
        value = parse_date(text)
    elif kind == "time":
        value = parse_time(text)
    elif kind == "datetime":
        value = parse_datetime(text)
    elif kind == "country":
        if not COUNTRY_RE.match(text.strip()):
            raise MessageError(NOT_COUNTRY(value=repr(text)))
        value = text.strip()
    elif kind in ("list", "langlist") or kind.startswith("reflist:") or kind.startswith("enumlist:"):
        value = split_list(text)
        if not value:
            raise MessageError(EMPTY_LIST())
        if kind == "langlist":
            bad = [v for v in value if not LANG_RE.match(v)]
            if bad:
                raise MessageError(NOT_LANGUAGE(values=", ".join(bad)))
        elif kind.startswith("enumlist:"):
            allowed = kind.split(":", 1)[1].split("|")
            bad = [v for v in value if v not in allowed]
            if bad:
                raise MessageError(UNKNOWN_VALUE(value=", ".join(bad), allowed=", ".join(allowed)))
        elif kind.startswith("reflist:"):
            bad = [v for v in value if not ID_RE.match(v)]
            if bad:
                raise MessageError(NOT_IDS(values=", ".join(bad)))
    elif kind.startswith("enum:"):
        allowed = kind.split(":", 1)[1].split("|")
        if text.strip() not in allowed:
            raise MessageError(UNKNOWN_VALUE(value=repr(text), allowed=", ".join(allowed)))
        value = text.strip()
    else:  # pragma: no cover - schema error
        raise AssertionError(f"unknown column kind {kind}")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if col.minimum is not None and value < col.minimum:
            raise MessageError(TOO_SMALL(minimum=f"{col.minimum:g}", value=text.strip()))
        if col.maximum is not None and value > col.maximum:
            raise MessageError(TOO_LARGE(maximum=f"{col.maximum:g}", value=text.strip()))
    return value


def format_cell(value: Any) -> str:
    """Write a typed value back as workbook text (no formula escaping)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) >= 1e15 else str(int(value))
    if isinstance(value, Decimal):
        # canonical: no trailing zeros, so 390 stored as 390.00 is written back as 390
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, (tuple, list)):
        return ";".join(str(v) for v in value)
    return str(value)


def escape_formula(text: str) -> str:
    """Prefix a text cell that a spreadsheet would take for a formula."""
    return "'" + text if text.startswith(FORMULA_CHARS) else text


# ----------------------------------------------------------------- reading


@dataclass
class RawSheet:
    """A file's cells as text, before parsing."""

    name: str
    source: str
    header: list[str]
    rows: list[tuple[int, list[str]]]


def decode_csv_bytes(data: bytes) -> str:
    """UTF-8 (BOM optional), else GB18030, as FORMAT.md allows."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _read_csv_text(name: str, source: str, text: str) -> RawSheet:
    reader = csv.reader(io.StringIO(text, newline=""))
    lines = list(reader)
    header = [h.strip() for h in lines[0]] if lines else []
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue  # blank line
        rows.append((number, cells))
    return RawSheet(name, source, header, rows)


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0:
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (date, time)):
        return format_cell(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of an .xlsx holds a formula element (a quick look before reading cells again)."""
    import zipfile

    tag = re.compile(rb"<(?:\w+:)?f[ />]")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml") and tag.search(archive.read(name)):
                return True
    return False


def _formulas_without_values(path: Path, blanks: dict[str, tuple[list[str], set[tuple[int, int]]]]) -> list[CellError]:
    """Cells read as empty that hold a formula no spreadsheet program has calculated (no saved value).

    Reading an .xlsx takes each formula's saved value; a file written by a
    program that saves formulas only (openpyxl, some exporters) would
    otherwise lose those cells without a word. Decided on the sheet's XML: a
    formula cell without a value, or with an empty one that is no text (a
    formula whose result is the empty text, ``=IF(...,"")``, saves ``t="str"``).
    """
    import xml.etree.ElementTree as ET
    import zipfile

    import openpyxl
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    if not any(cells for _header, cells in blanks.values()) or not _has_formulas(path):
        return []
    book = openpyxl.load_workbook(path, read_only=True)
    parts = {ws.title: ws._worksheet_path for ws in book.worksheets if ws.title in blanks}  # type: ignore[union-attr]
    book.close()
    errors = []
    with zipfile.ZipFile(path) as archive:
        for title, part in parts.items():
            header, cells = blanks[title]
            with archive.open(part) as fh:
                for _event, el in ET.iterparse(fh):
                    if el.tag.rsplit("}", 1)[-1] != "c":
                        continue
                    children = {child.tag.rsplit("}", 1)[-1]: child for child in el}
                    formula, value = children.get("f"), children.get("v")
                    unsaved = value is None or (not value.text and el.get("t") not in ("str", "s", "inlineStr"))
                    if formula is not None and unsaved and el.get("r"):
                        letters, number = coordinate_from_string(el.get("r"))
                        column = column_index_from_string(letters) - 1
                        if (number, column) in cells:
                            message = FORMULA_WITHOUT_VALUE(formula=f"={formula.text or ''}")
                            errors.append(CellError.of(f"{path.name}:{title}", number, header[column], message))
                    el.clear()
    return errors


def read_raw(path: Path, wanted: Iterable[FileSpec]) -> tuple[list[RawSheet], list[CellError]]:
    """Read the sheets of a workbook folder or .xlsx file as text cells."""
    wanted = list(wanted)
    errors: list[CellError] = []
    sheets: list[RawSheet] = []
    if path.is_dir():
        present = {p.stem: p for p in path.glob("*.csv")}
        for spec in wanted:
            file = present.get(spec.name)
            if file is None:
                continue
            try:
                text = decode_csv_bytes(file.read_bytes())
            except UnicodeDecodeError:
                errors.append(CellError.of(file.name, 0, "", NOT_TEXT()))
                continue
            except OSError as exc:
                errors.append(CellError.of(file.name, 0, "", CANNOT_READ(reason=exc.strerror)))
                continue
            try:
                sheets.append(_read_csv_text(spec.name, file.name, text))
            except csv.Error as exc:
                errors.append(CellError.of(file.name, 0, "", NOT_CSV(reason=str(exc))))
    elif path.suffix.lower() == ".xlsx" and path.is_file():
        import zipfile

        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            return [], [CellError.of(path.name, 0, "", NOT_XLSX(reason=str(exc)))]
        names = {ws.title: ws for ws in book.worksheets}
        unsaved: dict[str, tuple[list[str], set[tuple[int, int]]]] = {}
        for spec in wanted:
            ws = names.get(spec.name)
            if ws is None:
                continue
            it = ws.iter_rows(values_only=True)
            first = next(it, None)
            header = [_xlsx_text(v).strip() for v in (first or ())]
            while header and header[-1] == "":
                header.pop()
            rows = []
            blank_cells: set[tuple[int, int]] = set()  # (row, column) with no value: a formula never calculated?
            for number, values in enumerate(it, start=2):
                cells = [_xlsx_text(v) for v in values]
                if not any(c.strip() for c in cells):
                    continue
                rows.append((number, cells))
                blank_cells.update((number, i) for i, v in enumerate(values) if v is None and i < len(header))
            sheets.append(RawSheet(spec.name, f"{path.name}:{spec.name}", header, rows))
            unsaved[spec.name] = (header, blank_cells)
        book.close()
        errors += _formulas_without_values(path, unsaved)
    else:
        errors.append(CellError.of(str(path), 0, "", NOT_WORKBOOK()))
    return sheets, errors


def parse_sheet(
    spec: FileSpec, raw: RawSheet, errors: list[CellError]
) -> tuple[list[dict[str, Any]], list[int], list[str]]:
    """Turn a sheet's text cells into typed rows, collecting every error."""
    f = raw.source
    extras: list[str] = []
    seen: set[str] = set()
    for col in raw.header:
        if col == "":
            errors.append(CellError.of(f, 1, "", NAMELESS_COLUMN()))
        elif col in seen:
            errors.append(CellError.of(f, 1, col, COLUMN_TWICE()))
        elif col.startswith("x_"):
            extras.append(col)
        elif col not in spec.by_name:
            errors.append(CellError.of(f, 1, col, UNKNOWN_COLUMN(allowed=", ".join(spec.by_name))))
        seen.add(col)
    for spec_col in spec.columns:
        if spec_col.required and spec_col.name not in seen:
            errors.append(CellError.of(f, 1, spec_col.name, MISSING_COLUMN()))
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    for number, cells in raw.rows:
        if len(cells) > len(raw.header) and any(c.strip() for c in cells[len(raw.header) :]):
            errors.append(CellError.of(f, number, "", ROW_TOO_LONG(cells=len(cells), header=len(raw.header))))
        row: dict[str, Any] = {c.name: None for c in spec.columns}
        for i, name in enumerate(raw.header):
            text = _drop_formula_quote(cells[i]) if i < len(cells) else ""
            if name in extras:
                control = CONTROL_RE.search(text)
                if control:
                    errors.append(
                        CellError.of(f, number, name, CONTROL_CHARACTER(char=f"U+{ord(control.group()):04X}"))
                    )
                row[name] = text
                continue
            column = spec.by_name.get(name)
            if column is None:
                continue
            if text.strip() == "":
                if column.required:
                    errors.append(CellError.of(f, number, name, EMPTY_VALUE()))
                continue
            try:
                row[name] = parse_cell(column, text)
            except ValueError as exc:
                errors.append(CellError(f, number, name, str(exc), getattr(exc, "detail", None)))
        rows.append(row)
        numbers.append(number)
    if spec.single_row and len(rows) != 1:
        errors.append(CellError.of(f, 2 if rows else 1, "", NOT_ONE_ROW(rows=len(rows))))
    return rows, numbers, extras


def read_workbook(path: Path | str, *, plan: bool = False) -> Workbook:
    """Read and validate a workbook; raise :class:`WorkbookRejected` on any error.

    With ``plan=True`` the plan files (rooming, transport, ...) are read too.
    """
    from planner.workbook.validate import validate_workbook

    path = Path(path)
    specs = input_files() + (PLAN_FILES if plan else ())
    sheets, errors = read_raw(path, specs)
    wb = Workbook()
    by_name = {s.name: s for s in sheets}
    sources = {}
    for spec in specs:
        raw = by_name.get(spec.name)
        if raw is None:
            if spec.required:
                where = f"{spec.name}.csv" if path.is_dir() else f"{path.name}:{spec.name}"
                errors.append(CellError.of(where, 0, "", MISSING_FILE()))
            continue
        rows, numbers, extras = parse_sheet(spec, raw, errors)
        wb.tables[spec.name] = rows
        wb.row_numbers[spec.name] = numbers
        wb.extra_columns[spec.name] = extras
        sources[spec.name] = raw.source
    if not errors:
        errors.extend(validate_workbook(wb, sources))
    if errors:
        raise WorkbookRejected(errors)
    return wb


# ----------------------------------------------------------------- writing


def header_for(spec: FileSpec, wb: Workbook) -> list[str]:
    return [c.name for c in spec.columns] + wb.extra_columns.get(spec.name, [])


def iter_text_rows(spec: FileSpec, wb: Workbook) -> Iterator[list[str]]:
    header = header_for(spec, wb)
    for row in wb.rows(spec.name):
        yield [format_cell(row.get(name)) for name in header]


def write_csv_folder(wb: Workbook, folder: Path | str, files: Iterable[str] | None = None) -> list[Path]:
    """Write the workbook's files as UTF-8 CSV (formula-like text escaped)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in all_files():
        if spec.name not in wb.tables or (files is not None and spec.name not in files):
            continue
        target = folder / f"{spec.name}.csv"
        tmp = target.with_suffix(".csv.tmp")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header_for(spec, wb))
            for cells in iter_text_rows(spec, wb):
                w.writerow([escape_formula(c) for c in cells])
        tmp.replace(target)
        written.append(target)
    return written


def write_xlsx(wb: Workbook, target: Path | str) -> Path:
    """Write the workbook as one .xlsx, a sheet per file; text never becomes a formula."""
    import openpyxl

    target = Path(target)
    book = openpyxl.Workbook(write_only=True)
    for spec in all_files():
        if spec.name not in wb.tables:
            continue
        ws = book.create_sheet(spec.name)
        header = header_for(spec, wb)
        ws.append(header)
        kinds = {c.name: c.kind for c in spec.columns}
        for row in wb.rows(spec.name):
            out: list[Any] = []
            for name in header:
                v = row.get(name)
                if (
                    isinstance(v, (int, float))
                    and not isinstance(v, bool)
                    and kinds.get(name) in ("int", "float", "lat", "lon")
                ):
                    out.append(v)
                else:
                    out.append(_text_cell(ws, format_cell(v)))
            ws.append(out)
    tmp = target.with_suffix(".xlsx.tmp")
    book.save(tmp)
    tmp.replace(target)
    return target


def _text_cell(ws: Any, text: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if text == "":
        return None
    # text stored before control characters were refused: a visible U+FFFD instead of a failed download
    cell = WriteOnlyCell(ws, value=CONTROL_RE.sub("\ufffd", text))
    cell.data_type = "s"  # a string, even when it starts with '='
    return cell


__all__ = [
    "FILES",
    "all_files",
    "input_files",
    "CellError",
    "Workbook",
    "WorkbookRejected",
    "format_cell",
    "parse_cell",
    "read_workbook",
    "write_csv_folder",
    "write_xlsx",
]
