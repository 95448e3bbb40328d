"""R12: a database whose catalogue versions hold only prices (made before versions held names,
per-user and required editions) is brought up to date when tribe-tui opens it: every version gets
them from the catalogue as loaded, and charges stay what they were."""

from __future__ import annotations

import os

ITEM_COLUMNS = ("name", "per_user", "requires", "rank")


def test_a_database_with_price_only_catalogue_versions_gains_the_rest(cli):
    from tribe_tui.db import open_database
    from tribe_tui.migrations import MIGRATIONS, SCHEMA_VERSION, _catalogue_version_items, _catalogue_versions
    from tribe_tui.models import CataloguePrice, CatalogueVersion, Edition, Module, Organisation, SchemaVersion

    assert cli("demo", "--no-open").code == 0
    forecast = cli("licences", "add", "1", "--dry-run", "--json").json
    db = open_database(os.environ["TRIBE_DATABASE_URL"])
    # Back to the release before catalogue versions: no versions, then migration 6 and on again.
    with db.atomic():
        Organisation.update(catalogue_version=None).execute()
        CataloguePrice.delete().execute()
        CatalogueVersion.delete().execute()
        for column in ITEM_COLUMNS:
            db.execute_sql(f'ALTER TABLE catalogue_price DROP COLUMN "{column}"')
        SchemaVersion.delete().where(SchemaVersion.version >= MIGRATIONS.index(_catalogue_versions) + 1).execute()
    assert not set(ITEM_COLUMNS) & {c.name for c in db.get_columns("catalogue_price")}
    db.close()

    db = open_database(os.environ["TRIBE_DATABASE_URL"])
    assert max(v.version for v in SchemaVersion.select()) == SCHEMA_VERSION
    assert set(ITEM_COLUMNS) <= {c.name for c in db.get_columns("catalogue_price")}
    [version] = CatalogueVersion.select()
    assert Organisation.get().catalogue_version_id == version.id
    editions = {
        (p.code, p.name, p.rank, p.yearly_price)
        for p in CataloguePrice.select().where(CataloguePrice.kind == "edition")
    }
    assert editions == {(e.code, e.name, e.rank, e.yearly_price) for e in Edition.select()}
    modules = {
        (p.code, p.name, p.per_user, p.requires, p.yearly_price)
        for p in CataloguePrice.select().where(CataloguePrice.kind == "module")
    }
    assert modules == {(m.code, m.name, m.per_user, m.requires_id, m.yearly_price) for m in Module.select()}
    _catalogue_version_items(db)  # idempotent: once more changes nothing
    assert {
        (p.code, p.name, p.per_user, p.requires) for p in CataloguePrice.select().where(CataloguePrice.kind == "module")
    } == {m[:4] for m in modules}
    db.close()
    assert cli("licences", "add", "1", "--dry-run", "--json").json == forecast
