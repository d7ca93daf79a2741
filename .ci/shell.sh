#!/usr/bin/env bash
# Odoo shell on the demo database (make run creates it).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=.ci/env.sh
. "$here/env.sh"
exec "$VENV/bin/odoo" shell -c "$ODOO_CONF" -d "${DB:-customer_relations_demo}" --no-http
