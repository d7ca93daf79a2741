#!/usr/bin/env bash
# make bench: a fresh database with customer_relations (no demo data), then the
# benchmarks of tests/benchmarks; each result is a line 'BENCH <name> <value> <unit>'.
# BENCH_DB names the database (kept afterwards only with BENCH_KEEP=1);
# BENCH='accounts ...' runs only some.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=.ci/env.sh
. "$here/env.sh"
. "$here/db.sh"
cd "$ROOT"
db=${BENCH_DB:-cr_bench_$$}
[[ ${BENCH_KEEP:-0} == 1 ]] || trap 'drop_db "$db" || true' EXIT
stamp=$VENV/.customer_relations/bench-$db
if [[ $(db_module_state "$db" customer_relations) != installed ]]; then
    echo "[bench] installing customer_relations into $db (no demo data)"
    "$VENV/bin/odoo" -c "$ODOO_CONF" -d "$db" -i customer_relations --without-demo=all \
        --stop-after-init --log-level=warn
elif [[ ! -f $stamp || $(cat "$stamp") != "$(addon_digest)" ]]; then
    echo "[bench] upgrading customer_relations in $db"
    "$VENV/bin/odoo" -c "$ODOO_CONF" -d "$db" -u customer_relations --stop-after-init --log-level=warn
fi
addon_digest > "$stamp"
# The same Odoo apps without the addon, for the benchmark that compares with it.
base=()
if [[ -z ${BENCH:-} || " $BENCH " == *" support "* ]]; then
    base_db=${db}_base
    [[ ${BENCH_KEEP:-0} == 1 ]] || trap 'drop_db "$db" || true; drop_db "$base_db" || true' EXIT
    if [[ $(db_module_state "$base_db" sale_loyalty) != installed ]]; then
        echo "[bench] installing the same apps without the addon into $base_db"
        "$VENV/bin/odoo" -c "$ODOO_CONF" -d "$base_db" \
            -i sale_management,sale_crm,sale_loyalty --without-demo=all \
            --stop-after-init --log-level=warn
    fi
    base=(--base-database "$base_db")
fi
# shellcheck disable=SC2086
PYTHONPATH=$ROOT "$VENV/bin/python" -m tests.benchmarks.run -c "$ODOO_CONF" -d "$db" \
    "${base[@]}" ${BENCH:-}
