"""Helpers shared by the printable lists (rooming, transport, volunteers)."""

from __future__ import annotations

import re

from planner.workbook.io import escape_formula

__all__ = ["LANGS", "chinese", "escape_formula", "file_stem", "is_cjk", "sheet_name"]

#: The languages of the rooming and volunteer lists: English, Simplified and Traditional Chinese.
LANGS = ("en", "zh-Hans", "zh-Hant")


def chinese(lang: str) -> bool:
    """True for a Chinese list (``zh-Hans``, ``zh-Hant``): Chinese names of hotels, delegations... are shown."""
    return lang in ("zh-Hans", "zh-Hant")


def is_cjk(text: str) -> bool:
    """True when every character of ``text`` is a CJK ideograph (a Chinese name)."""
    return bool(text) and all("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def file_stem(key: str) -> str:
    """A file name part made of safe characters only."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", key) or "_"


def sheet_name(key: str, used: set[str]) -> str:
    """An XLSX sheet name (31 chars at most, no []:*?/\\) not yet in ``used`` (compared case-blind)."""
    base = re.sub(r"[\[\]:*?/\\]", "_", key)[:28] or "_"
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base[:25]}~{n}"
    used.add(name.lower())
    return name
