"""The committed translation templates, and the translations made from them,
have the entries that Odoo's own export finds in the code and data of each
addon (customer_relations, and its bridge customer_relations_event) installed
in make test's database (with their demo data, as make pot exports).

When a string is added, changed or removed in the code, this fails until
`make pot` regenerates the template and merges it into it.po (make lint then
names what is left to translate)."""

import io
import os
from contextlib import closing
from pathlib import Path

import polib
import pytest

import odoo
from odoo.modules.registry import Registry
from odoo.tools.translate import trans_export

ROOT = Path(__file__).resolve().parents[1]
# each addon, and the fewest entries its template has (a sanity check of the
# export)
ADDONS = {"customer_relations": 500, "customer_relations_event": 100}


def msgids(text):
    return {entry.msgid for entry in polib.pofile(text) if not entry.obsolete}


def exported_template(addon):
    database = (
        os.environ.get("CUSTOMER_RELATIONS_TEST_DB") or odoo.tools.config["db_name"]
    )
    assert database, "no database: run through make test (or pass --odoo-database)"
    buffer = io.BytesIO()
    with closing(Registry(database).cursor()) as cr:
        # what `odoo --i18n-export=....pot --modules=<addon>` writes
        trans_export(None, [addon], buffer, "po", cr)
    return buffer.getvalue().decode("utf-8")


def difference(expected, found):
    lines = [f"  missing: {msgid!r}" for msgid in sorted(expected - found)]
    lines += [f"  obsolete: {msgid!r}" for msgid in sorted(found - expected)]
    return "\n".join(lines)


@pytest.mark.parametrize("addon", sorted(ADDONS))
def test_template_and_translations_match_the_code(addon):
    code = msgids(exported_template(addon))
    assert len(code) > ADDONS[addon]
    files = sorted((ROOT / addon / "i18n").glob("*.po*"))
    assert [path.name for path in files] == [f"{addon}.pot", "it.po"]
    stale = {
        path.name: difference(code, msgids(str(path)))
        for path in files
        if msgids(str(path)) != code
    }
    assert not stale, "run `make pot`, then translate the new entries:\n" + "\n".join(
        f"{name}:\n{diff}" for name, diff in stale.items()
    )
