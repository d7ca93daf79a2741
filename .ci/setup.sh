#!/usr/bin/env bash
# Idempotent set-up of everything `make run` and `make test` need:
# Debian packages, a PostgreSQL cluster and an Odoo role, the virtual
# environment with Odoo 18.0 and its requirements, the project's tools and
# the Odoo configuration file. Each step checks first and does nothing when
# its work is already done, so a second run takes seconds.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=.ci/env.sh
. "$here/env.sh"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

# --- 1. Debian packages ---------------------------------------------------
# wkhtmltopdf prints Odoo's PDF reports (quotations with their referral
# clause). Debian's build lacks Odoo's patched Qt: enough to print and test,
# but production wants the 0.12.6.1 "wkhtmltox" build (see README.md).
debian_packages=(postgresql libpq-dev libldap2-dev libsasl2-dev chromium
                 wkhtmltopdf python3-venv build-essential)
if command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    for pkg in "${debian_packages[@]}"; do
        # any wkhtmltopdf on the PATH will do (wkhtmltox puts its own in /usr/local/bin)
        [[ $pkg == wkhtmltopdf ]] && command -v wkhtmltopdf >/dev/null 2>&1 && continue
        status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
        [[ $status == "install ok installed" ]] || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        if [[ $(id -u) == 0 ]]; then
            say "installing Debian packages: ${missing[*]}"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -qq
            apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
        else
            die "missing Debian packages: ${missing[*]}
Install them as root:  sudo apt-get install ${missing[*]}"
        fi
    fi
else
    say "not a Debian system: make sure PostgreSQL, libpq, libldap, libsasl, Chromium and wkhtmltopdf are installed"
fi

# --- 2. PostgreSQL ----------------------------------------------------------
pg_ready() { PGPASSWORD=$DB_PASSWORD psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -tAc 'select 1' >/dev/null 2>&1; }
if ! pg_ready; then
    if [[ $DB_HOST == localhost || $DB_HOST == 127.0.0.1 ]] && command -v pg_lsclusters >/dev/null 2>&1; then
        if [[ $(id -u) != 0 ]]; then
            die "PostgreSQL is not reachable as role '$DB_USER' on $DB_HOST:$DB_PORT.
Start a cluster and create the role as root (make run does it when run as root), or set DB_HOST, DB_PORT, DB_USER, DB_PASSWORD."
        fi
        cluster=$(pg_lsclusters -h | awk -v p="$DB_PORT" '$3 == p {print $1" "$2; exit}')
        if [[ -z $cluster ]]; then
            version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
            say "creating PostgreSQL $version cluster 'main' on port $DB_PORT"
            pg_createcluster "$version" main --port "$DB_PORT" >/dev/null
            cluster="$version main"
        fi
        # shellcheck disable=SC2086
        if [[ $(pg_lsclusters -h | awk -v p="$DB_PORT" '$3 == p {print $4}') != online ]]; then
            say "starting PostgreSQL cluster $cluster"
            pg_ctlcluster $cluster start
        fi
        for _ in $(seq 1 30); do
            su postgres -c "psql -p $DB_PORT -tAc 'select 1'" >/dev/null 2>&1 && break
            sleep 1
        done
        if ! su postgres -c "psql -p $DB_PORT -tAc \"select 1 from pg_roles where rolname = '$DB_USER'\"" | grep -q 1; then
            say "creating database role '$DB_USER'"
            su postgres -c "psql -p $DB_PORT -q -c \"create role \\\"$DB_USER\\\" login createdb password '$DB_PASSWORD'\""
        fi
        pg_ready || die "PostgreSQL still refuses role '$DB_USER' on $DB_HOST:$DB_PORT (check pg_hba.conf)"
    else
        die "PostgreSQL is not reachable as role '$DB_USER' on $DB_HOST:$DB_PORT; set DB_HOST, DB_PORT, DB_USER, DB_PASSWORD"
    fi
fi

# --- 3. Virtual environment -------------------------------------------------
if [[ ! -x $VENV/bin/python ]]; then
    say "creating virtual environment $VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip wheel
fi
py=$VENV/bin/python

# --- 4. Odoo's source --------------------------------------------------------
src=$("$here/odoo_src.sh")  # prints the folder, or explains what to do and fails
stamp_dir=$VENV/.customer_relations
mkdir -p "$stamp_dir"

# --- 5. Odoo's requirements and Odoo itself ----------------------------------
# Constraints on Odoo's requirements:
# - cbor2 5.4.2 (Odoo's pin for Python 3.11) builds only with setuptools < 70;
# - gevent 22.10.2 (Odoo's pin) loads its plugins through the pkg_resources of
#   that setuptools, which does not find zope.interface >= 8 and zope.event
#   >= 5.1 (their metadata folders have normalized names): with them the
#   websocket process of the prefork server (make run WORKERS=N) dies at start.
constraint_lines='setuptools<70
zope.event<5.1
zope.interface<8'
req_key=$(printf '%s\n' "$constraint_lines" | cat - "$src/requirements.txt" "$ROOT/requirements-dev.txt" | sha256sum | cut -c1-16)
if [[ ! -f $stamp_dir/requirements-$req_key ]]; then
    say "installing Odoo's requirements and the project's tools (a few minutes, once)"
    constraints=$stamp_dir/build-constraints.txt
    printf '%s\n' "$constraint_lines" > "$constraints"
    PIP_CONSTRAINT=$constraints PIP_BUILD_CONSTRAINT=$constraints "$py" -m pip install -q -r "$src/requirements.txt"
    "$py" -m pip install -q -r "$ROOT/requirements-dev.txt"
    rm -f "$stamp_dir"/requirements-*
    touch "$stamp_dir/requirements-$req_key"
fi
installed_src=$("$py" - <<'PY' 2>/dev/null || true
import os, odoo
print(os.path.dirname(os.path.dirname(os.path.realpath(odoo.__file__))))
PY
)
if [[ $installed_src != "$(realpath "$src")" ]]; then
    say "installing Odoo 18.0 from $src into $VENV"
    "$py" -m pip install -q --no-deps -e "$src" --config-settings editable_mode=compat
fi

# --- 6. Odoo configuration --------------------------------------------------------
mkdir -p "$(dirname "$ODOO_CONF")" "$ODOO_DATA_DIR"
conf_tmp=$(mktemp)
cat > "$conf_tmp" <<CONF
[options]
; Written by .ci/setup.sh: edit the DB_* variables instead of this file.
addons_path = $src/odoo/addons,$src/addons,$ROOT
data_dir = $ODOO_DATA_DIR
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = $DB_PASSWORD
admin_passwd = $ODOO_MASTER_PASSWORD
without_demo = False
CONF
if ! cmp -s "$conf_tmp" "$ODOO_CONF" 2>/dev/null; then
    mv "$conf_tmp" "$ODOO_CONF"
    say "wrote $ODOO_CONF"
else
    rm -f "$conf_tmp"
fi
