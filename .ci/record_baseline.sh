#!/usr/bin/env bash
# Records tests/odoo_suite_baseline.txt: the outcome of Odoo's own suites
# (ODOO_SUITES) in a database with the same apps as make test's, but without
# customer_relations. make test accepts exactly these outcomes for them, and
# no other failure or skip.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=.ci/env.sh
. "$here/env.sh"
. "$here/db.sh"
cd "$ROOT"

db=cr_baseline_$(date +%Y%m%d%H%M%S)_$$
cleanup() { drop_db "$db" || echo "[baseline] could not drop $db" >&2; }
trap cleanup EXIT
# the apps customer_relations depends on, and the others make test installs
apps=$("$VENV/bin/python" - "$ROOT" "$TEST_MODULES" <<'PY'
import ast, pathlib, sys
root, modules = pathlib.Path(sys.argv[1]), sys.argv[2].split(",")
manifest = ast.literal_eval((root / "customer_relations/__manifest__.py").read_text())
apps = [*manifest["depends"], *(m for m in modules if m != "customer_relations")]
print(",".join(dict.fromkeys(apps)))
PY
)
echo "[baseline] installing $apps (with demo data, without customer_relations) into $db"
"$VENV/bin/odoo" -c "$ODOO_CONF" -d "$db" -i "$apps" --stop-after-init --log-level=warn
odoo_src=$("$here/odoo_src.sh")
suites=()
for module in $ODOO_SUITES; do
    suites+=("$odoo_src/addons/$module/tests")
done
PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH} \
CUSTOMER_RELATIONS_BASELINE_OUT=$ROOT/tests/odoo_suite_baseline.txt \
"$VENV/bin/pytest" -p tests.record_baseline \
    --odoo-config="$ODOO_CONF" --odoo-database="$db" --odoo-http \
    -p no:cacheprovider -q "${suites[@]}" || true
echo "[baseline] wrote tests/odoo_suite_baseline.txt"
