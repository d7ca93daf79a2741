"""Reliability benchmark: the daily reliability check over 100,000 customer
companies with 1,000,000 posted invoice lines, 10% of them overdue.

Prints the full check's time, the time of the same figures as one bare SQL
query that writes nothing (the floor), and the queries of one batch of 10,000 and of
100,000 accounts (the same: the check is set-based).
"""

import time
from datetime import timedelta

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

    # The floor: the same figures of every account (receivables, overdue
    # invoices, payment delays of the last year, complaints past their
    # deadline, trust, credit limit, VAT and registry) as one bare query that
    # writes nothing.
    today = fields.Date.context_today(env["res.partner"])
    start = time.perf_counter()
    env.execute_query(
        SQL(
            """
            WITH receivable AS (
                SELECT c.commercial_partner_id AS partner_id, l.company_id,
                       SUM(l.amount_residual) AS balance,
                       COUNT(DISTINCT l.move_id) FILTER (
                           WHERE l.date_maturity < %(today)s
                             AND l.amount_residual > 0) AS overdue_count,
                       SUM(l.amount_residual) FILTER (
                           WHERE l.date_maturity < %(today)s
                             AND l.amount_residual > 0) AS overdue_amount,
                       MAX(%(today)s - l.date_maturity) FILTER (
                           WHERE l.date_maturity < %(today)s
                             AND l.amount_residual > 0) AS overdue_days
                  FROM account_move_line l
                  JOIN res_partner c ON c.id = l.partner_id
                  JOIN account_account aa ON aa.id = l.account_id
                                         AND aa.account_type = 'asset_receivable'
                 WHERE l.parent_state = 'posted' AND NOT l.reconciled
                 GROUP BY c.commercial_partner_id, l.company_id
            ), paid AS (
                SELECT c.commercial_partner_id AS partner_id, l.company_id,
                       COUNT(*) AS paid_count,
                       AVG(GREATEST(pr.paid_date - l.date_maturity, 0)) AS late_days
                  FROM account_move_line l
                  JOIN res_partner c ON c.id = l.partner_id
                  JOIN account_account aa ON aa.id = l.account_id
                                         AND aa.account_type = 'asset_receivable'
                  JOIN LATERAL (
                      SELECT MAX(apr.max_date) AS paid_date
                        FROM account_partial_reconcile apr
                       WHERE apr.debit_move_id = l.id
                  ) pr ON pr.paid_date IS NOT NULL
                 WHERE l.parent_state = 'posted' AND l.reconciled
                   AND l.balance > 0 AND l.date_maturity >= %(year_ago)s
                 GROUP BY c.commercial_partner_id, l.company_id
            ), complaints AS (
                SELECT c.commercial_partner_id AS partner_id, o.company_id,
                       COUNT(*) AS complaint_count,
                       MAX(%(today)s - o.deadline::date) AS complaint_days
                  FROM customer_objection o
                  JOIN res_partner c ON c.id = o.partner_id
                 WHERE o.kind = 'complaint' AND o.is_closed IS NOT TRUE
                   AND o.deadline < %(now)s
                 GROUP BY c.commercial_partner_id, o.company_id
            )
            SELECT p.id, co.id, r.balance, r.overdue_count, r.overdue_amount,
                   r.overdue_days, pd.paid_count, pd.late_days,
                   cp.complaint_count, cp.complaint_days,
                   p.trust ->> co.id::text, p.credit_limit ->> co.id::text,
                   p.is_company AND COALESCE(p.vat, '') = '',
                   p.is_company AND COALESCE(p.company_registry, '') = ''
              FROM res_partner p
             CROSS JOIN res_company co
              LEFT JOIN receivable r ON r.partner_id = p.id AND r.company_id = co.id
              LEFT JOIN paid pd ON pd.partner_id = p.id AND pd.company_id = co.id
              LEFT JOIN complaints cp ON cp.partner_id = p.id AND cp.company_id = co.id
             WHERE p.id = p.commercial_partner_id
            """,
            today=today,
            year_ago=today - timedelta(days=365),
            now=fields.Datetime.now(),
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
