"""Installation into a database with history: the addon's ``post_init_hook``
over 20,000 customer companies (2 contacts each) with 200,000 orders
confirmed before the addon existed (no tier on them, no account ranked).

Prints the hook's time (every account ranked, then the tier of every
historical order filled from its account's), the orders it filled, and the
queries it took.

The figure is pessimistic: the orders are generated in the transaction that
fills them, and PostgreSQL checks every foreign key of a row updated by the
transaction that inserted it (11 per order here), where the orders of a real
history only get the check of the tier's.
"""

import time

from odoo.tools import SQL

from odoo.addons.customer_relations.hooks import post_init_hook

from .generate import create_accounts, create_managers, create_orders

COMPANIES = 20_000
CONTACTS = 2
ORDERS = 200_000


def run(env, report, companies=COMPANIES, orders=ORDERS):
    start = time.perf_counter()
    managers = create_managers(env, 20, prefix="bench_history_kam")
    company_ids = create_accounts(env, companies, CONTACTS, managers, prefix="History")
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
    order_ids = create_orders(
        env,
        buyer_ids,
        orders,
        months=24,
        currencies=[(env.company.currency_id, 1.0), (eur, 0.9)],
    )
    # Confirmed before the addon existed: no tier on the orders (the
    # generator sets none: only a row that has one is cleared, so that the
    # table is not made twice its size), no account ranked.
    env.cr.execute(
        SQL(
            "UPDATE sale_order SET customer_tier_id = NULL, "
            "customer_tier_backfilled = NULL WHERE id = ANY(%s) "
            "AND (customer_tier_id IS NOT NULL OR customer_tier_backfilled)",
            order_ids,
        )
    )
    env.cr.execute(
        SQL(
            "DELETE FROM customer_tier_ranking WHERE partner_id = ANY(%s)",
            company_ids,
        )
    )
    env.cr.execute("ANALYZE res_partner")
    env.cr.execute("ANALYZE sale_order")
    env.invalidate_all()
    report("install_history_generate_s", time.perf_counter() - start, "s")

    queries = env.cr.sql_log_count
    start = time.perf_counter()
    filled = post_init_hook(env)
    env.flush_all()
    elapsed = time.perf_counter() - start
    queries = env.cr.sql_log_count - queries
    report("install_backfill_s", elapsed, "s")
    report("install_backfill_orders", filled, "orders")
    report("install_backfill_queries", queries, "queries")

    # Every order of the benchmark whose account has a tier got it, marked;
    # the others stayed without.
    [(good, wrong)] = env.execute_query(
        SQL(
            """
            SELECT count(*) FILTER (WHERE so.customer_tier_id = r.tier_id
                                      AND so.customer_tier_backfilled),
                   count(*) FILTER (WHERE so.customer_tier_id
                                          IS DISTINCT FROM r.tier_id
                                      OR COALESCE(so.customer_tier_backfilled, FALSE)
                                          <> (r.tier_id IS NOT NULL))
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
              LEFT JOIN customer_tier_ranking r
                     ON r.partner_id = p.commercial_partner_id
                    AND r.company_id = so.company_id
             WHERE so.id = ANY(%s)
            """,
            order_ids,
        )
    )
    assert not wrong, f"{wrong} orders without their account's tier"
    report("install_backfill_orders_of_benchmark", good, "orders")
    [(ranked,)] = env.execute_query(
        SQL(
            "SELECT count(*) FROM customer_tier_ranking "
            "WHERE partner_id = ANY(%s) AND tier_id IS NOT NULL",
            company_ids,
        )
    )
    report("install_backfill_accounts_ranked", ranked, "accounts")
