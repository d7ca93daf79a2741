"""The reliability benchmark's generator makes invoices the reliability
check reads like real ones, and the benchmark runs at small scale."""

from odoo import fields
from odoo.tests import TransactionCase, tagged

from .benchmarks import reliability
from .benchmarks.generate import create_accounts, create_invoice_lines, create_managers


@tagged("post_install", "-at_install", "customer_relations_tooling")
class TestBenchReliability(TransactionCase):
    def test_invoice_lines(self):
        managers = create_managers(self.env, 2, prefix="gen_rel_kam")
        company_ids = create_accounts(self.env, 5, 0, managers, prefix="GenRel")
        line_ids = create_invoice_lines(self.env, company_ids, 40, overdue_every=10)
        lines = self.env["account.move.line"].browse(line_ids)
        self.assertEqual(len(lines), 40)
        self.assertEqual(set(lines.mapped("parent_state")), {"posted"})
        self.assertEqual(set(lines.move_id.mapped("move_type")), {"out_invoice"})
        today = fields.Date.context_today(lines)
        overdue = lines.filtered(lambda line: line.date_maturity < today)
        self.assertEqual(len(overdue), 4)  # one in ten
        partners = self.env["res.partner"].browse(company_ids)
        self.assertEqual(
            sum(partners.mapped("credit")), sum(lines.mapped("amount_residual"))
        )
        self.env["customer.reliability.result"]._recompute_accounts(company_ids)
        flag = self.env.ref("customer_relations.reliability_flag_overdue")
        found = self.env["customer.reliability.line"].search(
            [("partner_id", "in", company_ids), ("flag_id", "=", flag.id)]
        )
        self.assertEqual(sum(found.mapped("count")), 4)

    def test_run_small(self):
        results = {}

        def report(name, value, unit):
            results[name] = value

        reliability.run(self.env, report, companies=30, lines=300)
        self.assertEqual(
            results["reliability_check_queries_batch_10000"],
            results["reliability_check_queries_batch_100000"],
        )
        self.assertIn("reliability_check_ratio_to_floor", results)
