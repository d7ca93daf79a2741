"""Tier benchmark: rank 20,000 customer companies (2 contacts each) with
200,000 confirmed orders over 24 months in two currencies.

Prints the full ranking's time, the time of the same aggregation as one bare
SQL query (the floor), and the queries it takes per 1,000 accounts.
"""

import time
from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

from .generate import create_accounts, create_managers, create_orders

COMPANIES = 20_000
CONTACTS = 2
ORDERS = 200_000
AMOUNT = SQL(
    "so.amount_untaxed / CASE COALESCE(so.currency_rate, 0) "
    "WHEN 0 THEN 1.0 ELSE so.currency_rate END"
)


def run(env, report):
    start = time.perf_counter()
    managers = create_managers(env, 20, prefix="bench_tier_kam")
    company_ids = create_accounts(env, COMPANIES, CONTACTS, managers, prefix="Tier")
    buyer_ids = [
        row[0]
        for row in env.execute_query(
            SQL(
                "SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%s)",
                company_ids,
            )
        )
    ]
    eur = env.ref("base.EUR")
    eur.active = True
    create_orders(
        env,
        buyer_ids,
        ORDERS,
        months=24,
        currencies=[(env.company.currency_id, 1.0), (eur, 0.9)],
    )
    env.cr.execute("ANALYZE res_partner")
    env.cr.execute("ANALYZE sale_order")
    report("tier_generate_s", time.perf_counter() - start, "s")

    env.flush_all()
    env["ir.config_parameter"].sudo().set_param(
        "customer_relations.tier_recompute_last_id", 0
    )
    accounts = env.execute_query(
        SQL("SELECT count(*) FROM res_partner WHERE id = commercial_partner_id")
    )[0][0]

    queries = env.cr.sql_log_count
    start = time.perf_counter()
    env["res.partner"]._cron_customer_tier_recompute(all_batches=True)
    env.flush_all()
    elapsed = time.perf_counter() - start
    queries = env.cr.sql_log_count - queries
    report("tier_recompute_s", elapsed, "s")

    # The daily run that follows: every account read again, nothing to write.
    start = time.perf_counter()
    env["res.partner"]._cron_customer_tier_recompute(all_batches=True)
    env.flush_all()
    report("tier_recompute_rerun_s", time.perf_counter() - start, "s")

    # The floor: the same aggregation over every account as one bare query.
    today = fields.Date.context_today(env["res.partner"])
    start = time.perf_counter()
    env.execute_query(
        SQL(
            """
            SELECT p.commercial_partner_id, so.company_id,
                   SUM(%(amount)s) FILTER (WHERE so.date_order >= %(since)s),
                   COUNT(*) FILTER (WHERE so.date_order >= %(since)s),
                   SUM(%(amount)s) FILTER (WHERE so.date_order >= %(year)s),
                   MAX(so.date_order)
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale'
             GROUP BY p.commercial_partner_id, so.company_id
            """,
            amount=AMOUNT,
            since=fields.Datetime.to_datetime(today - timedelta(days=365)),
            year=fields.Datetime.to_datetime(today.replace(month=1, day=1)),
        )
    )
    floor = time.perf_counter() - start
    report("tier_recompute_sql_floor_s", floor, "s")
    report("tier_recompute_ratio_to_floor", elapsed / floor if floor else 0.0, "x")
    report(
        "tier_recompute_queries_per_1000_partners", queries * 1000 / accounts, "queries"
    )
    groups = env["res.partner"]._read_group(
        [("customer_tier_id", "!=", False), ("id", "in", company_ids)],
        ["customer_tier_id"],
        ["__count"],
    )
    for tier, count in groups:
        name = tier.name.lower().replace(" ", "_")
        report(f"tier_accounts_{name}", count, "accounts")
