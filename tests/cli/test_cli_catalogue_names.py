"""`catalogue` in English names the modules in English; its JSON keeps the printed (Dutch) name."""

from __future__ import annotations


def test_the_english_catalogue_text_names_modules_in_english(cli, org):
    english = cli("catalogue", "--lang", "en")
    assert english.code == 0 and "Projects" in english.out and "Link to Exact Online" in english.out, english.out
    assert "Projecten" not in english.out and "Koppeling" not in english.out
    dutch = cli("catalogue", "--lang", "nl").out
    assert "Projecten" in dutch and "Koppeling Exact Online" in dutch
    data = cli("catalogue", "--json", "--lang", "en").json
    assert next(m for m in data["modules"] if m["code"] == "projects")["name"] == "Projecten"
