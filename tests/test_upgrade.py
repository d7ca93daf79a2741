"""The addon upgrades from its first release, 18.0.1.0.0 (commit 86f44bb, the
last one before the tier ranking table), without losing data and without a
warning or an error in Odoo's log.

The old addon is taken from git into a temporary folder and installed from
there (without demo data) into a fresh database; data is made through its own
models: tiers ranked and one chosen by hand and locked, in two companies, with
their history; a referral rewarded with a coupon; objections with a measure;
the company's complaints address; support plans. Then the addon is upgraded
from the repository (``-u``, which runs the migrations of 18.0.1.1.0 and
18.0.1.2.0) and the same snapshot, read through the ORM before and after,
must be equal.
"""

import configparser
import json
import subprocess
from pathlib import Path

import odoo

from .test_install import ROOT, plain_db, run_odoo  # noqa: F401 (fixture)

OLD_VERSION = "18.0.1.0.0"
OLD_COMMIT = "86f44bb"

# Read through the ORM with the same field names in both versions: what the
# upgrade must keep. Written to the file named by SNAPSHOT_PATH.
SNAPSHOT = """
import json


def snapshot(env):
    env = env(context=dict(env.context, active_test=False))
    companies = env["res.company"].search([("name", "like", "UPG ")], order="id")
    companies = env.ref("base.main_company") | companies
    partners = env["res.partner"].search([("name", "like", "UPG ")], order="id")
    tiers = {}
    for company in companies:
        for partner in partners.with_company(company):
            tiers[f"{company.name} / {partner.name}"] = [
                partner.customer_tier_id.name,
                partner.customer_tier_locked,
                partner.customer_tier_lock_reason,
                round(partner.annual_revenue, 2),
                partner.annual_order_count,
                round(partner.year_revenue, 2),
                str(partner.last_order_date),
                str(partner.next_review_date),
            ]
    history = [
        [
            row.partner_id.name,
            row.company_id.name,
            row.old_tier_id.name,
            row.new_tier_id.name,
            round(row.annual_revenue, 2),
            row.annual_order_count,
            row.automatic,
            row.user_id.login,
            row.reason,
        ]
        for row in env["customer.tier.history"].search([], order="id")
    ]
    orders = [
        [
            order.name,
            order.partner_id.name,
            order.company_id.name,
            order.state,
            order.customer_tier_id.name,
            order.referral_clause_id.name,
            round(order.amount_untaxed, 2),
        ]
        for order in env["sale.order"].search([], order="id")
    ]
    referrals = [
        [
            referral.name,
            referral.referrer_id.name,
            referral.referred_id.name,
            referral.clause_id.name,
            referral.source_order_id.name,
            referral.qualifying_order_id.name,
            referral.state,
            referral.reward_card_id.code,
            referral.reward_card_id.partner_id.name,
            referral.reward_card_id.points,
            str(referral.date),
            str(referral.expiry_date),
        ]
        for referral in env["customer.referral"].search([], order="id")
    ]
    objections = [
        [
            objection.name,
            objection.reference,
            objection.partner_id.name,
            objection.kind,
            objection.category_id.name,
            objection.stage_id.name,
            objection.user_id.login,
            str(objection.deadline),
            [
                [action.name, action.type, action.state, action.user_id.login]
                for action in objection.action_ids.sorted("id")
            ],
        ]
        for objection in env["customer.objection"].search([], order="id")
    ]
    plans = [
        [
            plan.order_id.name,
            plan.workflow_id.name,
            plan.state,
            [[step.name, step.state] for step in plan.step_ids.sorted("id")],
        ]
        for plan in env["customer.support.plan"].search([], order="id")
    ]
    activities = sorted(
        [activity.res_model, activity.res_name, activity.summary or "",
         activity.user_id.login]
        for activity in env["mail.activity"].search(
            [("res_model", "like", "customer.")]
        )
    )
    aliases = [
        [alias.alias_name, alias.alias_contact]
        for alias in env["mail.alias"].search(
            [("alias_model_id.model", "=", "customer.objection")], order="id"
        )
    ]
    return {
        "tiers": tiers,
        "history": history,
        "orders": orders,
        "referrals": referrals,
        "objections": objections,
        "plans": plans,
        "activities": activities,
        "aliases": aliases,
    }


with open(SNAPSHOT_PATH, "w", encoding="utf-8") as file:
    json.dump(snapshot(env), file, indent=1, default=str)
"""

# Data made through the models of 18.0.1.0.0 (run in its own shell).
OLD_DATA = """
from odoo import Command

admin = env.ref("base.user_admin")
company = env.ref("base.main_company")
company_2 = env["res.company"].create({"name": "UPG Second Company"})
admin.write({"company_ids": [Command.link(company_2.id)]})
tier = {
    name: env.ref(f"customer_relations.customer_tier_{name}")
    for name in ("strategic", "key", "preferred", "standard")
}
manager = env["res.users"].create(
    {
        "name": "UPG Kim Manager",
        "login": "upg_kam",
        "company_ids": [Command.set((company | company_2).ids)],
        "groups_id": [
            Command.link(env.ref("customer_relations.group_customer_relations_user").id)
        ],
    }
)
Partner = env["res.partner"]
big = Partner.create(
    {"name": "UPG Big Account", "is_company": True, "customer_rank": 1,
     "key_account_manager_id": manager.id, "email": "big@example.com"}
)
contact = Partner.create({"name": "UPG Bea Contact", "parent_id": big.id})
locked = Partner.create(
    {"name": "UPG Locked Account", "is_company": True, "customer_rank": 1,
     "user_id": manager.id}
)
newcomer = Partner.create(
    {"name": "UPG Newcomer", "is_company": True, "customer_rank": 1}
)
product = env["product.product"].create(
    {"name": "UPG Widget", "list_price": 1000.0, "invoice_policy": "order",
     "taxes_id": [Command.clear()]}
)
program = env["loyalty.program"].create(
    {
        "name": "UPG referral coupons",
        "program_type": "coupons",
        "company_id": company.id,
        "reward_ids": [
            Command.clear(),
            Command.create(
                {"reward_type": "discount", "discount": 10, "required_points": 1}
            ),
        ],
    }
)
clause = env["customer.referral.clause"].create(
    {
        "name": "UPG 10% for each new customer",
        "program_id": program.id,
        "min_first_order_amount": 1000.0,
        "validity_days": 90,
        "text": "<p>You get 10% off your next order.</p>",
    }
)


def order(partner, amount, company=company, clause=None):
    return env["sale.order"].with_company(company).create(
        {
            "partner_id": partner.id,
            "company_id": company.id,
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


# Two companies' worth of orders, ranked by the daily job
orders = order(big, 30000.0, clause=clause) | order(contact, 30000.0)
orders |= order(big, 5000.0, company=company_2)
orders |= order(locked, 2000.0)
orders.action_confirm()
Partner._cron_customer_tier_recompute(all_batches=True)
assert big.with_company(company).customer_tier_id == tier["preferred"]
assert big.with_company(company_2).customer_tier_id == tier["standard"]
# Tiers chosen by hand by an administrator: locked, with a history row
for company_, tier_, reason in (
    (company, tier["key"], "Framework contract signed"),
    (company_2, tier["strategic"], "Group-wide key account"),
):
    locked.with_user(admin).with_company(company_).write(
        {"customer_tier_id": tier_.id, "customer_tier_locked": True,
         "customer_tier_lock_reason": reason}
    )
# A confirmed order keeps the tier of its customer at that time
later = order(big, 1000.0)
later.action_confirm()
assert later.customer_tier_id == tier["preferred"]
# A referral, rewarded with a coupon on the new customer's first order
referral = env["customer.referral"].create(
    {"referrer_id": big.id, "referred_id": newcomer.id}
)
first = order(newcomer, 1500.0)
first.action_confirm()
assert referral.state == "rewarded", referral.state
assert referral.reward_card_id
order(newcomer, 300.0)  # a quotation
# Objections, one with a measure (an activity for its responsible)
Objection = env["customer.objection"]
price = Objection.create(
    {"name": "UPG Too expensive", "partner_id": contact.id,
     "category_id": env.ref("customer_relations.customer_objection_category_price").id}
)
Objection.create(
    {"name": "UPG Late delivery", "partner_id": big.id, "kind": "complaint",
     "order_id": orders[0].id,
     "category_id": env.ref(
         "customer_relations.customer_objection_category_delivery"
     ).id}
)
env["customer.objection.action"].create(
    {"objection_id": price.id, "name": "UPG Offer a volume discount",
     "user_id": manager.id}
)
# The company's complaints address (kept on the company in this version)
company.objection_alias_id = env["mail.alias"].create(
    company._objection_alias_values("upg-complaints")
)
assert env["customer.support.plan"].search_count([]) >= 4
env.cr.commit()
"""

# Checks of the new version's own storage after the upgrade.
NEW_CHECKS = """
env = env(context=dict(env.context, active_test=False))
company = env.ref("base.main_company")
locked = env["res.partner"].search([("name", "=", "UPG Locked Account")])
rows = env["customer.tier.ranking"].search([("partner_id", "=", locked.id)])
assert len(rows) == 2 and all(rows.mapped("locked")), rows.read()
category = env.ref("customer_relations.customer_objection_category_other")
assert category.alias_id.alias_name == "upg-complaints", category.alias_id.read()
assert company.objection_alias_category_id == category
assert env["customer.tier.ranking"].search_count([]) >= 4
"""


def odoo_conf_with_addons(tmp_path, addons):
    """A copy of the test's Odoo configuration whose addons path has
    ``addons`` instead of the repository."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(odoo.tools.config.rcfile)
    paths = [
        path.strip()
        for path in parser["options"]["addons_path"].split(",")
        if path.strip() and Path(path.strip()).resolve() != ROOT
    ]
    parser["options"]["addons_path"] = ",".join([*paths, str(addons)])
    conf = tmp_path / "old.conf"
    with conf.open("w", encoding="utf-8") as file:
        parser.write(file)
    return conf


def test_upgrade_from_first_release(plain_db, tmp_path):  # noqa: F811
    old_addons = tmp_path / "old_addons"
    old_addons.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", OLD_COMMIT, "customer_relations"],
        capture_output=True,
        check=True,
    )
    subprocess.run(
        ["tar", "-x", "-C", str(old_addons)], input=archive.stdout, check=True
    )
    old_conf = odoo_conf_with_addons(tmp_path, old_addons)
    before, after = tmp_path / "before.json", tmp_path / "after.json"

    run_odoo(
        "server",
        ["-d", plain_db, "-i", "customer_relations", "--without-demo=all"]
        + ["--stop-after-init"],
        tmp_path / "install-old.log",
        conf=old_conf,
    )
    db = odoo.sql_db.db_connect(plain_db)
    with db.cursor() as cr:
        cr.execute(
            "SELECT latest_version FROM ir_module_module "
            "WHERE name = 'customer_relations'"
        )
        assert cr.fetchone()[0] == OLD_VERSION
    run_odoo(
        "shell",
        ["-d", plain_db, "--no-http"],
        tmp_path / "data-old.log",
        stdin=OLD_DATA + f"SNAPSHOT_PATH = {str(before)!r}\n" + SNAPSHOT,
        conf=old_conf,
    )

    log = run_odoo(
        "server",
        ["-d", plain_db, "-u", "customer_relations", "--stop-after-init"],
        tmp_path / "upgrade.log",
    )
    assert "customer_relations: Running migration [18.0.1.1.0" in log
    assert "customer_relations: Running migration [18.0.1.2.0" in log
    run_odoo(
        "shell",
        ["-d", plain_db, "--no-http"],
        tmp_path / "check-new.log",
        stdin=f"SNAPSHOT_PATH = {str(after)!r}\n" + SNAPSHOT + NEW_CHECKS,
    )

    old = json.loads(before.read_text(encoding="utf-8"))
    new = json.loads(after.read_text(encoding="utf-8"))
    # the data is there to be compared
    assert len(old["history"]) >= 4 and any(
        row[-1] == "Group-wide key account" for row in old["history"]
    )
    assert [r[6] for r in old["referrals"]] == ["rewarded"] and old["referrals"][0][7]
    assert len(old["objections"]) == 2 and old["objections"][0][-1]
    assert len(old["plans"]) >= 4 and old["activities"] and old["aliases"]
    assert any(order[4] == "Preferred" for order in old["orders"])
    for key in old:
        assert new[key] == old[key], key
    with db.cursor() as cr:
        cr.execute(
            "SELECT latest_version FROM ir_module_module "
            "WHERE name = 'customer_relations'"
        )
        assert cr.fetchone()[0] != OLD_VERSION
        for table, column in (
            ("res_partner", "customer_tier_id"),
            ("res_partner", "annual_revenue"),
            ("res_company", "objection_alias_id"),
        ):
            cr.execute(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = %s",
                [table, column],
            )
            assert cr.fetchone()[0] == 0, f"{table}.{column} stays after upgrade"
