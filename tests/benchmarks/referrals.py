"""Referrals benchmark: the confirmation hook on a batch of first orders.

1,000 new customers referred by one customer each have a quotation; all the
quotations are confirmed in one ``action_confirm``: each referral qualifies and
its coupon is issued (with the email and the account manager's to-do).
Measures the confirmation with and without referrals, and the expiry cron.
"""

import time

from odoo import Command, fields

REFERRALS = 1_000


def create_referrals(env, count, prefix="Bench Referral"):
    """A coupon program and clause, one referrer with a confirmed order carrying
    the clause, ``count`` referred customers with a pending referral each and
    one quotation each. Returns (referrals, quotations)."""
    env["loyalty.program"].search([]).write({"active": False})
    program = env["loyalty.program"].create(
        {
            "name": f"{prefix} coupons",
            "program_type": "coupons",
            "reward_ids": [
                Command.clear(),
                Command.create({"reward_type": "discount", "discount": 10}),
            ],
        }
    )
    clause = env["customer.referral.clause"].create(
        {"name": f"{prefix} clause", "program_id": program.id, "validity_days": 30}
    )
    product = env["product.product"].create(
        {
            "name": f"{prefix} product",
            "list_price": 100.0,
            "taxes_id": [Command.clear()],
        }
    )
    manager = env.ref("base.user_admin")
    Partner = env["res.partner"].with_context(
        mail_create_nolog=True, tracking_disable=True
    )
    referrer = Partner.create(
        {
            "name": f"{prefix} referrer",
            "is_company": True,
            "email": "referrer@bench.example.com",
            "key_account_manager_id": manager.id,
        }
    )
    SaleOrder = env["sale.order"].with_context(tracking_disable=True)
    source = SaleOrder.create(
        {
            "partner_id": referrer.id,
            "referral_clause_id": clause.id,
            "order_line": [Command.create({"product_id": product.id})],
        }
    )
    source.action_confirm()
    newcomers = Partner.create(
        [
            {"name": f"{prefix} newcomer {i}", "is_company": True, "customer_rank": 1}
            for i in range(count)
        ]
    )
    referrals = env["customer.referral"].create(
        [
            {"referrer_id": referrer.id, "referred_id": partner.id}
            for partner in newcomers
        ]
    )
    quotations = SaleOrder.create(
        [
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
            for partner in newcomers
        ]
    )
    return referrals, quotations


def _confirm(env, orders, report, name):
    env.flush_all()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    orders.action_confirm()
    env.flush_all()
    seconds, queries = time.perf_counter() - start, env.cr.sql_log_count - queries
    report(f"{name}_s", seconds, "s")
    report(f"{name}_queries", queries, "queries")
    return seconds, queries


def run(env, report):
    start = time.perf_counter()
    referrals, quotations = create_referrals(env, REFERRALS)
    report("referrals_generate_s", time.perf_counter() - start, "s")

    # the same confirmation without any referral, as the baseline
    with env.cr.savepoint() as savepoint:
        referrals.sudo().write({"state": "rejected"})
        base_s, base_queries = _confirm(
            env, quotations, report, "confirm_1000_without_referrals"
        )
        savepoint.rollback()
    env.invalidate_all()

    full_s, full_queries = _confirm(
        env, quotations, report, "confirm_1000_first_orders"
    )
    rewarded = referrals.filtered(lambda r: r.state == "rewarded")
    report("referrals_rewarded", len(rewarded), "referrals")
    report("referral_reward_ratio", full_s / base_s, "ratio")
    report(
        "referral_reward_queries_per_reward",
        (full_queries - base_queries) / max(len(rewarded), 1),
        "queries",
    )
    report("coupons_issued", len(rewarded.reward_card_id), "coupons")

    # expiry: 1,000 pending referrals past their window, in cron batches
    with env.cr.savepoint() as savepoint:
        env.cr.execute(
            "UPDATE customer_referral SET state = 'pending', reward_card_id = NULL, "
            "expiry_date = %s WHERE id = ANY(%s)",
            [fields.Date.subtract(fields.Date.today(), days=1), referrals.ids],
        )
        env.cr.execute(
            "UPDATE loyalty_card SET customer_referral_id = NULL "
            "WHERE customer_referral_id = ANY(%s)",
            [referrals.ids],
        )
        env.invalidate_all()
        queries = env.cr.sql_log_count
        start = time.perf_counter()
        env["customer.referral"]._cron_expire_referrals()
        env.flush_all()
        report("expire_1000_s", time.perf_counter() - start, "s")
        report("expire_1000_queries", env.cr.sql_log_count - queries, "queries")
        savepoint.rollback()
    env.invalidate_all()
