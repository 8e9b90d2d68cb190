"""Languages: Simplified Chinese, Traditional Chinese and English.

The language is the one the user chose (stored in the session and on their
account), else the first language of the browser we have, judged by the
tag's *script*: Babel's ``Locale.parse(tag, sep="-")`` knows that zh-CN and
zh-SG are written in Simplified and zh-TW, zh-HK and zh-MO in Traditional
characters (``best_match`` on ``["en", "zh_Hans", "zh_Hant"]`` gets these
wrong, DESIGN.md).

Texts the planner writes (workbook errors, why someone has no bed or a shift
is short, run messages) are English sentences made from templates
(:mod:`planner.messages`); :func:`planner_text` shows them in the page's (or
a list's) language: the template is the catalogue's message id, translated
with Flask-Babel, then filled in with the sentence's own values.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from babel import Locale, UnknownLocaleError
from flask import Blueprint, Flask, current_app, redirect, request, session, url_for
from flask_babel import Babel, force_locale, get_locale, gettext

from planner.messages import Message, Template, recognise

LANGUAGES: dict[str, str] = {"zh_Hans": "简体中文", "zh_Hant": "繁體中文", "en": "English"}
HTML_LANG = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "en": "en"}
#: The UI language of a list language (``zh-Hant`` -> ``zh_Hant``).
LOCALE_OF_LANG = {tag: code for code, tag in HTML_LANG.items()}

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


@cache
def planner_templates() -> tuple[Template, ...]:
    """Every sentence the planner writes for people, in the order they are tried."""
    from planner import check, shift_patterns
    from planner.services import accommodation, attendance, divisions, hotels, planning, transport, volunteers
    from planner.workareas import validate as workareas
    from planner.workbook import io, validate

    return (
        *io.MESSAGES,
        *validate.MESSAGES,
        *workareas.MESSAGES,
        *accommodation.MESSAGES,
        *volunteers.MESSAGES,
        *transport.MESSAGES,
        *hotels.MESSAGES,
        *planning.MESSAGES,
        *attendance.MESSAGES,
        *shift_patterns.MESSAGES,
        *divisions.MESSAGES,
        *check.MESSAGES,
    )


def planner_message(text: object) -> Message | None:
    """The :class:`~planner.messages.Message` of a planner text (itself, or found back from its English)."""
    if isinstance(text, Message):
        return text
    detail = getattr(text, "detail", None)  # a CellError or a MessageError
    if isinstance(detail, Message):
        return detail
    if not text:
        return None
    return recognise(str(getattr(text, "message", text)), planner_templates())


def planner_text(text: object, lang: str | None = None) -> str:
    """A planner text in the page's language, or in ``lang`` (``en``, ``zh-Hans``, ``zh-Hant``: a list's).

    ``text`` is a :class:`~planner.messages.Message`, an object with one as
    ``detail`` (a ``CellError``), or English from a stored plan; English that
    is no planner sentence is shown as it is.
    """
    message = planner_message(text)
    if message is None:
        return "" if text is None else str(getattr(text, "message", text))
    if lang is None:
        return message.localise(gettext, html_lang())
    if lang == "en":
        return str(message)
    with force_locale(LOCALE_OF_LANG.get(lang, "en")):
        return message.localise(gettext, lang)


def recognised_text(text: object, templates: Iterable[Template]) -> str:
    """``text`` in the page's language when one of ``templates`` or a planner template writes it, else as it is.

    For English the web does not write itself but cannot carry a message
    (errors of modules that raise plain ``ValueError``): the web keeps their
    templates (``templates``) and recognises the English.
    """
    message = recognise(str(text), templates) if text else None
    return planner_text(message if message is not None else text)


def list_languages(codes: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """``(lang, name)`` of the list languages among ``codes`` (default: all three), Chinese first."""
    wanted = set(codes) if codes is not None else set(LOCALE_OF_LANG)
    return [(HTML_LANG[code], name) for code, name in LANGUAGES.items() if HTML_LANG[code] in wanted]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_language)
    app.register_blueprint(bp)
    app.jinja_env.filters["planner_text"] = planner_text
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES,
        html_lang=html_lang,
        current_language=lambda: str(get_locale()),
        planner_text=planner_text,
        list_languages=list_languages,
    )
