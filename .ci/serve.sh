#!/usr/bin/env bash
# Creates the demo database (customer_relations with demo data) or upgrades the
# addon in it when its files changed, then serves Odoo in the foreground.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=.ci/env.sh
. "$here/env.sh"
. "$here/db.sh"
DB=${DB:-customer_relations_demo}
PORT=${PORT:-8069}
WORKERS=${WORKERS:-0}
odoo=("$VENV/bin/odoo" -c "$ODOO_CONF" -d "$DB" --db-filter="^${DB}\$" --http-port="$PORT" --workers="$WORKERS")

state=$(db_module_state "$DB" customer_relations)
stamp=$VENV/.customer_relations/served-$DB
digest=$(addon_digest)
case $state in
    installed)
        if [[ -f $stamp && $(cat "$stamp") == "$digest" ]]; then
            action=()
        else
            echo "[run] upgrading customer_relations in $DB"
            action=(-u customer_relations)
        fi ;;
    none)
        echo "[run] creating database $DB with customer_relations and demo data (about a minute, once)"
        "${odoo[@]}" -i customer_relations --stop-after-init --log-level=warn
        action=() ;;
    *)
        echo "[run] installing customer_relations in $DB"
        action=(-i customer_relations) ;;
esac
echo "$digest" > "$stamp"
echo "[run] Odoo on http://localhost:$PORT (database $DB, login admin / admin); Ctrl-C stops it"
exec "${odoo[@]}" "${action[@]}"
