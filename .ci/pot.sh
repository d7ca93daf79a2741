#!/usr/bin/env bash
# make pot: regenerates the translation template
# customer_relations/i18n/customer_relations.pot from the code with Odoo's own
# export (a database with the addon and its demo data, as make test's), then
# merges it into each language file (.ci/po_merge.py: translations kept, new
# entries empty, reworded ones fuzzy) and names what is left to translate
# (.ci/check_po.py, which make lint runs).
# POT_DB names the database to export from (kept, upgraded when the addon
# changed); without it a throwaway database is made and dropped.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=.ci/env.sh
. "$here/env.sh"
. "$here/db.sh"
cd "$ROOT"

db=${POT_DB:-cr_pot_$(date +%Y%m%d%H%M%S)_$$}
[[ -n ${POT_DB:-} ]] || trap 'drop_db "$db" || echo "[pot] could not drop $db" >&2' EXIT
odoo=("$VENV/bin/odoo" -c "$ODOO_CONF" -d "$db" --log-level=warn)
if [[ $(db_module_state "$db" customer_relations) == installed ]]; then
    echo "[pot] upgrading customer_relations in $db"
    "${odoo[@]}" -u customer_relations --stop-after-init
else
    echo "[pot] installing customer_relations with demo data into $db"
    "${odoo[@]}" -i customer_relations --stop-after-init
fi

pot=customer_relations/i18n/customer_relations.pot
old=$(mktemp)
trap 'rm -f "$old"; [[ -n ${POT_DB:-} ]] || drop_db "$db" || true' EXIT
cp "$pot" "$old"
"${odoo[@]}" --i18n-export="$ROOT/$pot" --modules=customer_relations
# Only the export's dates changed: keep the file as it was.
if diff -q -I '^"POT-Creation-Date: ' -I '^"PO-Revision-Date: ' "$old" "$pot" >/dev/null; then
    cp "$old" "$pot"
    echo "[pot] $pot: no change"
else
    echo "[pot] $pot regenerated"
fi
"$VENV/bin/python" "$here/po_merge.py"
if ! "$VENV/bin/python" "$here/check_po.py"; then
    echo "[pot] translate the entries named above (make lint fails until then)"
fi
