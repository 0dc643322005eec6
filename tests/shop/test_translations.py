"""Every string a template shows is translated in Korean and present in English, and English never shows Hangul."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
APPS = ("shop", "accounts", "catalog", "orders", "payments")
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
# templatize() turns {% translate %} and {% blocktranslate %} into gettext()/ngettext()/pgettext() calls.
_CALL = re.compile(r"""\b(npgettext|pgettext|ngettext|gettext)\(((?:u?'(?:[^'\\]|\\.)*'(?:,\s*)?)+)""")
_STRING = re.compile(r"""u?'((?:[^'\\]|\\.)*)'""")


def _catalogs(language):
    paths = [ROOT / "locale" / language / "LC_MESSAGES" / "django.po"]
    paths += [ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po" for app in APPS]
    return [polib.pofile(str(path)) for path in paths if path.exists()]


def _entries(language):
    return [entry for catalog in _catalogs(language) for entry in catalog if not entry.obsolete]


def _template_messages():
    """(template, msgid, context) of every translatable string in the project's templates."""
    found = []
    for directory in [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]:
        for path in sorted(directory.rglob("*.html")) + sorted(directory.rglob("*.txt")):
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            for function, arguments in _CALL.findall(code):
                strings = [
                    s.encode("latin-1", "backslashreplace").decode("unicode_escape") for s in _STRING.findall(arguments)
                ]
                if not strings:
                    continue
                context = strings.pop(0) if function.startswith(("pgettext", "npgettext")) else ""
                found.append((str(path.relative_to(ROOT)), strings[0], context))
    return found


def test_the_template_scan_finds_the_base_layout_strings():
    msgids = {msgid for _, msgid, _ in _template_messages()}
    assert {"Hanul Market", "Search products", "Log in", "Terms of use"} <= msgids


def test_no_english_message_is_korean():
    korean = [
        entry.msgid
        for entry in _entries("en")
        if HANGUL.search(entry.msgstr) or any(HANGUL.search(text) for text in entry.msgstr_plural.values())
    ]
    assert korean == []


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_template_string_is_in_the_catalog(language):
    """Korean: translated (not empty, not fuzzy). English: in the catalog (an empty msgstr shows the English
    msgid, which is the point of writing msgids in English)."""
    entries = {(entry.msgctxt or "", entry.msgid): entry for entry in _entries(language)}
    missing = []
    for template, msgid, context in _template_messages():
        entry = entries.get((context, msgid))
        if entry is None or entry.fuzzy or (language == "ko" and not entry.translated()):
            missing.append(f"{template}: {msgid!r}")
    assert missing == []


def test_no_korean_message_is_left_untranslated_or_fuzzy():
    untranslated = [entry.msgid for entry in _entries("ko") if entry.fuzzy or not entry.translated()]
    assert untranslated == []


def test_english_msgids_in_templates_carry_no_hangul():
    """A Korean msgid shows Korean on English pages whatever the English catalog says."""
    korean = [f"{template}: {msgid!r}" for template, msgid, _ in _template_messages() if HANGUL.search(msgid)]
    assert korean == []
