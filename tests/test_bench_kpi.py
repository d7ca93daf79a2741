"""The account managers' results benchmark runs at small scale, and its
figures are those of the reports it creates."""

from odoo.tests import TransactionCase, tagged

from .benchmarks import kpi


@tagged("post_install", "-at_install", "customer_relations_tooling")
class TestBenchKpi(TransactionCase):
    def test_run_small(self):
        results = {}

        def report(name, value, unit):
            results[name] = value

        # 12 managers: with 10 or more, some own no account of the generator's
        kpi.run(self.env, report, managers=12, companies=60, orders=1200)
        # every account has a manager (every tenth a salesperson only); the
        # backfill also fills the demo orders confirmed without one
        self.assertGreaterEqual(results["kpi_backfill_orders"], 1200)
        self.env.cr.execute(
            """
            SELECT count(*)
              FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
             WHERE so.name LIKE 'BENCH/%%' AND so.account_manager_id IS NULL
               AND COALESCE(p.key_account_manager_id, p.user_id) IS NOT NULL
            """
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertEqual(results["kpi_monthly_reports"], 12)
        # 12 managers, 12 months (and the database's own managers)
        self.assertGreaterEqual(results["kpi_pivot_cells"], 144)
        for name in (
            "kpi_pivot_ratio_to_floor",
            "kpi_pivot_ratio_to_table_read",
            "kpi_monthly_cron_ratio_to_floor",
        ):
            self.assertGreater(results[name], 0)
        rows = self.env["customer.manager.kpi"].search(
            [("user_id.login", "=like", "bench_kpi_kam_%")]
        )
        total = sum(rows.mapped("revenue"))
        orders = self.env["sale.order"].search(
            [("account_manager_id", "in", rows.user_id.ids), ("state", "=", "sale")]
        )
        in_rows = orders.filtered(
            lambda o: o.date_order.date() >= min(rows.mapped("date"))
        )
        self.assertAlmostEqual(total, sum(in_rows.mapped("amount_untaxed")), places=2)
