#!/usr/bin/env bash
# Creates the demo database (customer_relations with demo data) or upgrades the
# addon in it when its files changed, then serves Odoo in the foreground
# through server.sh (threaded, or prefork with WORKERS=N).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=.ci/env.sh
. "$here/env.sh"
. "$here/db.sh"
DB=${DB:-customer_relations_demo}
PORT=${PORT:-8069}
WORKERS=${WORKERS:-0}
export DB PORT WORKERS

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
        bash "$here/server.sh" -i customer_relations --stop-after-init --no-http \
            --workers=0 --log-level=warn
        action=() ;;
    *)
        echo "[run] installing customer_relations in $DB"
        action=(-i customer_relations) ;;
esac
echo "$digest" > "$stamp"
if ((WORKERS > 0)); then
    mode="$WORKERS HTTP workers and ${CRON_THREADS:-2} cron workers"
else
    mode="threaded"
fi
echo "[run] Odoo on http://localhost:$PORT ($mode; database $DB, login admin / admin); Ctrl-C stops it"
exec bash "$here/server.sh" "${action[@]}"
