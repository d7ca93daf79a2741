"""The bridge customer_relations_event installs by itself beside
customer_relations when Events' lead bridge (event_crm) is there, and
uninstalls cleanly, without a warning or an error in Odoo's log: once right
after its installation (no data), once after accounts were invited, came and
were followed up (with data). After each uninstall customer_relations and
Events keep working, the follow-up activities stay as to-dos, and nothing of
the bridge is left: no table or column, rule, cron, action, view, template,
activity type, lead rule, XML id or parameter."""

import uuid

import pytest

import odoo

from .test_install import drop_database, run_odoo

MODULE = "customer_relations_event"

DATA = """
from datetime import timedelta
from odoo import Command, fields

admin = env.ref("base.user_admin")
own_accounts = env.ref("customer_relations.group_customer_relations_user")
manager = env["res.users"].create({
    "name": "Ivy Manager", "login": "ev_kam",
    "groups_id": [Command.link(own_accounts.id)],
})
Partner = env["res.partner"]
account = Partner.create({
    "name": "Fair Account", "is_company": True, "customer_rank": 1,
    "key_account_manager_id": manager.id, "email": "fair@example.com",
})
contact = Partner.create(
    {"name": "Fay Contact", "parent_id": account.id, "email": "fay@example.com"}
)
account.customer_event_contact_id = contact
missing = Partner.create({
    "name": "Missing Account", "is_company": True, "customer_rank": 1,
    "key_account_manager_id": manager.id, "email": "missing@example.com",
})
now = fields.Datetime.now()
event = env["event.event"].create({
    "name": "Install Fair", "user_id": admin.id,
    "date_begin": now - timedelta(hours=3), "date_end": now - timedelta(hours=1),
    # no confirmation email with its badge PDF (wkhtmltopdf warns here)
    "event_mail_ids": [Command.clear()],
})
wizard = env["customer.event.invite"].create({
    "event_id": event.id, "user_ids": [Command.set(manager.ids)],
})
wizard.action_invite()
Registration = env["event.registration"]
Registration.create(
    {"event_id": event.id, "name": "Fay", "email": "fay@example.com", "state": "done"}
)
Registration.create(
    {"event_id": event.id, "name": "Mo", "email": "missing@example.com"}
)
Registration.create({
    "event_id": event.id, "name": "Newcomer", "email": "new@example.com",
    "state": "done",
})
env["customer.event.invitation"]._cron_close_ended_events()
states = sorted(env["customer.event.invitation"].search([]).mapped("state"))
assert states == ["attended", "no_show"], states
activities = env["mail.activity"].search([("res_model", "=", "res.partner")])
assert len(activities) == 2, activities.mapped("summary")
rule = env.ref("customer_relations_event.event_lead_rule_prospects")
assert env["crm.lead"].search_count([("event_lead_rule_id", "=", rule.id)]) == 1
env.cr.commit()
"""

UNINSTALL = f"""
module = env["ir.module.module"].search([("name", "=", "{MODULE}")])
module.button_immediate_uninstall()
env.cr.commit()
"""

# Odoo's own records and the main addon work without the bridge; the
# follow-up activities are to-dos.
AFTER = """
from lxml import etree

assert "customer.event.invitation" not in env
for model in ("res.partner", "event.event", "event.registration", "crm.lead"):
    Model = env[model]
    arch = Model.get_views([(False, "form")])["views"]["form"]["arch"]
    names = {node.get("name") for node in etree.fromstring(arch).iter("field")}
    Model.search([]).read([name for name in names if name in Model._fields])
todo = env.ref("mail.mail_activity_data_todo")
activities = env["mail.activity"].search([("res_model", "=", "res.partner")])
assert activities and activities.activity_type_id <= todo, activities.activity_type_id
activities.read(["summary", "user_id", "activity_type_id"])
event = env["event.event"].search([("name", "=", "Install Fair")])
if event:
    env["event.registration"].create({
        "event_id": event.id, "name": "Late", "email": "late@example.com",
        "state": "done",
    })
env["res.partner"]._cron_customer_tier_recompute(all_batches=True)
env.cr.commit()
"""

ORPHANS = {
    "models and fields": """
        SELECT count(*) FROM ir_model_fields
         WHERE model LIKE 'customer.event%' OR relation LIKE 'customer.event%'
            OR name LIKE 'customer_event%' OR name LIKE 'customer_invitation%'
            OR name IN ('customer_assign_account_manager', 'customer_registered_count',
                        'customer_attended_count', 'customer_won_revenue')""",
    "XML ids": f"SELECT count(*) FROM ir_model_data WHERE module = '{MODULE}'",
    "record rules": """
        SELECT count(*) FROM ir_rule WHERE name::text LIKE 'Event Invitation%'""",
    "scheduled actions": """
        SELECT count(*) FROM ir_act_server WHERE code LIKE '%customer_event%'
            OR code LIKE '%_cron_close_ended_events%'""",
    "actions, views, templates": """
        SELECT (SELECT count(*) FROM ir_act_window
                 WHERE res_model LIKE 'customer.event%'
                    OR name::text LIKE '%Revenue by Event%')
             + (SELECT count(*) FROM ir_ui_view
                 WHERE model LIKE 'customer.event%'
                    OR key LIKE 'customer_relations_event.%'
                    OR arch_db::text LIKE '%customer_invitation%'
                    OR arch_db::text LIKE '%customer_event%')
             + (SELECT count(*) FROM mail_template
                 WHERE name::text LIKE '%Event Invitation%')""",
    "activity types and lead rules": """
        SELECT (SELECT count(*) FROM mail_activity_type
                 WHERE name::text LIKE '%Thank and Follow Up%'
                    OR name::text LIKE '%Missed Event%')
             + (SELECT count(*) FROM event_lead_rule
                 WHERE name::text LIKE '%Prospects met at a fair%')""",
    "system parameters": f"""
        SELECT count(*) FROM ir_config_parameter WHERE key LIKE '{MODULE}.%'""",
    "messages and followers of invitations": """
        SELECT (SELECT count(*) FROM mail_message WHERE model LIKE 'customer.event%')
             + (SELECT count(*) FROM mail_followers
                 WHERE res_model LIKE 'customer.event%')""",
}


@pytest.fixture
def event_db():
    name = f"cr_install_event_{uuid.uuid4().hex[:8]}"
    yield name
    drop_database(name)


def module_state(db_name, name):
    with odoo.sql_db.db_connect(db_name).cursor() as cr:
        cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [name])
        row = cr.fetchone()
    return row and row[0]


def assert_nothing_left(db_name):
    with odoo.sql_db.db_connect(db_name).cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_name LIKE 'customer_event%'"
        )
        assert cr.fetchone()[0] == 0, "tables of the bridge stay"
        cr.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_name IN ('res_partner', 'event_event', 'event_lead_rule', "
            "'event_registration') AND (column_name LIKE 'customer_event%' "
            "OR column_name = 'customer_assign_account_manager')"
        )
        assert not cr.fetchall(), "columns of the bridge stay"
        left = []
        for what, query in ORPHANS.items():
            cr.execute(query)
            count = cr.fetchone()[0]
            if count:
                left.append(f"{count} {what}")
        assert not left, f"left behind by the uninstall: {left}"


def test_bridge_installs_by_itself_and_uninstalls(event_db, tmp_path):
    run_odoo(
        "server",
        [
            "-d",
            event_db,
            "-i",
            "customer_relations,event_crm",
            "--without-demo=all",
            "--stop-after-init",
        ],
        tmp_path / "install.log",
    )
    assert module_state(event_db, MODULE) == "installed", "no auto_install"
    shell = ["-d", event_db, "--no-http"]
    # without data
    run_odoo("shell", shell, tmp_path / "uninstall-empty.log", stdin=UNINSTALL)
    assert module_state(event_db, MODULE) == "uninstalled"
    assert_nothing_left(event_db)
    # with data
    run_odoo(
        "server",
        ["-d", event_db, "-i", MODULE, "--stop-after-init"],
        tmp_path / "reinstall.log",
    )
    # (one process for both: each start of Odoo costs)
    run_odoo("shell", shell, tmp_path / "data.log", stdin=DATA + UNINSTALL)
    assert module_state(event_db, MODULE) == "uninstalled"
    assert module_state(event_db, "customer_relations") == "installed"
    assert_nothing_left(event_db)
    run_odoo("shell", shell, tmp_path / "after.log", stdin=AFTER)
