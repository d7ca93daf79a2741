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
