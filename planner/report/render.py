"""Write a :class:`~planner.report.model.Report` as Markdown, HTML, PDF or DOCX.

Every figure in the text links to the appendix (HTML, and anchors in
Markdown), where each figure is listed with the records it was computed
from. Long lists of ids are written as ranges (``PT0001–PT0046``) so the
appendix stays readable; each range stands for exactly the ids in it.

PDF is rendered by WeasyPrint from the HTML with a CJK font (Noto CJK from
the ``fonts-noto-cjk`` Debian package); DOCX by python-docx with the East
Asian font set on every run (``w:eastAsia``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

from planner.report.figures import RecordRef
from planner.report.model import FigureRef, FigureText, Paragraph, Report, format_with_unit, zh

FORMATS = ("md", "html", "pdf", "docx")

# Font families by language; the first is the one embedded, the rest are fallbacks.
FONTS = {
    "zh-Hans": ("Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", "serif"),
    "zh-Hant": ("Noto Serif CJK TC", "Noto Sans CJK TC", "Source Han Serif TC", "PMingLiU", "serif"),
    "en": ("Noto Serif", "DejaVu Serif", "Noto Serif CJK SC", "serif"),
}
DOCX_LATIN_FONT = "Times New Roman"

WORDS = {
    "appendix": ("附錄：數字與記錄", "Appendix: figures and their records"),
    "appendix_intro": (
        "每個數字都由下列記錄計算得出（表名/記錄編號；“–”表示連續編號的全部記錄）。",
        "Each figure is computed from the records listed (sheet/record id; a range “A–B” means every id from A to B).",
    ),
    "records": ("條記錄", "records"),
    "no_records": ("本期無記錄", "no records in this period"),
    "details": ("記錄明細", "Record details"),
    "key": ("鍵", "key"),
    "page": ("第 {page} 頁，共 {pages} 頁", "page {page} of {pages}"),
}


def word(name: str, lang: str) -> str:
    zh_text, en_text = WORDS[name]
    return en_text if lang == "en" else zh(zh_text, lang)


def anchor(key: str) -> str:
    return "fig-" + key.replace(".", "-").replace("_", "-")


def appendix_keys(report: Report) -> list[str]:
    """Figures of the appendix: those the text shows, then the others, in report order."""
    used = report.used_keys()
    return used + [k for k in report.figures if k not in used]


# ---------------------------------------------------------------- id ranges

_NUMBERED = re.compile(r"^(.*?)(\d+)$")


def id_ranges(refs: Iterable[RecordRef]) -> list[str]:
    """Record refs as ``sheet/id`` texts, consecutive numbered ids joined as ``sheet/A–B``."""
    by_sheet: dict[str, list[str]] = {}
    for ref in refs:
        by_sheet.setdefault(ref.sheet, []).append(ref.id)
    out: list[str] = []
    for sheet, ids in by_sheet.items():
        numbered: dict[tuple[str, int], list[int]] = {}
        plain: list[str] = []
        for rid in ids:
            m = _NUMBERED.match(rid)
            if m:
                numbered.setdefault((m.group(1), len(m.group(2))), []).append(int(m.group(2)))
            else:
                plain.append(rid)
        for (prefix, width), numbers in sorted(numbered.items()):
            numbers = sorted(set(numbers))
            start = prev = numbers[0]
            for n in numbers[1:] + [None]:  # type: ignore[list-item]
                if n is not None and n == prev + 1:
                    prev = n
                    continue
                first, last = f"{prefix}{start:0{width}d}", f"{prefix}{prev:0{width}d}"
                out.append(f"{sheet}/{first}" if start == prev else f"{sheet}/{first}–{last}")
                if n is not None:
                    start = prev = n
        out += [f"{sheet}/{rid}" for rid in sorted(plain)]
    return out


# ------------------------------------------------------------------ Markdown


def to_markdown(report: Report) -> str:
    """The report as Markdown; figures link to their entry in the appendix."""

    def para(p: Paragraph) -> str:
        out = []
        for part in p.parts:
            if isinstance(part, str):
                out.append(_md_escape(part))
            else:
                text = report.part_text(part)
                fig = report.figures[part.key]
                out.append(f"[{_md_escape(text)}](#{anchor(part.key)})" if fig.has_records else _md_escape(text))
        return "".join(out)

    lines = [f"# {report.title}", "", f"*{_md_escape(report.subtitle)}*", ""]
    lines += [para(p) + "\n" for p in report.intro]
    for section in report.sections:
        lines += [f"## {section.title}", ""]
        lines += [para(p) + "\n" for p in section.paragraphs]
    lines += [f"## {word('appendix', report.lang)}", "", word("appendix_intro", report.lang), ""]
    for key in appendix_keys(report):
        fig = report.figures[key]
        value = format_with_unit(fig, report.lang, report.period)
        lines.append(f'<a id="{anchor(key)}"></a>**{_md_escape(report.labels[key])}**: {_md_escape(value)}  ')
        count = (
            f"{len(fig.records)} {word('records', report.lang)}"
            if report.lang == "en"
            else f"{len(fig.records)}{word('records', report.lang)}"
        )
        lines.append(
            f"`{key}` · {count}" + (": " + ", ".join(f"`{r}`" for r in id_ranges(fig.records)) if fig.records else "")
        )
        lines.append("")
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


# ---------------------------------------------------------------------- HTML

CSS = """
body { font-family: %(fonts)s; line-height: 1.75; max-width: 46em; margin: 2em auto; padding: 0 1em; color: #111; }
h1 { font-size: 1.6em; text-align: center; margin-bottom: 0.2em; }
p.subtitle { text-align: center; color: #444; margin-top: 0; }
h2 { font-size: 1.2em; margin-top: 1.6em; }
p { text-indent: %(indent)s; text-align: justify; }
a.fig { color: #0b4f8a; text-decoration: none; border-bottom: 1px dotted #0b4f8a; }
span.none { color: #8a1c1c; font-style: italic; }
section.appendix { margin-top: 3em; border-top: 2px solid #333; }
section.appendix p { text-indent: 0; }
div.figure { margin: 0.8em 0; page-break-inside: avoid; }
div.figure h3 { font-size: 1em; margin: 0; }
p.refs { font-size: 0.8em; color: #333; margin: 0.2em 0 0 0; word-break: break-all; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.9em; }
table.notes { font-size: 0.8em; border-collapse: collapse; }
table.notes td { border-bottom: 1px solid #ddd; padding: 0 0.5em; }
"""

PRINT_CSS = """
@page { size: A4; margin: 2.4cm 2.2cm;
  @bottom-center { content: "%(page)s"; font-family: %(fonts)s; font-size: 9pt; color: #555; } }
body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
"""


def to_html(report: Report, *, for_print: bool = False) -> str:
    """The report as one HTML page; each figure links to the appendix entry listing its records.

    With ``for_print`` the page carries print CSS (page size, page numbers in a
    margin box with its own font) and leaves out the per-record detail tables.
    """
    lang = report.lang
    fonts = ", ".join(f'"{f}"' if " " in f else f for f in FONTS[lang])
    css = CSS % {"fonts": fonts, "indent": "0" if lang == "en" else "2em"}
    if for_print:
        page = word("page", lang).replace("{page}", '" counter(page) "').replace("{pages}", '" counter(pages) "')
        css += PRINT_CSS % {"fonts": fonts, "page": page}
    esc = html.escape

    def para(p: Paragraph) -> str:
        out = []
        for part in p.parts:
            if isinstance(part, str):
                out.append(esc(part))
                continue
            fig = report.figures[part.key]
            text = esc(report.part_text(part))
            if fig.has_records:
                out.append(
                    f'<a class="fig" href="#{anchor(part.key)}" title="{esc(report.labels[part.key])}">{text}</a>'
                )
            elif isinstance(part, FigureRef) and part.key in ("federation.district", "federation.city"):
                out.append(text)
            else:
                out.append(f'<span class="none">{text}</span>')
        return "<p>" + "".join(out) + "</p>"

    body = [f"<h1>{esc(report.title)}</h1>", f'<p class="subtitle">{esc(report.subtitle)}</p>']
    body += [para(p) for p in report.intro]
    for section in report.sections:
        body.append(f'<section id="{esc(section.key)}"><h2>{esc(section.title)}</h2>')
        body += [para(p) for p in section.paragraphs]
        body.append("</section>")
    body.append(f'<section class="appendix" id="appendix"><h2>{esc(word("appendix", lang))}</h2>')
    body.append(f"<p>{esc(word('appendix_intro', lang))}</p>")
    for key in appendix_keys(report):
        fig = report.figures[key]
        value = esc(format_with_unit(fig, lang, report.period))
        n = len(fig.records)
        count = f"{n} {word('records', lang)}" if lang == "en" else f"{n}{word('records', lang)}"
        body.append(f'<div class="figure" id="{anchor(key)}"><h3>{esc(report.labels[key])}: {value}</h3>')
        refs = ", ".join(esc(r) for r in id_ranges(fig.records))
        body.append(f'<p class="refs"><code>{esc(key)}</code> · {esc(count)}{": " + refs if refs else ""}</p>')
        if fig.records and not for_print:
            rows = "".join(
                f"<tr><td><code>{esc(str(r))}</code></td><td>{esc(report.record_notes.get(r, ''))}</td></tr>"
                for r in fig.records
            )
            body.append(
                f'<details><summary>{esc(word("details", lang))}</summary><table class="notes">{rows}</table></details>'
            )
        body.append("</div>")
    body.append("</section>")
    html_lang = {"zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant", "en": "en"}[lang]
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8"><title>{esc(report.title)}</title>'
        f"<style>{css}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


# ----------------------------------------------------------------------- PDF


def to_pdf(report: Report, path: Path) -> Path:
    """Render the print HTML with WeasyPrint (the CJK font is embedded as a subset)."""
    from weasyprint import HTML

    HTML(string=to_html(report, for_print=True)).write_pdf(str(path))
    return path


# ---------------------------------------------------------------------- DOCX


def _set_run_fonts(run: object, east_asian: str, latin: str = DOCX_LATIN_FONT) -> None:
    from docx.oxml.ns import qn

    run.font.name = latin  # type: ignore[attr-defined]
    rpr = run._element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)


def _set_style_fonts(style: object, east_asian: str, latin: str = DOCX_LATIN_FONT) -> None:
    from docx.oxml.ns import qn

    style.font.name = latin  # type: ignore[attr-defined]
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def find_font_file(family: str) -> tuple[Path, int] | None:
    """The font file (and index in a collection) fontconfig uses for ``family``, if it is that family."""
    import shutil
    import subprocess

    if shutil.which("fc-match") is None:
        return None
    out = subprocess.run(
        ["fc-match", "-f", "%{family}\t%{file}\t%{index}", family], capture_output=True, text=True, check=False
    ).stdout
    parts = out.split("\t")
    if len(parts) != 3 or family not in parts[0].split(","):
        return None
    return Path(parts[1]), int(parts[2] or 0)


def subset_font(file: Path, index: int, text: str) -> bytes:
    """The font cut down to the characters of ``text`` (vertical layout tables dropped)."""
    import io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.name_IDs = ["*"]
    options.drop_tables += ["GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(ch) for ch in text} | {0x20})
    out = io.BytesIO()
    with TTFont(str(file), fontNumber=index, lazy=True) as font:
        subsetter.subset(font)
        font.save(out)
    return out.getvalue()


def obfuscate_font(data: bytes, key: str) -> bytes:
    """ECMA-376 font obfuscation: the first 32 bytes XOR the GUID ``key``'s bytes, last byte first."""
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ guid[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def embed_docx_font(doc: object, family: str, text: str, charset: str = "86") -> bool:
    """Embed a subset of ``family`` (its characters of ``text``) in the document; False if the font is not installed."""
    import uuid

    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    found = find_font_file(family)
    if found is None:
        return False
    key = "{" + str(uuid.uuid4()).upper() + "}"
    blob = obfuscate_font(subset_font(found[0], found[1], text), key)
    package = doc.part.package  # type: ignore[attr-defined]
    table_part = next(p for p in package.iter_parts() if p.partname == "/word/fontTable.xml")
    font_part = Part(
        PackURI("/word/fonts/font1.odttf"),
        "application/vnd.openxmlformats-officedocument.obfuscatedFont",
        blob,
        package,
    )
    rid = table_part.relate_to(font_part, RT.FONT)
    table = parse_xml(table_part.blob)
    font = parse_xml(
        f'<w:font xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:name="{family}">'
        f'<w:charset w:val="{charset}"/><w:family w:val="roman"/><w:pitch w:val="variable"/>'
        f'<w:embedRegular xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rid}" w:fontKey="{key}" w:subsetted="1"/>'
        "</w:font>"
    )
    for old in table.findall(qn("w:font")):
        if old.get(qn("w:name")) == family:
            table.remove(old)
    table.append(font)
    from lxml import etree

    table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = doc.settings.element  # type: ignore[attr-defined]
    # the schema orders these right after w:zoom (and the few settings before it)
    before = ("w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation", "w:removeDateAndTime")
    position = max((list(settings).index(e) + 1 for t in before for e in settings.findall(qn(t))), default=0)
    for tag in ("w:saveSubsetFonts", "w:embedTrueTypeFonts"):
        if settings.find(qn(tag)) is None:
            settings.insert(
                position, parse_xml(f'<{tag} xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
            )
    return True


def to_docx(report: Report, path: Path, *, embed_font: bool = True) -> Path:
    """Write a Word document; every run names the CJK font as its East Asian font.

    With ``embed_font`` (the default) a subset of that font holding the
    document's characters is embedded, so it shows on PCs without the font.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    lang = report.lang
    east_asian = FONTS[lang][0] if lang != "en" else FONTS["zh-Hans"][0]
    doc = Document()
    doc.core_properties.title = report.title
    doc.core_properties.language = lang
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        _set_style_fonts(doc.styles[name], east_asian)
    doc.styles["Normal"].font.size = Pt(11)

    def add_runs(paragraph: object, parts: list[tuple[str, str | None]]) -> None:
        for text, style in parts:
            run = paragraph.add_run(text)  # type: ignore[attr-defined]
            _set_run_fonts(run, east_asian)
            if style == "figure":
                run.bold = True
            elif style == "none":
                run.italic = True
                run.font.color.rgb = RGBColor(0x8A, 0x1C, 0x1C)

    def para_parts(p: Paragraph) -> list[tuple[str, str | None]]:
        out: list[tuple[str, str | None]] = []
        for part in p.parts:
            if isinstance(part, str):
                out.append((part, None))
            else:
                fig = report.figures[part.key]
                style: str | None = "figure" if fig.has_records or isinstance(part, FigureText) else "none"
                if not fig.has_records and part.key in ("federation.district", "federation.city"):
                    style = None
                out.append((report.part_text(part), style))
        return out

    heading = doc.add_heading(level=0)
    add_runs(heading, [(report.title, None)])
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = doc.add_paragraph()
    add_runs(sub, [(report.subtitle, None)])
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    indent = Pt(22) if lang != "en" else Pt(0)
    for p in report.intro:
        para = doc.add_paragraph()
        para.paragraph_format.first_line_indent = indent
        add_runs(para, para_parts(p))
    for section in report.sections:
        add_runs(doc.add_heading(level=1), [(section.title, None)])
        for p in section.paragraphs:
            para = doc.add_paragraph()
            para.paragraph_format.first_line_indent = indent
            add_runs(para, para_parts(p))
    doc.add_page_break()
    add_runs(doc.add_heading(level=1), [(word("appendix", lang), None)])
    add_runs(doc.add_paragraph(), [(word("appendix_intro", lang), None)])
    for key in appendix_keys(report):
        fig = report.figures[key]
        head = doc.add_paragraph()
        add_runs(
            head,
            [
                (f"{report.labels[key]}: ", None),
                (format_with_unit(fig, lang, report.period), "figure" if fig.has_records else "none"),
            ],
        )
        n = len(fig.records)
        count = f"{n} {word('records', lang)}" if lang == "en" else f"{n}{word('records', lang)}"
        refs = ", ".join(id_ranges(fig.records))
        detail = doc.add_paragraph()
        add_runs(detail, [(f"{key} · {count}" + (f": {refs}" if refs else ""), None)])
        for run in detail.runs:
            run.font.size = Pt(8)
    if embed_font:
        text = "\n".join(p.text for p in doc.paragraphs)
        embed_docx_font(doc, east_asian, text, charset="88" if lang == "zh-Hant" else "86")
    doc.save(str(path))
    return path


# -------------------------------------------------------------------- public


def render_report(report: Report, fmt: str, path: Path | str) -> Path:
    """Write ``report`` to ``path`` as ``md``, ``html``, ``pdf`` or ``docx``.

    Raises:
        ValueError: unknown format.
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "md":
        path.write_text(to_markdown(report), encoding="utf-8")
    elif fmt == "html":
        path.write_text(to_html(report), encoding="utf-8")
    elif fmt == "pdf":
        to_pdf(report, path)
    else:
        to_docx(report, path)
    return path


__all__ = ["FORMATS", "id_ranges", "render_report", "to_docx", "to_html", "to_markdown", "to_pdf"]
