#!/usr/bin/env bash
# make pot: regenerates the translation templates <addon>/i18n/<addon>.pot of
# the addons (customer_relations and its bridge customer_relations_event) from
# the code with Odoo's own export (a database with the addons and their demo
# data, as make test's: event_crm brings the bridge), then merges each into
# its addon's language files (.ci/po_merge.py: translations kept, new entries
# empty, reworded ones fuzzy) and names what is left to translate
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
    echo "[pot] upgrading $ADDONS in $db"
    "${odoo[@]}" -i event_crm -u "${ADDONS// /,}" --stop-after-init
else
    echo "[pot] installing customer_relations and event_crm with demo data into $db"
    "${odoo[@]}" -i customer_relations,event_crm --stop-after-init
fi

old=$(mktemp)
trap 'rm -f "$old"; [[ -n ${POT_DB:-} ]] || drop_db "$db" || true' EXIT
for addon in $ADDONS; do
    pot=$addon/i18n/$addon.pot
    if [[ -f $pot ]]; then
        cp "$pot" "$old"
    else
        : > "$old"
    fi
    "${odoo[@]}" --i18n-export="$ROOT/$pot" --modules="$addon"
    # Only the export's dates changed: keep the file as it was.
    if diff -q -I '^"POT-Creation-Date: ' -I '^"PO-Revision-Date: ' "$old" "$pot" >/dev/null; then
        cp "$old" "$pot"
        echo "[pot] $pot: no change"
    else
        echo "[pot] $pot regenerated"
    fi
done
"$VENV/bin/python" "$here/po_merge.py"
if ! "$VENV/bin/python" "$here/check_po.py"; then
    echo "[pot] translate the entries named above (make lint fails until then)"
fi
