"""The addon installs into, and uninstalls from, a plain Odoo 18 database
(no demo data) without a warning or an error in Odoo's log."""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

import odoo

ROOT = Path(__file__).resolve().parents[1]
LOG_PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")

UNINSTALL = """
module = env["ir.module.module"].search([("name", "=", "customer_relations")])
module.button_immediate_uninstall()
env.cr.commit()
"""


# Years of orders before the addon: a customer's three confirmed orders, a
# quotation and a cancelled order, made with Sales alone.
HISTORY = """
from odoo import Command
partner = env["res.partner"].create({"name": "History Customer", "is_company": True})
product = env["product.product"].create({"name": "History Product", "list_price": 900})
line = {"product_id": product.id}
orders = env["sale.order"].create([
    {"partner_id": partner.id, "order_line": [Command.create(line)]} for _ in range(5)
])
orders[:4].action_confirm()
orders[3]._action_cancel()
env.cr.commit()
"""


def odoo_cmd(command, *args):
    conf = odoo.tools.config.rcfile or os.environ["ODOO_CONF"]
    return [str(Path(sys.executable).with_name("odoo")), command, "-c", conf, *args]


@pytest.fixture
def plain_db():
    name = f"cr_install_{uuid.uuid4().hex[:8]}"
    yield name
    odoo.sql_db.close_db(name)
    subprocess.run(
        ["dropdb", "--if-exists", "--force", name],
        env={
            **os.environ,
            "PGHOST": odoo.tools.config["db_host"] or "",
            "PGPORT": str(odoo.tools.config["db_port"] or ""),
            "PGUSER": odoo.tools.config["db_user"] or "",
            "PGPASSWORD": odoo.tools.config["db_password"] or "",
        },
        check=True,
    )


def run_odoo(command, args, log, stdin=None):
    result = subprocess.run(
        odoo_cmd(command, *args, "--log-level=info", f"--logfile={log}"),
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = Path(log).read_text(encoding="utf-8")
    problems = [line for line in text.splitlines() if LOG_PROBLEM.match(line)]
    assert not problems, "\n".join(problems)
    return text


def test_clean_install_and_uninstall(plain_db, tmp_path):
    run_odoo(
        "server",
        [
            "-d",
            plain_db,
            "-i",
            "customer_relations",
            "--without-demo=all",
            "--stop-after-init",
        ],
        tmp_path / "install.log",
    )
    run_odoo(
        "shell",
        ["-d", plain_db, "--no-http"],
        tmp_path / "uninstall.log",
        stdin=UNINSTALL,
    )
    db = odoo.sql_db.db_connect(plain_db)
    with db.cursor() as cr:
        cr.execute(
            "SELECT state FROM ir_module_module WHERE name = 'customer_relations'"
        )
        assert cr.fetchone()[0] == "uninstalled"
        cr.execute(
            "SELECT count(*) FROM information_schema.columns WHERE "
            "table_name = 'res_partner' AND column_name = 'key_account_manager_id'"
        )
        assert cr.fetchone()[0] == 0, "the addon's column stays after uninstall"
        cr.execute(
            "SELECT count(*) FROM ir_model_data WHERE module = 'customer_relations'"
        )
        assert cr.fetchone()[0] == 0, "records of the addon stay after uninstall"


def test_install_into_database_with_history(plain_db, tmp_path):
    """Orders confirmed before the addon get their account's tier at its
    installation, marked as such; quotations and cancelled orders none."""
    run_odoo(
        "server",
        [
            "-d",
            plain_db,
            "-i",
            "sale_management",
            "--without-demo=all",
            "--stop-after-init",
        ],
        tmp_path / "sales.log",
    )
    run_odoo(
        "shell", ["-d", plain_db, "--no-http"], tmp_path / "history.log", stdin=HISTORY
    )
    run_odoo(
        "server",
        [
            "-d",
            plain_db,
            "-i",
            "customer_relations",
            "--without-demo=all",
            "--stop-after-init",
        ],
        tmp_path / "install.log",
    )
    db = odoo.sql_db.db_connect(plain_db)
    with db.cursor() as cr:
        cr.execute(
            """
            SELECT so.state, t.name->>'en_US', so.customer_tier_backfilled
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
              LEFT JOIN customer_tier t ON t.id = so.customer_tier_id
             WHERE p.name = 'History Customer'
             ORDER BY so.id
            """
        )
        assert cr.fetchall() == [
            ("sale", "Standard", True),
            ("sale", "Standard", True),
            ("sale", "Standard", True),
            ("cancel", None, None),
            ("draft", None, None),
        ]
