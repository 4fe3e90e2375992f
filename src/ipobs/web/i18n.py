"""Languages: message catalogs (gettext .po, compiled by Babel at start-up) and locale formats.

The catalogs are ``locale/{zh,en}/LC_MESSAGES/messages.po`` (message ids in English). They are
compiled in memory with Babel's own compiler the first time a language is used, so no binary
file needs to be built or committed. The language of a request is ``?lang=`` (which also sets
the cookie), else the ``lang`` cookie, else the site default (Chinese).

The current language is a context variable, so templates and Python code running for a request
translate into that request's language even with many requests in flight.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import gettext as _gettext
import io
import math
from functools import lru_cache
from importlib import resources

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import parse_pattern

LANGS = ("zh", "en")
LOCALES = {"zh": "zh_Hans_CN", "en": "en_US"}
COOKIE = "lang"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("ipobs_lang", default="zh")


@lru_cache(maxsize=None)
def translations(lang: str) -> _gettext.GNUTranslations:
    """The compiled catalog of ``lang`` (compiled once per process by Babel)."""
    po = resources.files("ipobs.web") / "locale" / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def use(lang: str) -> str:
    """Make ``lang`` the language of the current request (context)."""
    lang = lang if lang in LANGS else "zh"
    _current.set(lang)
    return lang


def current() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


_ = gettext


def pick(zh: str | None, en: str | None) -> str:
    """The label of a bilingual data item (plan, schema, regions) in the current language."""
    if current() == "en":
        return en or zh or ""
    return zh or en or ""


# ---------------------------------------------------------------- formats
def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


@lru_cache(maxsize=None)
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


@lru_cache(maxsize=None)
def _pattern(pattern: str):
    """Parsed once: Babel parses a pattern string on every call otherwise (slow on big pages)."""
    return parse_pattern(pattern)


def fmt_number(value, digits: int = 2) -> str:
    """A number in the current locale (grouping, decimal mark); '—' when missing."""
    if _missing(value):
        return "—"
    pattern = _pattern("#,##0" + ("." + "#" * digits if digits else ""))
    return pattern.apply(value, _locale(current()))


def fmt_percent(value, digits: int = 0) -> str:
    """A fraction (0.42) as a percentage in the current locale."""
    if _missing(value):
        return "—"
    pattern = _pattern("#,##0" + ("." + "0" * digits if digits else "") + "%")
    return pattern.apply(value, _locale(current()))


def fmt_value(value, unit: str | None = None, unit_en: str | None = None, with_unit: bool = False) -> str:
    """An indicator value: ``%`` units are percentages already (42.0 → 42.0%); counts without
    decimals when large. ``with_unit`` appends the unit in the current language."""
    if _missing(value):
        return "—"
    if unit == "%":
        return fmt_number(value, 1) + "%"
    text = fmt_number(value, 2 if abs(value) < 100 else 0)
    if with_unit and (unit or unit_en):
        text += " " + pick(unit, unit_en)
    return text


def fmt_date(value, format: str = "medium") -> str:
    if _missing(value) or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        return format_datetime(value, format=format, locale=LOCALES[current()])
    if hasattr(value, "date") and not isinstance(value, dt.date):  # pandas Timestamp
        value = value.date()
    return format_date(value, format=format, locale=LOCALES[current()])


def fmt_datetime(value) -> str:
    if _missing(value) or value == "":
        return "—"
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return format_datetime(value, format="short", locale=LOCALES[current()])


def language_name(lang: str) -> str:
    """The name of a language in that language (中文, English) for the switch."""
    return Locale.parse(LOCALES[lang]).language_name.capitalize() if lang == "en" else "中文"
