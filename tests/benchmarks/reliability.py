"""Reliability benchmark: the daily reliability check over 100,000 customer
companies with 1,000,000 posted invoice lines, 10% of them overdue.

Prints the full check's time, the time of the same receivable figures as one
bare SQL aggregate (the floor), and the queries of one batch of 10,000 and of
100,000 accounts (the same: the check is set-based).
"""

import time

from odoo import fields
from odoo.tools import SQL

from odoo.addons.customer_relations.models.res_partner import RELIABILITY_BATCH_SIZE

from .generate import create_accounts, create_invoice_lines, create_managers

COMPANIES = 100_000
LINES = 1_000_000
OVERDUE_EVERY = 10  # 10% overdue
CURSOR = "customer_relations.reliability_check_last_id"


def _check_all(env, batch_size):
    """The daily cron until every account is checked; returns its queries."""
    env["ir.config_parameter"].sudo().set_param(CURSOR, 0)
    queries = env.cr.sql_log_count
    while env["res.partner"]._cron_customer_reliability_check(batch_size=batch_size):
        pass
    env.flush_all()
    return env.cr.sql_log_count - queries


def _one_batch_queries(env, batch_size):
    env["ir.config_parameter"].sudo().set_param(CURSOR, 0)
    env.flush_all()
    queries = env.cr.sql_log_count
    env["res.partner"]._cron_customer_reliability_check(batch_size=batch_size)
    env.flush_all()
    return env.cr.sql_log_count - queries


def run(env, report, companies=COMPANIES, lines=LINES):
    start = time.perf_counter()
    managers = create_managers(env, 20, prefix="bench_rel_kam")
    company_ids = create_accounts(env, companies, 0, managers, prefix="Reliability")
    create_invoice_lines(env, company_ids, lines, overdue_every=OVERDUE_EVERY)
    for table in ("res_partner", "account_move", "account_move_line"):
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    report("reliability_generate_s", time.perf_counter() - start, "s")

    start = time.perf_counter()
    _check_all(env, RELIABILITY_BATCH_SIZE)
    elapsed = time.perf_counter() - start
    report("reliability_check_s", elapsed, "s")

    # The floor: the receivable figures of every account as one bare query.
    today = fields.Date.context_today(env["res.partner"])
    start = time.perf_counter()
    env.execute_query(
        SQL(
            """
            SELECT c.commercial_partner_id, l.company_id, SUM(l.amount_residual),
                   COUNT(DISTINCT l.move_id) FILTER (WHERE l.date_maturity < %(today)s
                                                     AND l.amount_residual > 0),
                   SUM(l.amount_residual) FILTER (WHERE l.date_maturity < %(today)s
                                                  AND l.amount_residual > 0),
                   MAX(%(today)s - l.date_maturity)
                       FILTER (WHERE l.date_maturity < %(today)s
                                 AND l.amount_residual > 0)
              FROM account_move_line l
              JOIN res_partner c ON c.id = l.partner_id
              JOIN account_account aa ON aa.id = l.account_id
                                     AND aa.account_type = 'asset_receivable'
             WHERE l.parent_state = 'posted' AND NOT l.reconciled
             GROUP BY c.commercial_partner_id, l.company_id
            """,
            today=today,
        )
    )
    floor = time.perf_counter() - start
    report("reliability_check_sql_floor_s", floor, "s")
    report("reliability_check_ratio_to_floor", elapsed / floor if floor else 0.0, "x")
    report(
        "reliability_check_queries_batch_10000",
        _one_batch_queries(env, 10_000),
        "queries",
    )
    report(
        "reliability_check_queries_batch_100000",
        _one_batch_queries(env, 100_000),
        "queries",
    )
    grades = env["customer.reliability.result"]._read_group(
        [("partner_id", "in", company_ids)], ["grade"], ["__count"]
    )
    for grade, count in grades:
        report(f"reliability_accounts_{grade}", count, "accounts")
