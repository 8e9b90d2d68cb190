"""Languages: Simplified Chinese, Traditional Chinese and English.

The language is the one the user chose (stored in the session and on their
account), else the first language of the browser we have, judged by the
tag's *script*: Babel's ``Locale.parse(tag, sep="-")`` knows that zh-CN and
zh-SG are written in Simplified and zh-TW, zh-HK and zh-MO in Traditional
characters (``best_match`` on ``["en", "zh_Hans", "zh_Hant"]`` gets these
wrong, DESIGN.md).
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask import Blueprint, Flask, current_app, redirect, request, session, url_for
from flask_babel import Babel, get_locale

LANGUAGES: dict[str, str] = {"zh_Hans": "简体中文", "zh_Hant": "繁體中文", "en": "English"}
HTML_LANG = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "en": "en"}

babel = Babel()
bp = Blueprint("i18n", __name__)


def language_of_tag(tag: str) -> str | None:
    """One of our languages for a browser language tag (``zh-TW`` -> ``zh_Hant``), or ``None``."""
    try:
        loc = Locale.parse(tag.strip().replace("_", "-"), sep="-")
    except (ValueError, UnknownLocaleError):
        return None
    if loc.language == "zh":
        return "zh_Hant" if loc.script == "Hant" else "zh_Hans"
    if loc.language == "en":
        return "en"
    return None


def language_of_header(header: str | None, default: str) -> str:
    """The first of our languages in an ``Accept-Language`` header, by quality; ``default`` if none."""
    from werkzeug.datastructures import LanguageAccept
    from werkzeug.http import parse_accept_header

    if not header:
        return default
    for tag, _quality in parse_accept_header(header, LanguageAccept):
        if tag == "*":
            continue
        found = language_of_tag(tag)
        if found:
            return found
    return "en"


def select_language() -> str:
    """The language of this request."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen  # type: ignore[no-any-return]
    from flask_login import current_user

    if getattr(current_user, "is_authenticated", False) and current_user.language in LANGUAGES:
        return current_user.language  # type: ignore[no-any-return]
    return language_of_header(request.headers.get("Accept-Language"), current_app.config["DEFAULT_LANGUAGE"])


def html_lang() -> str:
    """The ``lang`` attribute for this request's pages."""
    return HTML_LANG.get(str(get_locale()), "en")


@bp.post("/language")
def switch_language():  # type: ignore[no-untyped-def]
    """Remember the user's choice of language (session, and their account when signed in)."""
    lang = request.form.get("lang", "")
    if lang in LANGUAGES:
        session["lang"] = lang
        from flask_login import current_user

        if getattr(current_user, "is_authenticated", False):
            from planner.users import User
            from web import db

            s = db.session()
            user = s.get(User, current_user.user_id)
            if user is not None:
                user.language = lang
                s.add(user)
                s.commit()
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("dashboard.index")
    return redirect(target)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_language)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, html_lang=html_lang, current_language=lambda: str(get_locale()))
