"""The gettext catalogues (tribe_tui/locale) against the code and against each other."""

from __future__ import annotations

import ast
import gettext
import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tribe_tui.i18n import LANGUAGES, LOCALE_DIR, t, tn

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tribe_tui"


def _keywords() -> dict:
    """The extraction keywords of `make translations`, read from the Makefile: one place says them."""
    line = next(l for l in (ROOT / "Makefile").read_text().splitlines() if l.startswith("I18N_KEYWORDS"))
    return parse_keywords(re.findall(r"-k (\S+)", line))


KEYWORDS = _keywords()


def _catalogue(lang: str):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "tribe_tui.po").open("rb") as f:
        return read_po(f)


CATALOGUES = {lang: _catalogue(lang) for lang in LANGUAGES}


def _messages(lang: str) -> dict[str, str | tuple[str, ...]]:
    return {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in CATALOGUES[lang] if m.id}


def _extracted() -> dict[str, bool]:
    """msgid -> whether it is used as a plural, as `pybabel extract` finds them in the package."""
    found: dict[str, bool] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else message[0]
        found[key] = found.get(key, False) or not isinstance(message, str)
    return found


def test_the_catalogues_hold_exactly_the_keys_the_code_uses():
    extracted = _extracted()
    for lang in LANGUAGES:
        messages = _messages(lang)
        assert sorted(set(extracted) - set(messages)) == [], f"used in the code, missing from {lang}.po"
        assert sorted(set(messages) - set(extracted)) == [], (
            f"in {lang}.po, but no code uses it (run make translations)"
        )
        plural = {key for key, text in messages.items() if isinstance(text, tuple)}
        assert plural == {key for key, is_plural in extracted.items() if is_plural}, (
            f"{lang}.po: a count's message must be a plural entry, used with tn/trn"
        )


def test_every_message_is_translated_in_both_languages_and_none_is_fuzzy():
    for lang in LANGUAGES:
        for message in CATALOGUES[lang]:
            if not message.id:
                continue
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(forms), f"{lang}.po: {message.id!r} has no text"
            assert not message.fuzzy, f"{lang}.po: {message.id!r} is fuzzy"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_both_languages_name_the_same_placeholders():
    nl, en = _messages("nl"), _messages("en")
    for key in nl:
        nl_forms = nl[key] if isinstance(nl[key], tuple) else (nl[key],)
        en_forms = en[key] if isinstance(en[key], tuple) else (en[key],)
        nl_fields = set().union(*map(_fields, nl_forms))
        en_fields = set().union(*map(_fields, en_forms))
        assert nl_fields == en_fields, f"{key}: nl {sorted(nl_fields)} vs en {sorted(en_fields)}"
        if isinstance(nl[key], tuple):
            # the plural form carries every value; only a singular may leave out the count ("één licentie")
            assert _fields(nl_forms[-1]) == nl_fields and _fields(en_forms[-1]) == en_fields, key


def test_no_text_spells_a_plural_with_brackets():
    for lang in LANGUAGES:
        for key, text in _messages(lang).items():
            for form in text if isinstance(text, tuple) else (text,):
                assert not re.search(r"\w\((s|en|n)\)", form), f"{lang}.po {key}: {form!r} (use tn)"


def test_no_text_says_the_same_sentence_twice():
    """Merging catalogues must not glue a text to itself ("...kwijt bent.Je wijzigt..."): a reader
    sees every sentence of a hint or help text once."""
    for lang in LANGUAGES:
        for key, text in _messages(lang).items():
            for form in text if isinstance(text, tuple) else (text,):
                sentences = [s.strip() for s in re.split(r"(?<=[.!?])", form) if len(s.strip()) > 20]
                twice = sorted({s for s in sentences if sentences.count(s) > 1})
                assert twice == [], f"{lang}.po {key}: {twice}"


def test_the_compiled_catalogues_are_those_of_the_po_files():
    """The .mo files are committed (the wheel, an editable install and a checkout all read them as
    they are); forgetting `make translations` after editing a .po must not go unnoticed."""
    for lang in LANGUAGES:
        compiled = io.BytesIO()
        write_mo(compiled, CATALOGUES[lang])
        compiled.seek(0)
        expected = gettext.GNUTranslations(compiled)._catalog
        with (LOCALE_DIR / lang / "LC_MESSAGES" / "tribe_tui.mo").open("rb") as f:
            shipped = gettext.GNUTranslations(f)._catalog
        assert shipped == expected, f"{lang}: tribe_tui.mo is out of date; run make translations"


# --- keys in the code: literal, so that extraction finds them ----------------------------------------

# Functions whose key argument is passed on (the wrappers) or was marked with N_ where it was stored.
_PASS_THROUGH = {
    ("i18n/__init__.py", "t"),
    ("i18n/__init__.py", "tn"),
    ("screens/reading.py", "tr"),
    ("screens/reading.py", "trn"),
    ("services/_messages.py", "msg"),
    ("sections.py", "title"),  # Section.title_key, N_ in SECTIONS
    ("widgets/help.py", "compose"),  # a screen's HELP_KEY, N_ where declared
    ("widgets/keys.py", "_localised"),  # a binding's description and tooltip, N_ where declared
    ("screens/list_screen.py", "headings"),  # a list's COLUMNS, N_ where declared
}


def _key_index(name: str) -> int | None:
    spec = KEYWORDS.get(name, False)
    if spec is False:
        return None
    spec = spec if isinstance(spec, tuple) else (1,)
    return spec[0] - 1


def _calls_in(node: ast.AST, function: str = ""):
    """(innermost enclosing function, key argument) of every call of an extraction keyword."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        function = node.name
    if isinstance(node, ast.Call):
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        index = _key_index(name) if name else None
        if index is not None and len(node.args) > index:
            yield function, node.args[index]
    for child in ast.iter_child_nodes(node):
        yield from _calls_in(child, function)


def _calls():
    for path in sorted(PACKAGE.rglob("*.py")):
        for function, arg in _calls_in(ast.parse(path.read_text(), str(path))):
            yield path.relative_to(PACKAGE).as_posix(), function, arg


def test_every_key_in_the_code_is_a_literal_that_extraction_finds():
    extracted = _extracted()
    for path, function, arg in _calls():
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            # a call inside an f-string is invisible to pybabel: the key would be dropped
            assert arg.value in extracted, (
                f"{path}: {arg.value!r} is not found by pybabel extract (inside an f-string?)"
            )
        else:
            assert (path, function) in _PASS_THROUGH, (
                f"{path}:{arg.lineno} in {function}(): a key built at run time ({ast.unparse(arg)}); write each message literally"
            )


# --- the runtime ---------------------------------------------------------------------------------------


def test_plural_forms_follow_the_count():
    d = {"date": "31 mei 2027"}
    assert tn("overview.paid_until_value", 1, "nl", **d) == "31 mei 2027 (nog 1 dag)"
    assert tn("overview.paid_until_value", 2, "nl", **d) == "31 mei 2027 (nog 2 dagen)"
    assert tn("overview.paid_until_value", 0, "nl", **d) == "31 mei 2027 (nog 0 dagen)"
    assert tn("overview.paid_until_value", 1, "en", **d) == "31 mei 2027 (1 day left)"
    assert tn("overview.paid_until_value", 5, "en", **d) == "31 mei 2027 (5 days left)"


@pytest.mark.parametrize("lang", ["de", "", "xx"])
def test_an_unknown_language_reads_dutch(lang):
    assert t("section.overview", lang) == t("section.overview", "nl") == "Accountinstellingen"


# --- the key scheme: area.what (README, "Translations") --------------------------------------------

# The areas a key may start with. A section or screen's own texts: its name in sections.py (or the
# screen's); texts several places share: one area each; the values of one kind: the kind's name.
SCREEN_AREAS = {
    "overview", "licences", "employees", "edition", "modules", "add_licences", "invite", "billing_details",
    "invoices", "cancel", "accept", "audit", "password", "signin", "session", "ssh", "mandate", "palette",
    "help", "section", "app", "list",  # list: the list-screen base both Licenties and Medewerkers use
}  # fmt: skip
SHARED_AREAS = {
    "error",  # every refusal and bad-input message, whoever says it (services, CLI, forms)
    "field", "label", "prompt", "confirm", "preview", "key", "tip",
    "bill",  # everything one click invoices (the renewal first, then the change): previews, questions, CLI
    "shared",  # a message the command line and the screens both say
    "cli",  # the command line's own output: only tribe_tui/cli uses these
    "doc", "mail", "check", "import",
}  # fmt: skip
VALUE_AREAS = {
    "invoice_status", "payment_method", "role", "kind", "status", "reason", "e_invoice", "licence", "line",
    "vat", "invitation",
}  # fmt: skip
# `.help` ends a key only where it names the help command itself; a screen's help text is `help.<area>`.
HELP_IS_A_COMMAND = {"key", "tip", "palette"}
KEY_SHAPE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")


def test_every_key_is_area_dot_what_with_a_known_area():
    wrong = sorted(
        key
        for key in _messages("en")
        if not KEY_SHAPE.fullmatch(key) or key.partition(".")[0] not in SCREEN_AREAS | SHARED_AREAS | VALUE_AREAS
    )
    assert wrong == []


def test_help_texts_live_under_help():
    assert (
        sorted(
            key for key in _messages("en") if key.endswith(".help") and key.partition(".")[0] not in HELP_IS_A_COMMAND
        )
        == []
    )


def test_only_the_command_line_uses_cli_keys():
    assert (
        sorted(
            f"{path}: {arg.value}"
            for path, _function, arg in _calls()
            if isinstance(arg, ast.Constant)
            and isinstance(arg.value, str)
            and arg.value.startswith("cli.")
            and not path.startswith("cli/")
        )
        == []
    )


def test_the_count_in_a_plural_message_is_grouped_as_the_language_writes_it():
    from tribe_tui.i18n import tn

    assert "100.000 licenties" in tn("cli.demo_created", 100_000, "nl")
    assert "100,000 licences" in tn("cli.demo_created", 100_000, "en")
    assert "1 licentie" in tn("cli.demo_created", 1, "nl")


def test_a_key_dutch_lacks_is_shown_in_english_not_as_a_bare_key():
    # Every key has both languages (the tests above); should one slip through, Dutch falls back to
    # English (read only then), in both the singular and the plural lookup.
    import gettext

    from tribe_tui.i18n import DOMAIN, LOCALE_DIR, _EnglishWhenAsked

    dutch = gettext.translation(DOMAIN, LOCALE_DIR, languages=["nl"])
    dutch.add_fallback(_EnglishWhenAsked())
    del dutch._catalog["label.status"]  # the test's own copy, not the app's
    del dutch._catalog[("cli.demo_created", 1)]
    assert dutch.gettext("label.status") == t("label.status", "en") != "label.status"
    assert dutch.ngettext("cli.demo_created", "cli.demo_created", 2).startswith("Demo organisation")
