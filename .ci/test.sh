#!/usr/bin/env bash
# make test: a fresh throwaway database with customer_relations and its demo
# data, then the whole suite under pytest-odoo (the addon's tests with their
# browser tours, the project's own tests in tests/, and Odoo's own test suites
# of the overridden apps), with coverage of the addon. Any failure, error or
# skipped test fails the run. The database is dropped at the end, pass or fail.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=.ci/env.sh
. "$here/env.sh"
. "$here/db.sh"
cd "$ROOT"

db=${TEST_DB:-cr_test_$(date +%Y%m%d%H%M%S)_$$}
logdir=$VENV/.customer_relations/test-logs
mkdir -p "$logdir"
cleanup() { drop_db "$db" || echo "[test] could not drop $db" >&2; }
trap cleanup EXIT
start=$SECONDS

# Inventory (sale_stock) too, as most companies run it beside Sales: the
# addon follows deliveries through Odoo's own data, with or without it, and
# does not depend on it. Events' lead bridge (event_crm) too: the bridge
# customer_relations_event installs by itself with it, and is tested.
echo "[test] installing $TEST_MODULES with demo data into $db"
install_log=$logdir/install-$db.log
if ! "$VENV/bin/odoo" -c "$ODOO_CONF" -d "$db" -i "$TEST_MODULES" --stop-after-init \
        --log-level=info --logfile="$install_log"; then
    tail -n 40 "$install_log" >&2
    echo "[test] FAILED: the addon did not install" >&2
    exit 1
fi
if grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$install_log" >&2; then
    echo "[test] FAILED: installing the addon logged the warnings or errors above ($install_log)" >&2
    exit 1
fi
echo "[test] installed in $((SECONDS - start)) s"

# Odoo's own suites of the apps the addon overrides, for those installed in $db.
odoo_src=$("$here/odoo_src.sh")
suites=()
for module in $ODOO_SUITES; do
    if [[ $(db_module_state "$db" "$module") == installed ]]; then
        suites+=("$odoo_src/addons/$module/tests")
    fi
done

# The bridges installed by themselves beside the addon (auto_install).
bridge_tests=()
for addon in $ADDONS; do
    if [[ $addon != customer_relations ]]; then
        if [[ $(db_module_state "$db" "$addon") != installed ]]; then
            echo "[test] FAILED: $addon did not install by itself in $db" >&2
            exit 1
        fi
        bridge_tests+=("$addon/tests")
    fi
done

status=0
PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH} \
CUSTOMER_RELATIONS_TEST_DB=$db \
"$VENV/bin/pytest" -p tests.strict_outcomes -p tests.browser_guard \
    --odoo-config="$ODOO_CONF" --odoo-database="$db" --odoo-http \
    --cov="$ROOT/customer_relations" --cov="$ROOT/customer_relations_event" \
    --cov-report=term-missing:skip-covered \
    customer_relations/tests "${bridge_tests[@]}" tests "${suites[@]}" "$@" || status=$?
echo "[test] finished in $((SECONDS - start)) s"
exit "$status"
