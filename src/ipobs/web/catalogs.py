"""Maintaining the message catalogs: extract the messages of templates and code, merge them into
``locale/{zh,en}/LC_MESSAGES/messages.po``.

``python -m ipobs.web.catalogs`` updates both catalogs (new messages get an empty translation,
vanished ones are marked obsolete); a test fails while any Chinese translation is missing.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).parent
LOCALE = WEB / "locale"
METHOD_MAP = [
    ("**/templates/**.html", "jinja2"),
    ("**.py", "python"),
]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def extract() -> Catalog:
    """Every message of the web package's templates and Python code."""
    catalog = Catalog(project="ipobs", msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(WEB), METHOD_MAP, OPTIONS, keywords=KEYWORDS, strip_comment_tags=True
    ):
        if "locale" in Path(filename).parts:
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    # titles defined as data elsewhere and shown through the catalogs
    from ipobs.records.batch import REJECT_CODES

    for code, (title, _description) in REJECT_CODES.items():
        catalog.add(title, None, [("ipobs/records/batch.py", 0)], auto_comments=[f"reject code {code}"])
    return catalog


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "messages.po"


def read(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, project="ipobs", charset="utf-8")
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def update(langs=("zh", "en")) -> dict[str, int]:
    """Merge the extracted messages into each catalog; the number of untranslated messages per language."""
    template = extract()
    out = {}
    for lang in langs:
        cat = read(lang)
        cat.update(template, no_fuzzy_matching=True)
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, cat, width=120, omit_header=False, sort_output=True, include_previous=False,
                     ignore_obsolete=True)
        out[lang] = sum(1 for m in cat if m.id and not m.string)
    return out


if __name__ == "__main__":  # pragma: no cover
    for lang, n in update().items():
        print(f"{po_path(lang)}: {n} message(s) without translation")
