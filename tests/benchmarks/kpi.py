"""Account managers' results: 50 account managers, 100,000 customer companies
and 2,000,000 confirmed orders over 24 months.

Prints:
- the generation, and the filling of the orders' account manager (as at
  installation);
- the computation of a month of results (one statement, reading the 24
  months of orders its windows need);
- the KPI pivot of 12 months (``read_group`` by account manager and month,
  every measure), against two floors: the same figures computed by one bare
  SQL query from the orders, referrals, objections, steps and opportunities
  (what the pivot would cost without the table), and a bare read of the table;
- the monthly cron creating the 50 reports of the month that ended (the
  month's results recomputed, the lists of each report, the records; no PDF,
  which is rendered at submission), against the bare SQL query of the same
  month's figures.
"""

import time

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tools import SQL

from odoo.addons.customer_relations.models.customer_manager_kpi import KPI_FIELDS

from .generate import create_accounts, create_managers, create_orders

MANAGERS = 50
COMPANIES = 100_000
ORDERS = 2_000_000
MONTHS = 24


def _measures():
    return [
        f"{fname}:{'avg' if fname.endswith(('_rate', '_hours')) else 'sum'}"
        for fname in KPI_FIELDS
    ]


def run(env, report, managers=MANAGERS, companies=COMPANIES, orders=ORDERS):
    Kpi = env["customer.manager.kpi"]
    Report = env["customer.monthly.report"]
    start = time.perf_counter()
    users = create_managers(env, managers, prefix="bench_kpi_kam")
    company_ids = create_accounts(env, companies, 0, users, prefix="Kpi")
    # the generator leaves every tenth account to nobody, and so some managers
    # without any account: those get a salesperson, so that every manager
    # owns accounts and gets a monthly report
    env.cr.execute(
        SQL(
            """
            UPDATE res_partner p SET user_id = (%s)[1 + mod(r.rank, %s)]
              FROM (SELECT id, row_number() OVER (ORDER BY id) AS rank
                      FROM res_partner
                     WHERE id = ANY(%s) AND user_id IS NULL) r
             WHERE p.id = r.id
            """,
            users.ids,
            len(users),
            company_ids,
        )
    )
    order_ids = create_orders(env, company_ids, orders, months=MONTHS)
    env.cr.execute(
        SQL(
            "UPDATE sale_order SET account_manager_id = NULL WHERE id = ANY(%s) "
            "AND account_manager_id IS NOT NULL",
            order_ids,
        )
    )
    for table in ("res_partner", "sale_order"):
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.invalidate_all()
    report("kpi_generate_s", time.perf_counter() - start, "s")

    start = time.perf_counter()
    filled = env["sale.order"]._backfill_account_manager()
    env.cr.execute("ANALYZE sale_order")
    report("kpi_backfill_s", time.perf_counter() - start, "s")
    report("kpi_backfill_orders", filled, "orders")

    today = fields.Date.context_today(Kpi).replace(day=1)
    months = [today - relativedelta(months=i) for i in range(12)]
    start = time.perf_counter()
    Kpi._refresh_months(months)
    elapsed = time.perf_counter() - start
    report("kpi_refresh_12_months_s", elapsed, "s")
    report("kpi_refresh_month_s", elapsed / 12, "s")
    report("kpi_rows", Kpi.search_count([]), "rows")

    # The pivot of the last 12 months, as the web client asks for it.
    first = months[-1]
    env.invalidate_all()
    start = time.perf_counter()
    groups = Kpi.read_group(
        [("date", ">=", first)],
        _measures(),
        ["user_id", "date:month"],
        lazy=False,
    )
    pivot = time.perf_counter() - start
    report("kpi_pivot_12_months_s", pivot, "s")
    report("kpi_pivot_cells", len(groups), "cells")

    # Floor 1: the same figures straight from the sources, one bare query
    # per month (what the pivot would read without the table).
    start = time.perf_counter()
    for month in months:
        env.execute_query(Kpi._month_query(month))
    floor_sources = time.perf_counter() - start
    report("kpi_pivot_floor_sources_s", floor_sources, "s")
    report("kpi_pivot_ratio_to_floor", pivot / floor_sources, "x")
    # Floor 2: a bare read of the table, grouped the same way.
    aggregates = SQL(", ").join(
        SQL(
            "%s(%s)",
            SQL("avg" if f.endswith(("_rate", "_hours")) else "sum"),
            SQL.identifier(f),
        )
        for f in KPI_FIELDS
    )
    start = time.perf_counter()
    env.execute_query(
        SQL(
            "SELECT user_id, date, %s FROM customer_manager_kpi WHERE date >= %s "
            "GROUP BY user_id, date",
            aggregates,
            first,
        )
    )
    floor_table = time.perf_counter() - start
    report("kpi_pivot_floor_table_s", floor_table, "s")
    report("kpi_pivot_ratio_to_table_read", pivot / floor_table, "x")

    # The monthly cron on the first of the month: the 50 reports of the
    # month that ended.
    Report.search([]).unlink()
    env.flush_all()
    start = time.perf_counter()
    created = Report._cron_create_monthly_reports(today=today)
    env.flush_all()
    cron = time.perf_counter() - start
    report("kpi_monthly_cron_s", cron, "s")
    report(
        "kpi_monthly_reports",
        len(created.filtered(lambda r: r.user_id in users)),
        "reports",
    )
    start = time.perf_counter()
    env.execute_query(Kpi._month_query(today - relativedelta(months=1)))
    floor = time.perf_counter() - start
    report("kpi_monthly_cron_floor_s", floor, "s")
    report("kpi_monthly_cron_ratio_to_floor", cron / floor, "x")
