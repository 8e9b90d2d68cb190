"""Every text of the web UI is translated into Simplified and Traditional Chinese, and the .mo files are current."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "web" / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "t": None, "lazy_gettext": None}


def read_catalog(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as fh:
        return read_po(fh)


def source_messages() -> set[str]:
    """Every msgid of the templates, the web package and the map words."""
    found: set[str] = set()
    methods = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    for _filename, _lineno, message, _comments, _context in extract_from_dir(ROOT / "web", methods, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    with (ROOT / "planner" / "maps.py").open("rb") as fh:
        from babel.messages.extract import extract

        for _lineno, message, _comments, _context in extract("python", fh, keywords=KEYWORDS):
            found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_every_text_is_translated_and_compiled(locale):
    po_path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    catalog = read_catalog(po_path)
    translated = {}
    for m in catalog:
        if not m.id:
            continue
        key = m.id[0] if isinstance(m.id, tuple) else m.id
        text = m.string[0] if isinstance(m.string, tuple) else m.string
        if text and not m.fuzzy:
            translated[key] = text
    missing = sorted(source_messages() - set(translated))
    assert missing == [], f"untranslated in {locale}: {missing[:10]}"
    compiled = read_mo(io.BytesIO((TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo").read_bytes()))
    stale = [k for k, v in translated.items() if (compiled.get(k) or compiled.get((k, None))) is None]
    assert stale == [], f"{locale}: messages.mo is older than messages.po; run pybabel compile"
    changed = [
        k
        for k in translated
        if (m := compiled.get(k)) is not None
        and (m.string if isinstance(m.string, str) else m.string[0]) != translated[k]
    ]
    assert changed == [], f"{locale}: messages.mo differs from messages.po; run pybabel compile"


def test_traditional_and_simplified_differ_where_they_should():
    hans = {m.id: m.string for m in read_catalog(TRANSLATIONS / "zh_Hans/LC_MESSAGES/messages.po") if m.id}
    hant = {m.id: m.string for m in read_catalog(TRANSLATIONS / "zh_Hant/LC_MESSAGES/messages.po") if m.id}
    assert hans["Sign in"] == "登录" and hant["Sign in"] == "登入"
    assert hans["Delegations"] == "代表团" and hant["Delegations"] == "代表團"
