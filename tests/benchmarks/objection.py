"""Objections benchmark.

- creating 10,000 objections in one ORM batch, deadlines included (planned in
  the company's working time);
- the escalation cron over 100,000 objections of which 5,000 are newly
  overdue (the others are on time, closed or already escalated).
"""

import time

from odoo.tools import SQL

from .generate import create_accounts, create_managers, create_objections

ACCOUNTS = 1_000
CREATE = 10_000
TOTAL = 100_000
OVERDUE = 5_000


def run(env, report):
    managers = create_managers(env, 20, prefix="bench_obj_kam")
    company_ids = create_accounts(env, ACCOUNTS, 0, managers, prefix="BenchObj")
    env.flush_all()

    # 1. one batch of 10,000 through the ORM
    Objection = env["customer.objection"]
    vals_list = [
        {
            "name": f"Bench objection {i}",
            "partner_id": company_ids[i % len(company_ids)],
            "priority": "2" if i % 10 == 0 else "0",
        }
        for i in range(CREATE)
    ]
    start = time.perf_counter()
    created = Objection.create(vals_list)
    env.flush_all()
    report("objection_create_10k_s", time.perf_counter() - start, "s")
    assert all(created.mapped("deadline"))
    env.invalidate_all()

    # 2. escalation over 100,000 objections, 5,000 newly overdue
    create_objections(
        env,
        TOTAL - CREATE,
        company_ids,
        overdue=OVERDUE,
        prefix="BenchObj",
    )
    env.cr.execute("ANALYZE customer_objection")
    env.cr.execute(
        SQL(
            "SELECT count(*) FROM customer_objection "
            "WHERE name LIKE %s OR name LIKE %s",
            "Bench objection %",
            "BenchObj %",
        )
    )
    report("objection_count", env.cr.fetchone()[0], "objections")

    Objection = env["customer.objection"]
    escalated = 0
    runs = 0
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    while True:
        batch = Objection._cron_escalate_overdue()
        runs += 1
        escalated += len(batch)
        if not batch:
            break
    env.flush_all()
    report("objection_escalation_s", time.perf_counter() - start, "s")
    report("objection_escalation_queries", env.cr.sql_log_count - queries, "queries")
    report("objection_escalated", escalated, "objections")
    report("objection_escalation_runs", runs, "runs")
    env.invalidate_all()
