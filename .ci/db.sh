# Database helpers shared by the scripts (sourced after env.sh).
psql_() { PGPASSWORD=$DB_PASSWORD psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -v ON_ERROR_STOP=1 -qtA "$@"; }

# Prints 'none' when the database does not exist, else the addon's state
# ('uninstalled', 'installed', ...; 'absent' when Odoo does not know it yet).
db_module_state() {
    local db=$1 module=$2 state
    if [[ -z $(psql_ -d postgres -c "select 1 from pg_database where datname = '$db'") ]]; then
        echo none
        return
    fi
    state=$(psql_ -d "$db" -c "select state from ir_module_module where name = '$module'" 2>/dev/null || true)
    echo "${state:-absent}"
}

# Drops a database and its filestore. An autovacuum worker (which our role may
# not terminate) can hold a database that was just filled: retry for a while.
drop_db() {
    local db=$1 try
    for try in $(seq 1 30); do
        if PGPASSWORD=$DB_PASSWORD dropdb -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" \
                --if-exists --force "$db" 2>/dev/null; then
            rm -rf "$ODOO_DATA_DIR/filestore/$db"
            return 0
        fi
        sleep 2
    done
    echo "[db] could not drop database $db: drop it by hand" >&2
    return 1
}

# A digest of the addons' files, to upgrade only when something changed.
addon_digest() {
    # shellcheck disable=SC2086 # ADDONS is a list of folders
    (cd "$ROOT" && find $ADDONS -type f ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
}
