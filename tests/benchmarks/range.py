"""Range benchmark: what 100,000 customer companies buy of 8 product families,
from 2,000,000 order lines of 200,000 confirmed orders over 24 months.

Prints the time of the range of every account (the nightly cron, in batches,
and "Recompute Now", one statement), the time of the same figures as one bare
SQL query that writes nothing (the floor, which is also what an SQL view would
cost at every read of rows by id), their ratio, the queries of the cron for
batches of 10,000 and 100,000 accounts (the same: set-based), and the queries
and time of reading one account's Range tab, for a small and a big account.
"""

import time
from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

from odoo.addons.customer_relations.models.customer_range_coverage import (
    RANGE_BATCH_SIZE,
    RANGE_CRON_CURSOR,
)

from .generate import (
    create_accounts,
    create_managers,
    create_order_lines,
    create_orders,
)

COMPANIES = 100_000
LINES = 2_000_000
LINES_PER_ORDER = 10
FAMILIES = 8
PRODUCTS_PER_FAMILY = 3

TAB_SPEC = {
    "customer_range_missing_count": {},
    "customer_range_coverage_ids": {
        "fields": {
            "category_id": {"fields": {"display_name": {}}},
            "revenue": {},
            "last_order_date": {},
            "is_missing": {},
        }
    },
}


def _families(env):
    Category = env["product.category"]
    root = env.ref("product.product_category_all")
    families = Category.create(
        [{"name": f"Bench Family {i}", "parent_id": root.id} for i in range(FAMILIES)]
    )
    products = []
    for family in families:
        # half the products in a subcategory: they count for the family
        sub = Category.create({"name": f"{family.name} Sub", "parent_id": family.id})
        products.append(
            env["product.product"]
            .create(
                [
                    {
                        "name": f"{family.name} P{j}",
                        "categ_id": (sub if j % 2 else family).id,
                    }
                    for j in range(PRODUCTS_PER_FAMILY)
                ]
            )
            .ids
        )
    env.company.customer_range_category_ids = families
    return families, products


def _cron_all(env, batch_size):
    env["ir.config_parameter"].sudo().set_param(RANGE_CRON_CURSOR, 0)
    queries = env.cr.sql_log_count
    env["customer.range.coverage"]._cron_customer_range_recompute(
        batch_size=batch_size, all_batches=True
    )
    env.flush_all()
    return env.cr.sql_log_count - queries


def _one_batch_queries(env, batch_size):
    env["ir.config_parameter"].sudo().set_param(RANGE_CRON_CURSOR, 0)
    env.flush_all()
    queries = env.cr.sql_log_count
    env["customer.range.coverage"]._cron_customer_range_recompute(batch_size=batch_size)
    env.flush_all()
    return env.cr.sql_log_count - queries


def _floor(env, families):
    """The same figures of every account as one bare query writing nothing."""
    today = fields.Date.context_today(env["res.partner"])
    since = fields.Datetime.to_datetime(today - timedelta(days=365))
    return env.execute_query(
        SQL(
            """
            WITH fam AS (
                SELECT pc.id AS category_id, pc.parent_path
                  FROM product_category pc WHERE pc.id = ANY(%(families)s)
            ), product_family AS (
                SELECT DISTINCT ON (pp.id) pp.id AS product_id, f.category_id
                  FROM product_product pp
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN product_category pc ON pc.id = pt.categ_id
                  JOIN fam f ON starts_with(pc.parent_path, f.parent_path)
                 ORDER BY pp.id, length(f.parent_path) DESC
            ), figures AS (
                SELECT p.commercial_partner_id AS partner_id, so.company_id,
                       pf.category_id,
                       SUM(sol.price_subtotal / CASE COALESCE(so.currency_rate, 0)
                           WHEN 0 THEN 1.0 ELSE so.currency_rate END)
                           FILTER (WHERE so.date_order >= %(since)s) AS revenue,
                       MAX(so.date_order) AS last_order
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                  JOIN res_partner p ON p.id = so.partner_id
                  JOIN product_family pf ON pf.product_id = sol.product_id
                 WHERE so.state = 'sale'
                 GROUP BY 1, 2, 3
            ), accounts AS (
                SELECT DISTINCT p.commercial_partner_id AS partner_id, so.company_id
                  FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale'
            )
            SELECT count(*), count(*) FILTER (
                       WHERE fg.last_order IS NULL OR fg.last_order < %(since)s)
              FROM accounts a
             CROSS JOIN fam f
              LEFT JOIN figures fg ON fg.partner_id = a.partner_id
                                  AND fg.company_id = a.company_id
                                  AND fg.category_id = f.category_id
            """,
            families=families.ids,
            since=since,
        )
    )[0]


def _tab(env, partner, user):
    env.invalidate_all()
    partner = partner.with_user(user)
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = partner.web_read(TAB_SPEC)
    elapsed = time.perf_counter() - start
    return (
        env.cr.sql_log_count - queries,
        elapsed,
        len(result[0]["customer_range_coverage_ids"]),
    )


def run(env, report, companies=COMPANIES, lines=LINES):
    start = time.perf_counter()
    managers = create_managers(env, 20, prefix="bench_range_kam")
    company_ids = create_accounts(env, companies, 0, managers, prefix="Range")
    families, products = _families(env)
    order_ids = create_orders(env, company_ids, lines // LINES_PER_ORDER, months=24)
    created = create_order_lines(env, order_ids, products, LINES_PER_ORDER)
    for table in ("res_partner", "sale_order", "sale_order_line", "product_product"):
        env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    report("range_order_lines", created, "lines")
    report("range_generate_s", time.perf_counter() - start, "s")
    Coverage = env["customer.range.coverage"]

    start = time.perf_counter()
    Coverage._recompute_accounts()
    env.flush_all()
    elapsed_all = time.perf_counter() - start
    report("range_recompute_all_s", elapsed_all, "s")
    rows = Coverage.search_count([])
    report("range_rows", rows, "rows")

    start = time.perf_counter()
    floor_rows, floor_missing = _floor(env, families)
    floor = time.perf_counter() - start
    report("range_sql_floor_s", floor, "s")
    report("range_recompute_ratio_to_floor", elapsed_all / floor if floor else 0.0, "x")
    missing = Coverage.search_count([("is_missing", "=", True)])
    report("range_rows_missing", missing, "rows")
    if (floor_rows, floor_missing) != (rows, missing):
        report("range_floor_mismatch", f"{floor_rows}/{floor_missing}", "rows")

    start = time.perf_counter()
    Coverage._recompute_accounts()
    report("range_recompute_all_unchanged_s", time.perf_counter() - start, "s")

    start = time.perf_counter()
    queries = _cron_all(env, RANGE_BATCH_SIZE)
    elapsed_cron = time.perf_counter() - start
    report("range_cron_all_batches_s", elapsed_cron, "s")
    report("range_cron_ratio_to_floor", elapsed_cron / floor if floor else 0.0, "x")
    report("range_cron_queries_all_batches", queries, "queries")
    report("range_cron_queries_batch_10000", _one_batch_queries(env, 10_000), "queries")
    report(
        "range_cron_queries_batch_100000", _one_batch_queries(env, 100_000), "queries"
    )

    start = time.perf_counter()
    Coverage.read_group([], ["revenue:sum"], ["category_id"])
    report("range_pivot_by_family_s", time.perf_counter() - start, "s")
    start = time.perf_counter()
    spaces = env["customer.range.white.space"].search_count([])
    report("range_white_space_s", time.perf_counter() - start, "s")
    report("range_white_space_rows", spaces, "rows")

    # one account's Range tab: the smallest and the biggest account
    env.flush_all()
    [(small_id, big_id, big_lines)] = env.execute_query(
        SQL(
            """
            WITH l AS (
                SELECT so.partner_id, count(*) AS n
                  FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id
                 WHERE so.partner_id = ANY(%s) GROUP BY so.partner_id)
            SELECT (SELECT partner_id FROM l ORDER BY n, partner_id LIMIT 1),
                   (SELECT partner_id FROM l ORDER BY n DESC, partner_id LIMIT 1),
                   (SELECT max(n) FROM l)
            """,
            company_ids,
        )
    )
    Partner = env["res.partner"]
    small, big = Partner.browse(small_id), Partner.browse(big_id)
    user = big._get_account_manager() or env.user
    small.key_account_manager_id = big.key_account_manager_id = user
    env.flush_all()
    env.cr.execute(
        SQL(
            "UPDATE customer_range_coverage SET account_manager_id = %s "
            "WHERE partner_id = ANY(%s)",
            user.id,
            [small_id, big_id],
        )
    )
    _tab(env, small, user)  # warm the caches of the registry
    for label, partner in (("small", small), ("big", big)):
        queries, elapsed, families_read = _tab(env, partner, user)
        report(f"range_tab_families_{label}_account", families_read, "rows")
        report(f"range_tab_queries_{label}_account", queries, "queries")
        report(f"range_tab_{label}_account_ms", elapsed * 1000, "ms")
    report("range_tab_big_account_lines", big_lines, "lines")
