def test_demo_then_account_show(cli):
    assert cli("demo", "--no-open").code == 0
    shown = cli("account", "show", "--json")
    assert shown.code == 0, shown.err
    assert shown.json["licences"] == {"total": 30, "in_use": 27, "free": 3}
