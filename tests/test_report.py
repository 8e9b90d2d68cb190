"""The half-year report end to end: records in a database -> figures -> text -> files."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine

import planner.workareas.models  # noqa: F401  (register the tables)
from fixtures.workareas import generate_workareas
from planner.dataset import Dataset
from planner.report import Period, build_report, render_report
from planner.report.chinese import T2S
from planner.report.render import id_ranges, to_html, to_markdown
from planner.workareas.models import WORKAREA_TABLES, Petition
from tests.test_report_figures import _games_workbook, row

H1_FROM, H1_TO = date(2007, 1, 1), date(2007, 6, 30)
LANGS = ("zh-Hans", "zh-Hant", "en")


def memory_engine() -> Engine:
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    return engine


def store(engine: Engine, records: dict[str, list[dict[str, Any]]]) -> None:
    """Insert typed rows into the work-area tables (keeping their order in ``seq``)."""
    with Session(engine) as session:
        for sheet, rows in records.items():
            if rows:
                model = WORKAREA_TABLES[sheet]
                session.execute(insert(model), [{**r, "seq": i} for i, r in enumerate(rows, start=1)])
        session.commit()


@pytest.fixture(scope="module")
def demo_engine() -> Iterator[Engine]:
    """An in-memory database holding the district demo's work-area records."""
    engine = memory_engine()
    store(engine, generate_workareas(seed=0))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def games_data() -> Dataset:
    """The district fixture's planning data when its generator is there, else a tiny event."""
    try:
        from fixtures.generate import generate
    except ImportError:
        return Dataset.from_workbook(_games_workbook())
    return Dataset.from_workbook(generate("district"))


def report_for(engine: Engine, data: Dataset | None, lang: str = "zh-Hans", **period: date) -> Any:
    with Session(engine) as session:
        return build_report(session, data, period.get("date_from", H1_FROM), period.get("date_to", H1_TO), lang)


# ------------------------------------------------------------------ the demo


@pytest.mark.parametrize("lang", LANGS)
def test_demo_report_fills_every_figure_from_records(demo_engine: Engine, games_data: Dataset, lang: str) -> None:
    report = report_for(demo_engine, games_data, lang)
    text = report.text()
    markdown = to_markdown(report)
    assert "***" not in text and "***" not in markdown and "\\*\\*\\*" not in markdown
    used = report.used_keys()
    assert len(used) > 80
    assert [k for k in used if not report.figures[k].has_records] == []
    assert "本期無記錄" not in text and "本期无记录" not in text and "no records" not in text
    assert len(report.sections) == 6
    # every figure is in the appendix with its records
    for key in used:
        assert f'id="fig-{key.replace(".", "-").replace("_", "-")}"' in markdown


def test_demo_report_keeps_the_seed_order_and_wording(demo_engine: Engine, games_data: Dataset) -> None:
    report = report_for(demo_engine, games_data, "zh-Hant")
    titles = [s.title for s in report.sections]
    assert titles == [
        "一、社會環境有新的改善。",
        "二、特奧會工作得到全面推進。",
        "三、勞動就業和社會保障工作有新的進展。",
        "四、“陽光之家”管理有新的完善。",
        "五、康復工作有新的拓展。",
        "六、維穩工作有新的加強。",
    ]
    assert report.title == "區殘聯的上半年工作總結"
    text = report.text()
    fig = report.figures
    assert f"接待來訪{fig['petitions.visit_batches'].value}批{fig['petitions.visit_people'].value}人次" in text
    assert "無一例越級上訪和集訪事件" in text
    assert f"確定了{fig['games.hotels_approved'].value}個賓館（招待所）{fig['games.beds_approved'].value}個牀位" in text


def test_simplified_report_has_no_traditional_characters_of_the_table(demo_engine: Engine, games_data: Dataset) -> None:
    text = report_for(demo_engine, games_data, "zh-Hans").text()
    assert "区残联的上半年工作总结" in text
    assert sorted({ch for ch in text if ch in T2S}) == []


def test_money_is_written_in_ten_thousands_in_chinese_and_in_yuan_in_english(
    demo_engine: Engine, games_data: Dataset
) -> None:
    zh_report = report_for(demo_engine, games_data, "zh-Hans")
    en_report = report_for(demo_engine, games_data, "en")
    amount = zh_report.figures["outreach.amount_cny"].value
    assert f"慰问金额达{amount / 10000:.2f}万元" in zh_report.text()
    assert f"CNY {amount:,.0f}" in en_report.text()


# ------------------------------------------------- one more petition record


def _petition_change(engine: Engine, extra: dict[str, Any]) -> set[str]:
    """Figure keys whose value changes when ``extra`` is added (the database is left as it was)."""
    data = Dataset.from_workbook(_games_workbook())
    with Session(engine) as session:
        before = build_report(session, data, H1_FROM, H1_TO, "zh-Hans").figure_values()
        session.add(Petition(**extra))
        session.flush()
        after = build_report(session, data, H1_FROM, H1_TO, "zh-Hans").figure_values()
        session.rollback()
    assert before.keys() == after.keys()
    return {k for k in before if before[k] != after[k]}


def test_adding_one_open_visit_changes_exactly_the_visit_and_resolution_figures(demo_engine: Engine) -> None:
    visit = row("petitions", id="PT9999", date="2007-06-28", channel="visit", people=3, petitioner="某")
    changed = _petition_change(demo_engine, visit)
    assert changed == {
        "petitions.visit_batches",
        "petitions.visit_people",
        "petitions.resolved_pct",
        "petitions.visits_resolved_pct",
    }


def test_adding_one_answered_phone_call_changes_only_the_phone_figure(demo_engine: Engine) -> None:
    call = row("petitions", id="PT9998", date="2007-03-03", channel="phone", resolved_on="2007-03-03")
    assert _petition_change(demo_engine, call) == {"petitions.phone_people"}


def test_adding_a_petition_outside_the_period_changes_nothing(demo_engine: Engine) -> None:
    letter = row("petitions", id="PT9997", date="2007-07-03", channel="letter")
    assert _petition_change(demo_engine, letter) == set()


def test_an_escalation_is_reported_instead_of_none(demo_engine: Engine, games_data: Dataset) -> None:
    engine = memory_engine()
    store(
        engine,
        {
            "petitions": [
                row("petitions", id="P1", date="2007-02-01", channel="visit", escalated=True, resolved_on="2007-02-02")
            ]
        },
    )
    text = report_for(engine, games_data, "zh-Hant").text()
    assert "發生越級上訪1例、集訪0例" in text and "無一例" not in text


# ------------------------------------------------------------ no records


@pytest.mark.parametrize(
    "lang,words", [("zh-Hant", "本期無記錄"), ("zh-Hans", "本期无记录"), ("en", "no records in this period")]
)
def test_an_empty_period_says_so_instead_of_inventing_figures(lang: str, words: str) -> None:
    engine = memory_engine()
    report = report_for(engine, None, lang)
    text = report.text()
    assert words in text
    assert all(f.value is None for f in report.figures.values())
    body = "".join(report.paragraph_text(p) for s in report.sections for p in s.paragraphs)
    assert not re.search(r"\d", body), "a number was printed with no record behind it"


def test_without_dates_the_latest_half_year_with_records_is_reported(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        report = build_report(session, None, None, None, "en")
    assert report.period == Period(H1_FROM, H1_TO)
    assert "First Half of 2007" in report.title


def test_a_period_without_records_and_without_dates_is_an_error() -> None:
    with Session(memory_engine()) as session, pytest.raises(ValueError, match="no dated work-area records"):
        build_report(session, None, None, None, "en")


# ------------------------------------------------------------- rendering


def test_id_ranges_join_consecutive_numbers_only() -> None:
    from planner.report.figures import RecordRef

    refs = [RecordRef("petitions", i) for i in ("PT0001", "PT0002", "PT0003", "PT0005", "X")] + [
        RecordRef("rooms", "H1/101"),
        RecordRef("rooms", "H1/102"),
    ]
    assert id_ranges(refs) == ["petitions/PT0001–PT0003", "petitions/PT0005", "petitions/X", "rooms/H1/101–H1/102"]


def test_html_links_each_figure_to_its_records(demo_engine: Engine, games_data: Dataset) -> None:
    report = report_for(demo_engine, games_data, "zh-Hant")
    page = to_html(report)
    assert '<html lang="zh-Hant">' in page
    for key in report.used_keys():
        anchor = "fig-" + key.replace(".", "-").replace("_", "-")
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    letters = report.figures["petitions.letters"]
    first = letters.records[0]
    assert f"<code>{first}</code>" in page  # the record itself is listed under the figure


@pytest.fixture(scope="module")
def small_report() -> Any:
    """A short zh-Hans report (a few sheets) for the file formats."""
    engine = memory_engine()
    store(
        engine,
        {
            "federation": [
                row(
                    "federation",
                    id="F",
                    name="Fed",
                    name_zh="江灣區殘疾人聯合會",
                    district="Jiangwan",
                    district_zh="江灣區",
                    city_zh="上海",
                    city="Shanghai",
                )
            ],
            "petitions": [
                row("petitions", id=f"P{i}", date="2007-03-01", channel="letter", resolved_on="2007-03-02")
                for i in range(1, 4)
            ],
            "job_placements": [row("job_placements", id="J1", date="2007-02-01", person="王明", employer="某公司")],
        },
    )
    return report_for(engine, Dataset.from_workbook(_games_workbook()), "zh-Hans")


def test_markdown_file(tmp_path: Path, small_report: Any) -> None:
    path = render_report(small_report, "md", tmp_path / "r.md")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 区残联的上半年工作总结")
    assert "共受理来信[3](#fig-petitions-letters)件" in text
    assert "petitions/P1–P3" in text


def test_docx_opens_and_holds_the_chinese_text_with_an_east_asian_font(tmp_path: Path, small_report: Any) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    from planner.report.render import to_docx

    path = to_docx(small_report, tmp_path / "r.docx", embed_font=False)
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "区残联的上半年工作总结" in text
    assert "共受理来信3件" in text
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"Noto Serif CJK SC"}


@pytest.mark.slow
def test_docx_embeds_a_subset_of_the_cjk_font_holding_its_characters(tmp_path: Path, small_report: Any) -> None:
    import io
    import zipfile

    from fontTools.ttLib import TTFont
    from lxml import etree

    from planner.report.render import find_font_file, obfuscate_font

    if find_font_file("Noto Serif CJK SC") is None:
        pytest.skip("the Noto CJK fonts are not installed (Debian package fonts-noto-cjk)")
    path = render_report(small_report, "docx", tmp_path / "r.docx")
    with zipfile.ZipFile(path) as z:
        table = etree.fromstring(z.read("word/fontTable.xml"))
        rels = etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))
        ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
        (embed,) = table.findall(".//w:font[@w:name='Noto Serif CJK SC']/w:embedRegular", ns)
        rid = embed.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        key = embed.get(f"{{{ns['w']}}}fontKey")
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        blob = z.read("word/" + target)
        assert b"embedTrueTypeFonts" in z.read("word/settings.xml")
    font = TTFont(io.BytesIO(obfuscate_font(blob, key)))  # obfuscation is its own inverse
    cmap = font.getBestCmap()
    assert all(ord(ch) in cmap for ch in "区残联的上半年工作总结来信")
    assert len(cmap) < 2000  # a subset, not the whole font


def _pdf_tools() -> None:
    for tool in ("pdftoppm", "pdffonts", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian package poppler-utils)")


@pytest.mark.slow
def test_pdf_embeds_a_cjk_font_and_shows_chinese(tmp_path: Path, small_report: Any) -> None:
    _pdf_tools()
    from PIL import Image

    path = render_report(small_report, "pdf", tmp_path / "r.pdf")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, f"no CJK font in the PDF:\n{fonts}"
    assert all(" yes yes " in line for line in cjk), f"CJK font not embedded as a subset:\n{fonts}"
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "区残联的上半年工作总结" in text and "第 1 页" in text
    subprocess.run(
        ["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "page")], check=True
    )
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    width, height = image.size
    title_band = image.crop((0, int(height * 0.05), width, int(height * 0.15)))
    dark = sum(title_band.histogram()[:128])
    assert dark > 200, f"only {dark} dark pixels where the title should be"
    blank_margin = image.crop((0, 0, int(width * 0.05), height))
    assert sum(blank_margin.histogram()[:128]) == 0


def test_render_rejects_an_unknown_format(tmp_path: Path, small_report: Any) -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        render_report(small_report, "rtf", tmp_path / "r.rtf")


# ------------------------------------------------------------- dashboard


def test_dashboard_shows_the_report_figures_and_monthly_charts(demo_engine: Engine, games_data: Dataset) -> None:
    import json

    from planner.report.dashboard import build_dashboard

    with Session(demo_engine) as session:
        board = build_dashboard(session, games_data, H1_FROM, H1_TO, "en")
        report = build_report(session, games_data, H1_FROM, H1_TO, "en")
    json.dumps(board)  # plain data only
    shown = {f["key"]: f for s in board["sections"] for f in s["figures"]}
    assert set(shown) == {k for k in report.used_keys() if not k.startswith("federation.")}
    assert shown["petitions.letters"]["value"] == report.figures["petitions.letters"].value
    charts = {c["key"]: c for c in board["charts"]}
    petitions = charts["petitions_by_month"]
    assert len(petitions["labels"]) == 6
    by_name = {s["name"]: s["values"] for s in petitions["series"]}
    assert sum(by_name["Letters"]) == report.figures["petitions.letters"].value
    assert sum(by_name["Visits"]) == report.figures["petitions.visit_batches"].value
    assert charts["vehicle_inspection"]["series"][0]["values"] == [100.0]
    assert sum(charts["rehab_by_kind"]["series"][0]["values"]) == sum(
        report.figures[f"rehab.{k}"].value
        for k in (
            "child_rehab_card",
            "assistive_device",
            "cataract_surgery",
            "hearing_aid",
            "foster_care",
            "cochlear_implant",
            "prosthesis",
        )
    )
