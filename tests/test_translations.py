"""The committed translation template, and the translations made from it, have
the entries that Odoo's own export finds in the code and data of the addon
installed in make test's database (with its demo data, as make pot exports).

When a string is added, changed or removed in the code, this fails until
`make pot` regenerates the template and merges it into it.po (make lint then
names what is left to translate)."""

import io
import os
from contextlib import closing
from pathlib import Path

import polib

import odoo
from odoo.modules.registry import Registry
from odoo.tools.translate import trans_export

I18N = Path(__file__).resolve().parents[1] / "customer_relations" / "i18n"


def msgids(text):
    return {entry.msgid for entry in polib.pofile(text) if not entry.obsolete}


def exported_template():
    database = (
        os.environ.get("CUSTOMER_RELATIONS_TEST_DB") or odoo.tools.config["db_name"]
    )
    assert database, "no database: run through make test (or pass --odoo-database)"
    buffer = io.BytesIO()
    with closing(Registry(database).cursor()) as cr:
        # what `odoo --i18n-export=....pot --modules=customer_relations` writes
        trans_export(None, ["customer_relations"], buffer, "po", cr)
    return buffer.getvalue().decode("utf-8")


def difference(expected, found):
    lines = [f"  missing: {msgid!r}" for msgid in sorted(expected - found)]
    lines += [f"  obsolete: {msgid!r}" for msgid in sorted(found - expected)]
    return "\n".join(lines)


def test_template_and_translations_match_the_code():
    code = msgids(exported_template())
    assert len(code) > 500
    files = sorted(I18N.glob("*.po*"))
    assert [path.name for path in files] == ["customer_relations.pot", "it.po"]
    stale = {
        path.name: difference(code, msgids(str(path)))
        for path in files
        if msgids(str(path)) != code
    }
    assert not stale, "run `make pot`, then translate the new entries:\n" + "\n".join(
        f"{name}:\n{diff}" for name, diff in stale.items()
    )
