"""The support benchmark's generator makes plans the check cron handles like
real ones."""

from odoo.tests import TransactionCase, tagged

from .benchmarks.generate import create_accounts, create_managers
from .benchmarks.support import create_support_plans


@tagged("post_install", "-at_install", "customer_relations_tooling")
class TestBenchSupport(TransactionCase):
    def test_support_plans(self):
        managers = create_managers(self.env, 2, prefix="gen_support_kam")
        company_ids = create_accounts(self.env, 4, 0, managers, prefix="GenSupport")
        ids = create_support_plans(self.env, company_ids, 10)
        plans = self.env["customer.support.plan"].browse(ids)
        self.assertEqual(len(plans), 10)
        self.assertEqual(set(plans.mapped("state")), {"in_progress"})
        self.assertEqual(len(plans.step_ids), 60)
        self.assertTrue(all(plans.mapped("account_manager_id")))
        Plan = self.env["customer.support.plan"]
        done = Plan.browse()
        while batch := Plan._cron_check_plans(batch_size=4):
            done |= batch
        self.assertLessEqual(plans, done)
        delivered = plans.step_ids.filtered(
            lambda s: s.check_type == "delivery" and s.state == "done"
        )
        self.assertEqual(
            delivered.order_id,
            plans.order_id.filtered(lambda o: o.id % 2 == 0),
        )
