"""Texts the planner writes for people, in English, that the web can show in Chinese.

A :class:`Template` is an English sentence with named parts
(``"expected a whole number, got %(value)s"``). Its text is the message id of
the web's translation catalogues: the ``N_`` marker around it (a no-op that is
one of pybabel's default keywords) lets ``pybabel extract`` find it. Calling
a template gives a :class:`Message`: the template and the values of its
parts. ``str(message)`` is the English sentence that the CLI, the plan files
and the tests see, exactly as before.

The planner never translates. :meth:`Message.localise` takes the translation
function (the web passes Flask-Babel's ``gettext``) and the language of the
text (``en``, ``zh-Hans`` or ``zh-Hant``); a part that is itself a message (a
word such as "women") is translated the same way.

Plans keep their reasons as English text (the ``unassigned`` file, the
database), so the web cannot be handed the :class:`Message` of a stored plan.
:func:`recognise` finds it back: each template knows how its parts are
written (a date, a number, one of some words, a list...), which makes a
regular expression of the whole sentence; the first template that matches
the whole text gives the message. A text that no template matches is shown
as it is.

Example::

    NO_BED = Template(N_("no bed for %(person)s on %(night)s"), night=DATE)
    text = str(NO_BED(person="P1", night="2007-10-03"))   # stored in the plan
    recognise(text, [NO_BED]).localise(gettext, "zh-Hans")  # "2007-10-03 没有 P1 的床位"
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "ANY",
    "DATE",
    "NUMBER",
    "TOKEN",
    "Choice",
    "Joined",
    "Message",
    "MessageError",
    "MessageText",
    "N_",
    "Parsed",
    "Part",
    "Series",
    "Template",
    "Text",
    "recognise",
    "text_of",
]

Translate = Callable[[str], str]
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def N_(text: str) -> str:  # noqa: N802 - the name pybabel looks for
    """Mark ``text`` as a message id for the translators; returns it unchanged."""
    return text


def _same(text: str) -> str:
    return text


@runtime_checkable
class Localisable(Protocol):
    """A value that is written differently in each language (a word, a list of languages...)."""

    def localise(self, translate: Translate, lang: str) -> str: ...


def _localised(value: Any, translate: Translate, lang: str) -> Any:
    """``value.localise(translate, lang)`` for a :class:`Localisable` value, else ``value``.

    (Asked by attribute: ``isinstance`` with a runtime-checkable protocol costs
    tens of microseconds, and the checker writes one message per violation.)
    """
    localise = getattr(value, "localise", None)
    return localise(translate, lang) if localise is not None and not isinstance(value, type) else value


@dataclass(frozen=True)
class Message:
    """An English template and the values of its parts; ``str()`` is the English text."""

    template: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def args(self) -> dict[str, Any]:
        return dict(self.params)

    def localise(self, translate: Translate = _same, lang: str = "en") -> str:
        """The text in another language: ``translate`` turns the template (and those of the parts) into it."""
        values = {name: _localised(v, translate, lang) for name, v in self.params}
        text = translate(self.template) or self.template
        if "%" not in self.template:
            return text
        try:
            return text % values
        except (KeyError, ValueError, TypeError):  # a broken translation: the English still says it
            return self.template % values

    def __str__(self) -> str:
        return self.localise()


@dataclass(frozen=True)
class Joined:
    """Items written one after the other, joined by a template such as ``"%(list)s, %(item)s"``."""

    items: tuple[Any, ...]
    joiner: str

    def localise(self, translate: Translate = _same, lang: str = "en") -> str:
        texts = [str(_localised(i, translate, lang)) for i in self.items]
        if not texts:
            return ""
        out = texts[0]
        for item in texts[1:]:
            out = Message(self.joiner, (("list", out), ("item", item))).localise(translate, lang)
        return out

    def __str__(self) -> str:
        return self.localise()


class MessageError(ValueError):
    """A ``ValueError`` whose text is a :class:`Message` (``exc.detail``)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.detail = message


class MessageText(str):
    """The English text of a :class:`Message`, as a ``str`` (JSON, comparisons) that keeps it as ``detail``.

    For places that hold plain text (a form's errors by field): the web
    translates it from ``detail`` instead of recognising the English again.
    """

    detail: Message

    def __new__(cls, message: Message) -> MessageText:
        text = super().__new__(cls, str(message))
        text.detail = message
        return text


def text_of(error: BaseException) -> str:
    """An exception's text: a :class:`MessageText` when it carries a message (``detail``), else ``str()``."""
    detail = getattr(error, "detail", None)
    return MessageText(detail) if isinstance(detail, Message) else str(error)


# ------------------------------------------------------------------ recognition
class _Names:
    """Unique regular-expression group names."""

    def __init__(self) -> None:
        self.count = 0

    def new(self) -> str:
        self.count += 1
        return f"_g{self.count}"


Extract = Callable[["re.Match[str]"], Any]


class Part:
    """How one part of a template is written, for :func:`recognise`."""

    def compile(self, names: _Names) -> tuple[str, Extract]:  # pragma: no cover - interface
        raise NotImplementedError


class Text(Part):
    """Text matching ``regex`` (default: anything), kept as it is."""

    def __init__(self, regex: str = r".+?") -> None:
        self.regex = regex

    def compile(self, names: _Names) -> tuple[str, Extract]:
        g = names.new()
        return f"(?P<{g}>{self.regex})", lambda m: m.group(g)


class Parsed(Part):
    """Text matching ``regex`` turned into a value (e.g. a list of language names) by ``parse``."""

    def __init__(self, regex: str, parse: Callable[[str], Any]) -> None:
        self.regex = regex
        self.parse = parse

    def compile(self, names: _Names) -> tuple[str, Extract]:
        g = names.new()
        return f"(?P<{g}>{self.regex})", lambda m: self.parse(m.group(g))


class Choice(Part):
    """One of some templates (words or sentences), else ``other`` (a :class:`Part`) when given."""

    def __init__(self, *templates: Template, other: Part | None = None) -> None:
        self.templates = templates
        self.other = other

    def compile(self, names: _Names) -> tuple[str, Extract]:
        options: list[tuple[str, Extract]] = []
        alternatives = []
        for item in (*self.templates, *((self.other,) if self.other is not None else ())):
            g = names.new()
            pattern, item_extract = item.compile(names)
            alternatives.append(f"(?P<{g}>{pattern})")
            options.append((g, item_extract))

        def extract(m: re.Match[str]) -> Any:
            for g, ex in options:
                if m.group(g) is not None:
                    return ex(m)
            return None  # pragma: no cover - one alternative always matched

        return "(?:" + "|".join(alternatives) + ")", extract


class Series(Part):
    """Items (each written as ``item``) separated by ``sep``; the value is a :class:`Joined`."""

    def __init__(self, item: Part, sep: str, joiner: str) -> None:
        self.item = item
        self.sep = sep
        self.joiner = joiner

    def compile(self, names: _Names) -> tuple[str, Extract]:
        item_pattern, item_extract = self.item.compile(_Names())
        single = re.compile(item_pattern, re.DOTALL)
        plain = re.sub(r"\(\?P<_g\d+>", "(?:", item_pattern)
        g = names.new()

        def extract(m: re.Match[str]) -> Any:
            items = []
            for piece in m.group(g).split(self.sep):
                found = single.fullmatch(piece)
                items.append(item_extract(found) if found else piece)
            return Joined(tuple(items), self.joiner)

        return f"(?P<{g}>(?:{plain})(?:{re.escape(self.sep)}(?:{plain}))*)", extract


ANY = Text()
#: An id, a code: no spaces.
TOKEN = Text(r"\S+")
#: A whole number, maybe with thousands separators or a sign.
NUMBER = Text(r"[+-]?\d[\d,]*")
DATE = Text(r"\d{4}-\d{2}-\d{2}")


class Template:
    """An English sentence with named parts ``%(name)s``; call it with the parts' values for a :class:`Message`.

    ``parts`` say how a part is written (default :data:`ANY`), for :func:`recognise`.
    """

    def __init__(self, text: str, **parts: Part) -> None:
        self.text = text
        self.names = tuple(dict.fromkeys(_PLACEHOLDER.findall(text)))
        self._name_set = frozenset(self.names)
        unknown = set(parts) - set(self.names)
        if unknown:
            raise ValueError(f"{text!r} has no part {', '.join(sorted(unknown))}")
        self.parts = {name: parts.get(name, ANY) for name in self.names}
        self._regex: tuple[re.Pattern[str], Extract] | None = None

    def __call__(self, **values: Any) -> Message:
        if values.keys() != self._name_set:
            missing = self._name_set - set(values)
            extra = set(values) - self._name_set
            raise TypeError(f"{self.text!r}: missing {sorted(missing)}, unknown {sorted(extra)}")
        return Message(self.text, tuple([(name, values[name]) for name in self.names]))

    def __repr__(self) -> str:
        return f"Template({self.text!r})"

    def compile(self, names: _Names) -> tuple[str, Extract]:
        pieces = _PLACEHOLDER.split(self.text)
        pattern = ""
        extracts: list[tuple[str, Extract]] = []
        for i, piece in enumerate(pieces):
            if i % 2 == 0:
                pattern += re.escape(piece.replace("%%", "%"))
            else:
                part_pattern, extract = self.parts[piece].compile(names)
                pattern += part_pattern
                extracts.append((piece, extract))

        def extract_message(m: re.Match[str]) -> Message:
            values = dict((name, ex(m)) for name, ex in extracts)
            return Message(self.text, tuple((name, values[name]) for name in self.names))

        return pattern, extract_message

    def match(self, text: str) -> Message | None:
        """The message whose English is ``text``, or ``None``."""
        if self._regex is None:
            pattern, extract = self.compile(_Names())
            self._regex = (re.compile(pattern, re.DOTALL), extract)
        regex, extract = self._regex
        found = regex.fullmatch(text)
        return extract(found) if found else None


def recognise(text: str, templates: Iterable[Template]) -> Message | None:
    """The message of the first template whose English is exactly ``text``; ``None`` if none is."""
    for template in templates:
        found = template.match(text)
        if found is not None:
            return found
    return None


def words(*texts: str) -> tuple[Template, ...]:
    """Templates without parts (words), for a :class:`Choice`."""
    return tuple(Template(t) for t in texts)


def templates_of(*groups: Sequence[Template]) -> tuple[Template, ...]:
    """Several modules' templates as one tuple (first match wins, in this order)."""
    return tuple(t for group in groups for t in group)
