"""`audit list` as text says each event in words, with Amsterdam's time and zone; --json keeps the
stored action and data."""

from __future__ import annotations

import re


def test_audit_list_text_is_sentences_with_the_zone(cli, org):
    english = cli("audit", "list", "--lang", "en")
    assert english.code == 0
    assert "created the organisation" in english.out and "with 3 licences" in english.out, english.out
    assert re.search(r"\d{1,2} \w{3} \d{4} \d{2}:\d{2} CES?T", english.out), english.out
    assert "organisation.create" not in english.out and "{" not in english.out
    dutch = cli("audit", "list", "--lang", "nl").out
    assert "heeft de organisatie" in dutch, dutch
    assert cli("audit", "list", "--json").json[-1]["action"] == "organisation.create"
