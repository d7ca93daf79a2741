"""Support plans benchmark.

- ``confirm_overhead_ratio``: the cost of confirming the same 200 orders of 3
  lines each in this database (with the addon) and in one without it (the
  same Odoo apps: sale_management, sale_crm, sale_loyalty), same data, same
  run, after a warm-up of 10 orders in each. With the addon, confirming
  freezes the tier, qualifies referrals and, for a mass confirmation like
  this one, marks the orders for their support plans;
  ``support_plan_deferred_create_s`` is then the time the cron takes to
  create those 200 plans, their 1,200 steps and activities.
- ``confirm_one_by_one_ratio`` and ``confirm_one_by_one_extra_queries``:
  95 orders of 3 lines confirmed one ``action_confirm`` at a time (each gets
  its plan, steps and activities in the same transaction), here and in the
  database without the addon: the time ratio and the extra queries per order.
- ``support_check_s``: the check cron (all its batches) over 20,000 plans in
  progress, half of whose orders are fully delivered.
"""

import time

from odoo import Command
from odoo.tools import SQL

from .generate import create_accounts, create_managers, create_orders

ORDERS = 200
ONE_BY_ONE = 95
LINES = 3
PLANS = 20_000


def _confirm_cost(env):
    """Seconds to confirm 200 new orders of 3 lines (after a warm-up)."""
    partners = env["res.partner"].create(
        [{"name": f"Confirm bench {i}", "is_company": True} for i in range(ORDERS)]
    )
    products = env["product.product"].create(
        [{"name": f"Confirm bench {i}", "type": "consu"} for i in range(LINES)]
    )
    _draft_orders(env, partners.ids, products, 10).action_confirm()
    orders = _draft_orders(env, partners.ids, products, ORDERS)
    env.flush_all()
    env.invalidate_all()
    start = time.perf_counter()
    orders.action_confirm()
    env.flush_all()
    return time.perf_counter() - start, orders


def _confirm_one_by_one_cost(env):
    """Seconds and queries to confirm 95 new orders of 3 lines one
    ``action_confirm`` at a time, as a salesperson, a shop or an integration
    does (after a warm-up of 5)."""
    partners = env["res.partner"].create(
        [{"name": f"One by one {i}", "is_company": True} for i in range(ONE_BY_ONE)]
    )
    products = env["product.product"].create(
        [{"name": f"One by one {i}", "type": "consu"} for i in range(LINES)]
    )
    for order in _draft_orders(env, partners.ids, products, 5):
        order.action_confirm()
    orders = _draft_orders(env, partners.ids, products, ONE_BY_ONE)
    env.flush_all()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    for order in orders:
        order.action_confirm()
        env.flush_all()
    return time.perf_counter() - start, env.cr.sql_log_count - queries, orders


def _draft_orders(env, partner_ids, products, count):
    return env["sale.order"].create(
        [
            {
                "partner_id": partner_ids[i % len(partner_ids)],
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 2,
                            "price_unit": 50,
                        }
                    )
                    for product in products
                ],
            }
            for i in range(count)
        ]
    )


def create_support_plans(env, partner_ids, count, delivered_every=2):
    """``count`` confirmed orders of one line, each with a plan in progress of
    the "Standard follow-up" workflow (its 6 steps to do, no activities); the
    order of every ``delivered_every``-th one is fully delivered. Returns the
    ids of the plans."""
    cr = env.cr
    product = env["product.product"].create(
        {"name": "Bench support product", "type": "consu", "list_price": 10}
    )
    order_ids = create_orders(env, partner_ids, count)
    template = env["sale.order"].create(
        {
            "partner_id": partner_ids[0],
            "order_line": [Command.create({"product_id": product.id})],
        }
    )
    env.flush_all()
    own = {"id", "order_id", "qty_delivered", "product_uom_qty"}
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'sale_order_line'"
    )
    columns = [name for (name,) in cr.fetchall() if name not in own]
    cols = SQL(", ").join(SQL.identifier(c) for c in columns)
    tcols = SQL(", ").join(SQL("t.%s", SQL.identifier(c)) for c in columns)
    cr.execute(
        SQL(
            """
            INSERT INTO sale_order_line
                (%(cols)s, order_id, product_uom_qty, qty_delivered)
            SELECT %(tcols)s, o.id, 2,
                   CASE WHEN mod(o.id, %(every)s) = 0 THEN 2 ELSE 0 END
              FROM sale_order_line t, unnest(%(orders)s) AS o(id)
             WHERE t.order_id = %(template)s
            """,
            cols=cols,
            tcols=tcols,
            every=delivered_every,
            orders=order_ids,
            template=template.id,
        )
    )
    template.unlink()
    workflow = env.ref("customer_relations.customer_support_workflow_standard")
    cr.execute(
        SQL(
            """
            INSERT INTO customer_support_plan (name, order_id, partner_id,
                account_manager_id, user_id, workflow_id, company_id, state,
                progress, date_start, create_uid, write_uid, create_date, write_date)
            SELECT so.name, so.id, p.commercial_partner_id,
                   COALESCE(c.key_account_manager_id, c.user_id),
                   COALESCE(c.key_account_manager_id, c.user_id),
                   %(workflow)s, so.company_id, 'in_progress', 0, so.date_order::date,
                   1, 1, now(), now()
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
              JOIN res_partner c ON c.id = p.commercial_partner_id
             WHERE so.id = ANY(%(orders)s)
            RETURNING id
            """,
            workflow=workflow.id,
            orders=order_ids,
        )
    )
    plan_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        SQL(
            """
            INSERT INTO customer_support_step (plan_id, workflow_step_id, name,
                sequence, check_type, user_id, deadline, state, order_id,
                company_id, account_manager_id, plan_user_id, workflow_id,
                create_uid, write_uid, create_date, write_date)
            SELECT plan.id, ws.id, ws.name->>'en_US', ws.sequence, ws.check_type,
                   plan.user_id, plan.date_start + ws.deadline_days, 'todo',
                   plan.order_id, plan.company_id, plan.account_manager_id,
                   plan.user_id, plan.workflow_id, 1, 1, now(), now()
              FROM customer_support_plan plan
              JOIN customer_support_workflow_step ws
                ON ws.workflow_id = plan.workflow_id
             WHERE plan.id = ANY(%(plans)s)
            """,
            plans=plan_ids,
        )
    )
    env.invalidate_all()
    return plan_ids


def run(env, report, base_env=None):
    managers = create_managers(env, 10, prefix="bench_support_kam")
    company_ids = create_accounts(env, 200, 0, managers, prefix="BenchSupport")

    # 1. confirmation: with the addon against a database without it
    if base_env is not None:
        base, _orders = _confirm_cost(base_env)
        full, orders = _confirm_cost(env)
        report("confirm_without_s", base, "s")
        report("confirm_with_s", full, "s")
        report("confirm_overhead_ratio", full / base, "ratio")
        Plan = env["customer.support.plan"]
        start = time.perf_counter()
        while Plan._cron_create_pending_plans():
            env.flush_all()
        report("support_plan_deferred_create_s", time.perf_counter() - start, "s")
        assert len(orders.support_plan_ids) == ORDERS
        env.invalidate_all()
        # one order at a time: each gets its plan, steps and activities at once
        base_s, base_queries, _orders = _confirm_one_by_one_cost(base_env)
        full_s, full_queries, orders = _confirm_one_by_one_cost(env)
        assert len(orders.support_plan_ids) == ONE_BY_ONE
        report("confirm_one_by_one_without_s", base_s, "s")
        report("confirm_one_by_one_with_s", full_s, "s")
        report("confirm_one_by_one_ratio", full_s / base_s, "ratio")
        report(
            "confirm_one_by_one_extra_queries",
            (full_queries - base_queries) / ONE_BY_ONE,
            "queries/order",
        )
        env.invalidate_all()

    # 2. the check cron over 20,000 plans in progress
    plan_ids = create_support_plans(env, company_ids, PLANS)
    env.cr.execute("ANALYZE customer_support_plan")
    env.cr.execute("ANALYZE customer_support_step")
    env.cr.execute("ANALYZE sale_order_line")
    Plan = env["customer.support.plan"]
    checked = runs = 0
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    while True:
        batch = Plan._cron_check_plans()
        runs += 1
        checked += len(batch)
        env.flush_all()
        env.invalidate_all()
        if not batch:
            break
    report("support_check_s", time.perf_counter() - start, "s")
    report("support_check_queries", env.cr.sql_log_count - queries, "queries")
    report("support_check_plans", checked, "plans")
    report("support_check_runs", runs, "runs")
    env.cr.execute(
        SQL(
            "SELECT count(*) FROM customer_support_step WHERE plan_id = ANY(%s) "
            "AND check_type = 'delivery' AND state = 'done'",
            plan_ids,
        )
    )
    report("support_check_delivered", env.cr.fetchone()[0], "steps")
