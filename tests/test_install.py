"""The addon installs into, and uninstalls from, a plain Odoo 18 database
(no demo data) without a warning or an error in Odoo's log.

The database has used Sales before the addon: its confirmed orders get their
account's tier at the installation, marked as filled then.

Before the uninstall, the database is given data through the addon's models
(orders with tiers, accounts with key account managers, a rewarded referral
and its coupon, objections and measures, a category's complaints address,
activities on the addon's records and on Odoo's own). After it, Odoo's own
records still work through the ORM, and nothing of the addon is left behind:
no table or column, no rule, cron, action, view, alias, parameter, XML id, nor
activity, message or follower of its models."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

import odoo

ROOT = Path(__file__).resolve().parents[1]
LOG_PROBLEM = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")

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

# Data through the addon's models, as people make it. Writes to SCHEMA_PATH
# the addon's own tables and its columns on Odoo's tables.
DATA = """
import json
from odoo import Command

admin = env.ref("base.user_admin")
tier = {
    name: env.ref(f"customer_relations.customer_tier_{name}")
    for name in ("strategic", "key", "preferred")
}
manager = env["res.users"].create(
    {
        "name": "Kim Manager",
        "login": "un_kam",
        "groups_id": [
            Command.link(env.ref("customer_relations.group_customer_relations_user").id)
        ],
    }
)
Partner = env["res.partner"]
big = Partner.create(
    {"name": "Big Account", "is_company": True, "customer_rank": 1,
     "key_account_manager_id": manager.id, "email": "big@example.com"}
)
contact = Partner.create({"name": "Bea Contact", "parent_id": big.id})
env.cr.commit()  # records are not tracked in the transaction that creates them
big.key_account_manager_id = admin  # tracked in the partner's chatter
newcomer = Partner.create({"name": "Newcomer", "is_company": True, "customer_rank": 1})
product = env["product.product"].create(
    {"name": "Widget", "list_price": 1000.0, "invoice_policy": "order",
     "taxes_id": [Command.clear()]}
)
program = env["loyalty.program"].create(
    {
        "name": "Referral coupons",
        "program_type": "coupons",
        "reward_ids": [
            Command.clear(),
            Command.create(
                {"reward_type": "discount", "discount": 10, "required_points": 1}
            ),
        ],
    }
)
clause = env["customer.referral.clause"].create(
    {"name": "10% for each new customer", "program_id": program.id,
     "min_first_order_amount": 1000.0, "validity_days": 90,
     "text": "<p>You get 10% off your next order.</p>"}
)


def order(partner, amount, clause=None):
    return env["sale.order"].create(
        {
            "partner_id": partner.id,
            "user_id": manager.id,
            "referral_clause_id": clause and clause.id,
            "order_line": [
                Command.create(
                    {"product_id": product.id, "product_uom_qty": 1.0,
                     "price_unit": amount, "tax_id": [Command.clear()]}
                )
            ],
        }
    )


orders = order(big, 30000.0, clause=clause) | order(contact, 30000.0)
orders.action_confirm()
Partner._cron_customer_tier_recompute(all_batches=True)
newcomer.with_user(admin).write(
    {"customer_tier_id": tier["key"].id, "customer_tier_locked": True,
     "customer_tier_lock_reason": "Framework contract"}
)
later = order(big, 1000.0)
later.action_confirm()
assert later.customer_tier_id == tier["preferred"], later.customer_tier_id
referral = env["customer.referral"].create(
    {"referrer_id": big.id, "referred_id": newcomer.id}
)
order(newcomer, 1500.0).action_confirm()
assert referral.state == "rewarded" and referral.reward_card_id, referral.state
order(newcomer, 300.0, clause=clause)  # a quotation, confirmed after the uninstall
objection = env["customer.objection"].create(
    {"name": "Too expensive", "partner_id": contact.id, "order_id": later.id}
)
env["customer.objection.action"].create(
    {"objection_id": objection.id, "name": "Offer a volume discount",
     "user_id": manager.id}
)
objection.message_post(body="The customer called again.")
category = env.ref("customer_relations.customer_objection_category_price")
category.alias_name = "price-complaints"
env["res.config.settings"].create({"objection_alias_name": "complaints"}).execute()
# Odoo's own records, worked on meanwhile
big.activity_schedule("mail.mail_activity_data_todo", summary="Call Big Account")
later.activity_schedule("mail.mail_activity_data_todo", summary="Check the delivery")
later.message_post(body="Delivery planned.")
team = env["crm.team"].search([], limit=1)
team.alias_name = "team-sales"
assert env["mail.activity"].search_count([("res_model", "like", "customer.")])
objection_model = env["ir.model"]._get_id("customer.objection")
assert env["mail.alias"].search_count([("alias_model_id", "=", objection_model)]) == 2
assert env["ir.config_parameter"].search_count([("key", "like", "customer_relations.")])
models = env["ir.model"].search([("model", "like", "customer.")]).mapped("model")
tables = [env[model]._table for model in models if env[model]._auto]
tables += env["ir.model.relation"].search(
    [("module.name", "=", "customer_relations")]
).mapped("name")
env.cr.execute('''
    SELECT f.model, f.name FROM ir_model_fields f
      JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id
     WHERE d.module = 'customer_relations' AND f.store
       AND f.ttype NOT IN ('one2many', 'many2many') AND f.model NOT LIKE 'customer.%'
       AND NOT EXISTS (SELECT 1 FROM ir_model_data o WHERE o.model = 'ir.model.fields'
                       AND o.res_id = f.id AND o.module != 'customer_relations')
''')
columns = [[env[model]._table, name] for model, name in env.cr.fetchall()]
assert ["res_partner", "key_account_manager_id"] in columns, columns
with open(SCHEMA_PATH, "w", encoding="utf-8") as file:
    json.dump({"tables": tables, "columns": columns}, file)
env.cr.commit()
"""

UNINSTALL = """
module = env["ir.module.module"].search([("name", "=", "customer_relations")])
module.button_immediate_uninstall()
env.cr.commit()
"""


# After the uninstall, Odoo's own records work through the ORM: forms read,
# the quotation confirmed, the coupon and activities read, chatters formatted.
AFTER = """
from ast import literal_eval
from lxml import etree
from odoo.addons.mail.tools.discuss import Store

assert "customer.objection" not in env
for model in ("res.partner", "sale.order", "loyalty.card", "mail.activity"):
    Model = env[model]
    arch = Model.get_views([(False, "form")])["views"]["form"]["arch"]
    names = {node.get("name") for node in etree.fromstring(arch).iter("field")}
    Model.search([]).read([name for name in names if name in Model._fields])
big = env["res.partner"].search([("name", "=", "Big Account")])
quotation = env["sale.order"].search(
    [("state", "=", "draft"), ("partner_id.name", "=", "Newcomer")]
)
quotation.action_confirm()
assert quotation.state == "sale"
card = env["loyalty.card"].search([("partner_id", "=", big.id)])
assert card.code and card.points == 1 and card.program_id.name == "Referral coupons"
activities = env["mail.activity"].search([])
summaries = sorted(activities.mapped("summary"))
assert summaries == ["Call Big Account", "Check the delivery"], summaries
activities.read(["res_model", "res_id", "res_name", "summary", "user_id"])
big.activity_ids.action_feedback(feedback="Called")
for record in (big, quotation.search([("activity_ids", "!=", False)])):
    assert record.message_ids
    store = Store()
    record.message_ids._to_store(store, for_current_user=True, add_followers=True)
    store.get_result()
    record.message_ids.tracking_value_ids._tracking_value_format()
trackings = big.message_ids.tracking_value_ids
assert trackings and not trackings.field_id, "the addon's field is gone"
for alias in env["mail.alias"].search([]):
    alias.read(["alias_name", "alias_model_id", "alias_parent_model_id"])
    assert alias.alias_model_id.model in env, alias.alias_name
    literal_eval(alias.alias_defaults)
assert env["mail.alias"].search_count([("alias_name", "=", "team-sales")]) == 1
env.cr.commit()
"""

# What must be gone after the uninstall: what, and SQL counting what is left.
ORPHANS = {
    "models": "SELECT count(*) FROM ir_model WHERE model LIKE 'customer.%'",
    "fields of or towards the addon's models": """
        SELECT count(*) FROM ir_model_fields
         WHERE model LIKE 'customer.%' OR relation LIKE 'customer.%'""",
    "XML ids": """
        SELECT count(*) FROM ir_model_data
         WHERE module = 'customer_relations' OR model LIKE 'customer.%'""",
    "record rules": """
        SELECT count(*) FROM ir_rule r JOIN ir_model m ON m.id = r.model_id
         WHERE m.model LIKE 'customer.%' OR r.domain_force LIKE '%key_account%'
            OR r.domain_force LIKE '%customer_tier%'
            OR r.domain_force LIKE '%referral%'""",
    "scheduled actions": """
        SELECT count(*) FROM ir_cron c
          JOIN ir_act_server a ON a.id = c.ir_actions_server_id
         WHERE a.model_name LIKE 'customer.%' OR a.code LIKE '%customer%'""",
    "actions": """
        SELECT (SELECT count(*) FROM ir_act_window
                 WHERE res_model LIKE 'customer.%'
                    OR context LIKE '%customer_relations%'
                    OR context LIKE '%key_account%' OR domain LIKE '%key_account%'
                    OR domain LIKE '%customer_tier%')
             + (SELECT count(*) FROM ir_act_server
                 WHERE model_name LIKE 'customer.%'
                    OR code LIKE '%customer_relations%')
             + (SELECT count(*) FROM ir_act_report_xml
                 WHERE model LIKE 'customer.%'
                    OR report_name LIKE 'customer_relations.%')""",
    "views": """
        SELECT count(*) FROM ir_ui_view
         WHERE model LIKE 'customer.%' OR key LIKE 'customer_relations.%'
            OR arch_db::text LIKE '%key_account%'
            OR arch_db::text LIKE '%referral_clause%'""",
    "menus": "SELECT count(*) FROM ir_ui_menu WHERE name::text LIKE '%Customer Rel%'",
    "mail aliases": """
        SELECT count(*) FROM mail_alias a
          LEFT JOIN ir_model m ON m.id = a.alias_model_id
          LEFT JOIN ir_model p ON p.id = a.alias_parent_model_id
         WHERE m.id IS NULL OR m.model LIKE 'customer.%'
            OR p.model LIKE 'customer.%'
            OR (a.alias_parent_thread_id IS NOT NULL AND p.id IS NULL)
            OR a.alias_name IN ('complaints', 'price-complaints')
            OR a.alias_defaults LIKE '%category_id%'""",
    "system parameters": """
        SELECT count(*) FROM ir_config_parameter
         WHERE key LIKE 'customer_relations.%'""",
    "mail templates, sequences, activity types": """
        SELECT (SELECT count(*) FROM mail_template t
                  JOIN ir_model m ON m.id = t.model_id
                 WHERE m.model LIKE 'customer.%')
             + (SELECT count(*) FROM ir_sequence WHERE code LIKE 'customer.%')
             + (SELECT count(*) FROM mail_activity_type
                 WHERE res_model LIKE 'customer.%')""",
    "activities, messages, followers, attachments of the addon's models": """
        SELECT (SELECT count(*) FROM mail_activity WHERE res_model LIKE 'customer.%')
             + (SELECT count(*) FROM mail_message WHERE model LIKE 'customer.%')
             + (SELECT count(*) FROM mail_followers WHERE res_model LIKE 'customer.%')
             + (SELECT count(*) FROM ir_attachment
                 WHERE res_model LIKE 'customer.%')""",
    "groups": """
        SELECT count(*) FROM res_groups g
          JOIN ir_module_category c ON c.id = g.category_id
         WHERE c.name::text LIKE '%Customer Relations%'""",
}


def odoo_cmd(command, *args, conf=None):
    conf = conf or odoo.tools.config.rcfile or os.environ["ODOO_CONF"]
    return [str(Path(sys.executable).with_name("odoo")), command, "-c", conf, *args]


def drop_database(name, attempts=10):
    """Drop the test database ``name`` and its filestore. PostgreSQL's own
    autovacuum, which a big uninstall wakes up, may still work in it: its
    process is not ours to end, so wait for it and try again."""
    odoo.sql_db.close_db(name)
    env = {
        **os.environ,
        "PGHOST": odoo.tools.config["db_host"] or "",
        "PGPORT": str(odoo.tools.config["db_port"] or ""),
        "PGUSER": odoo.tools.config["db_user"] or "",
        "PGPASSWORD": odoo.tools.config["db_password"] or "",
    }
    for attempt in range(attempts):
        result = subprocess.run(
            ["dropdb", "--if-exists", "--force", name],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0:
            break
        if attempt == attempts - 1:
            raise AssertionError(f"could not drop {name}: {result.stderr}")
        time.sleep(3)
    shutil.rmtree(odoo.tools.config.filestore(name), ignore_errors=True)


@pytest.fixture
def plain_db():
    name = f"cr_install_{uuid.uuid4().hex[:8]}"
    yield name
    drop_database(name)


def run_odoo(command, args, log, stdin=None, conf=None):
    result = subprocess.run(
        odoo_cmd(command, *args, "--log-level=info", f"--logfile={log}", conf=conf),
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


def test_install_with_history_and_uninstall_with_data(plain_db, tmp_path):
    """Sales first, with orders; then the addon: the orders confirmed before
    it get their account's tier at its installation, marked as such
    (quotations and cancelled orders none); then data through the addon's
    models, and the uninstall."""
    schema_path = tmp_path / "schema.json"
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
    run_odoo(
        "shell",
        ["-d", plain_db, "--no-http"],
        tmp_path / "data.log",
        stdin=f"SCHEMA_PATH = {str(schema_path)!r}\n" + DATA,
    )
    run_odoo(
        "shell",
        ["-d", plain_db, "--no-http"],
        tmp_path / "uninstall.log",
        stdin=UNINSTALL,
    )
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    db = odoo.sql_db.db_connect(plain_db)
    with db.cursor() as cr:
        cr.execute(
            "SELECT state FROM ir_module_module WHERE name = 'customer_relations'"
        )
        assert cr.fetchone()[0] == "uninstalled"
        cr.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_name = ANY(%s)",
            [schema["tables"]],
        )
        assert not cr.fetchall(), "tables of the addon stay after uninstall"
        left = []
        for table, column in schema["columns"]:
            cr.execute(
                "SELECT 1 FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = %s",
                [table, column],
            )
            if cr.fetchone():
                left.append(f"{table}.{column}")
        assert not left, f"columns of the addon stay after uninstall: {left}"
        left = []
        for what, query in ORPHANS.items():
            cr.execute(query)
            count = cr.fetchone()[0]
            if count:
                left.append(f"{count} {what}")
        assert not left, f"left behind by the uninstall: {left}"
    run_odoo(
        "shell",
        ["-d", plain_db, "--no-http"],
        tmp_path / "after.log",
        stdin=AFTER,
    )
