"""The installation benchmark makes history the hook fills, and checks it."""

from odoo.tests import TransactionCase, tagged

from .benchmarks import install_history


@tagged("post_install", "-at_install", "customer_relations_tooling")
class TestBenchInstallHistory(TransactionCase):
    def test_small_history(self):
        results = {}

        def report(name, value, unit):
            results[name] = (value, unit)

        install_history.run(self.env, report, companies=30, orders=300)
        self.assertLess(results["install_backfill_s"][0], 30)
        # orders over 24 months: some accounts ordered in the last 365 days
        # (ranked, their orders filled), the others' orders keep no tier
        filled, __ = results["install_backfill_orders_of_benchmark"]
        self.assertGreater(filled, 0)
        self.assertLessEqual(filled, 300)
        self.assertGreaterEqual(results["install_backfill_orders"][0], filled)
        ranked, __ = results["install_backfill_accounts_ranked"]
        self.assertGreater(ranked, 0)
        self.assertLessEqual(ranked, 30)
        orders = self.env["sale.order"].search(
            [("name", "=like", "BENCH/%"), ("customer_tier_backfilled", "=", True)]
        )
        self.assertEqual(len(orders), filled)
        for order in orders[:20]:
            account = order.partner_id.commercial_partner_id
            self.assertEqual(order.customer_tier_id, account.customer_tier_id)
