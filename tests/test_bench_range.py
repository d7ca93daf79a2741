"""The range benchmark's generator makes order lines the range reads like
real ones, and the benchmark runs at small scale."""

from odoo.tests import TransactionCase, tagged

from .benchmarks import range as range_bench
from .benchmarks.generate import (
    create_accounts,
    create_managers,
    create_order_lines,
    create_orders,
)


@tagged("post_install", "-at_install", "customer_relations_tooling")
class TestBenchRange(TransactionCase):
    def test_order_lines(self):
        managers = create_managers(self.env, 2, prefix="gen_range_kam")
        company_ids = create_accounts(self.env, 4, 0, managers, prefix="GenRange")
        families, products = range_bench._families(self.env)
        order_ids = create_orders(self.env, company_ids, 6, months=12)
        self.assertEqual(create_order_lines(self.env, order_ids, products, 5), 30)
        orders = self.env["sale.order"].browse(order_ids)
        lines = orders.order_line.filtered("product_id")
        self.assertEqual(len(lines), 30)
        self.assertEqual(set(lines.mapped("state")), {"sale"})
        self.assertTrue(all(line.price_subtotal >= 10 for line in lines))
        # each account buys at most three families
        Coverage = self.env["customer.range.coverage"]
        Coverage._recompute_accounts(company_ids)
        for partner_id in set(orders.partner_id.ids):
            rows = Coverage.search([("partner_id", "=", partner_id)])
            self.assertEqual(rows.category_id, families)
            self.assertLessEqual(len(rows.filtered(lambda r: not r.is_missing)), 3)
            self.assertEqual(
                sum(rows.mapped("revenue")),
                sum(
                    orders.filtered(
                        lambda o, p=partner_id: o.partner_id.id == p
                    ).order_line.mapped("price_subtotal")
                ),
            )

    def test_run_small(self):
        results = {}

        def report(name, value, unit):
            results[name] = value

        range_bench.run(self.env, report, companies=30, lines=300)
        self.assertEqual(
            results["range_cron_queries_batch_10000"],
            results["range_cron_queries_batch_100000"],
        )
        self.assertEqual(
            results["range_tab_queries_small_account"],
            results["range_tab_queries_big_account"],
        )
        self.assertNotIn("range_floor_mismatch", results)
        self.assertIn("range_recompute_ratio_to_floor", results)
