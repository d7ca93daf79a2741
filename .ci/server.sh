#!/usr/bin/env bash
# Serves Odoo on the database $DB in the foreground, as `make run` does once
# the database is ready (tests/test_workers.py starts it the same way).
#   WORKERS=0   threaded server: HTTP and CRON_THREADS cron threads in one process
#   WORKERS=N   Odoo's prefork server: N HTTP worker processes, CRON_THREADS cron
#               worker processes, and a gevent process for the websocket
#               (live notifications) on GEVENT_PORT; a master process watches
#               them and restarts those that exceed Odoo's limits
# Arguments go to Odoo after these options (make run passes -u when the addon
# changed).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=.ci/env.sh
. "$here/env.sh"
DB=${DB:-customer_relations_demo}
PORT=${PORT:-8069}
WORKERS=${WORKERS:-0}
# Odoo's own defaults: the websocket 3 ports above HTTP (8072), 2 cron workers.
GEVENT_PORT=${GEVENT_PORT:-$((PORT + 3))}
CRON_THREADS=${CRON_THREADS:-2}
HTTP_INTERFACE=${HTTP_INTERFACE:-}
args=(-c "$ODOO_CONF" -d "$DB" --db-filter="^${DB}\$"
      --http-port="$PORT" --gevent-port="$GEVENT_PORT"
      --workers="$WORKERS" --max-cron-threads="$CRON_THREADS")
if [[ -n $HTTP_INTERFACE ]]; then
    args+=(--http-interface="$HTTP_INTERFACE")
fi
exec "$VENV/bin/odoo" "${args[@]}" "$@"
