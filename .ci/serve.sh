#!/usr/bin/env bash
# Creates the demo database (customer_relations and Events' event_crm, with
# which the bridge customer_relations_event installs itself, with demo data)
# or upgrades the addons in it when their files changed, then serves Odoo in the foreground
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

# With Events and its lead bridge (event_crm): the bridge customer_relations_event
# installs by itself beside them.
APPS=customer_relations,event_crm
state=$(db_module_state "$DB" customer_relations)
stamp=$VENV/.customer_relations/served-$DB
digest=$(addon_digest)
case $state in
    installed)
        if [[ $(db_module_state "$DB" event_crm) != installed ]]; then
            echo "[run] installing event_crm (and customer_relations_event) in $DB"
            action=(-i event_crm)
        elif [[ $(db_module_state "$DB" customer_relations_event) != installed ]]; then
            echo "[run] installing customer_relations_event in $DB"
            action=(-i customer_relations_event)
        elif [[ -f $stamp && $(cat "$stamp") == "$digest" ]]; then
            action=()
        else
            echo "[run] upgrading customer_relations and customer_relations_event in $DB"
            action=(-u customer_relations,customer_relations_event)
        fi ;;
    none)
        echo "[run] creating database $DB with $APPS and demo data (a few minutes, once)"
        bash "$here/server.sh" -i "$APPS" --stop-after-init --no-http \
            --workers=0 --log-level=warn
        action=() ;;
    *)
        echo "[run] installing $APPS in $DB"
        action=(-i "$APPS") ;;
esac
echo "$digest" > "$stamp"
if ((WORKERS > 0)); then
    mode="$WORKERS HTTP workers and ${CRON_THREADS:-2} cron workers"
else
    mode="threaded"
fi
echo "[run] Odoo on http://localhost:$PORT ($mode; database $DB, login admin / admin); Ctrl-C stops it"
exec bash "$here/server.sh" "${action[@]}"
