# Shared settings of the project's scripts; each can be given in the environment.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
: "${PYTHON:=python3}"
: "${VENV:=$ROOT/.venv}"
: "${DB_HOST:=localhost}"
: "${DB_PORT:=5432}"
: "${DB_USER:=odoo}"
: "${DB_PASSWORD:=odoo}"
: "${ODOO_MASTER_PASSWORD:=admin}"
: "${ODOO_CONF:=$VENV/odoo.conf}"
: "${ODOO_DATA_DIR:=$VENV/odoo-data}"
# The default place of Odoo's source, outside the repository, one per user.
: "${ODOO_SRC_DEFAULT:=${XDG_CACHE_HOME:-$HOME/.cache}/customer_relations/odoo-18.0}"
: "${ODOO_ARCHIVE_URL:=https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz}"
export PYTHON VENV DB_HOST DB_PORT DB_USER DB_PASSWORD ODOO_MASTER_PASSWORD ODOO_CONF ODOO_DATA_DIR ODOO_SRC_DEFAULT ODOO_ARCHIVE_URL
# What make test installs, and Odoo's own suites it runs beside the addon's
# (those of the apps the addon extends, and of Inventory's sale bridge).
# Events' lead bridge (event_crm) too: the bridge customer_relations_event
# then installs by itself (auto_install) and is tested with the rest.
: "${TEST_MODULES:=customer_relations,sale_stock,event_crm}"
: "${ODOO_SUITES:=sale sale_crm sale_loyalty crm sale_stock event_crm}"
# The repository's addons: the main one, and the bridges that install by
# themselves beside it when their other app is there.
ADDONS="customer_relations customer_relations_event"
export TEST_MODULES ODOO_SUITES ADDONS
