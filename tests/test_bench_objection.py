"""The objections benchmark's generator makes objections the ORM and the
escalation cron handle like real ones."""

from odoo.tests import TransactionCase, tagged

from .benchmarks.generate import create_accounts, create_managers, create_objections


@tagged("post_install", "-at_install", "customer_relations_tooling")
class TestBenchObjection(TransactionCase):
    def test_objections(self):
        managers = create_managers(self.env, 2, prefix="gen_obj_kam")
        company_ids = create_accounts(self.env, 5, 0, managers, prefix="GenObj")
        ids = create_objections(self.env, 30, company_ids, overdue=6, prefix="GenObj")
        Objection = self.env["customer.objection"]
        objections = Objection.browse(ids)
        self.assertEqual(len(objections), 30)
        self.assertEqual(objections.commercial_partner_id.ids, sorted(company_ids))
        closed = objections.filtered("is_closed")
        self.assertEqual(len(closed), 8)  # g in 6..29 with g % 3 == 1
        self.assertTrue(all(closed.mapped("closed_date")))
        # the 6 newly overdue ones, and only them, are escalated
        overdue = Objection.search(
            [
                ("id", "in", ids),
                ("is_overdue", "=", True),
                ("escalated_date", "=", False),
            ]
        )
        self.assertEqual(len(overdue), 6)
        escalated = Objection._cron_escalate_overdue()
        self.assertEqual(escalated, overdue)
        self.assertFalse(Objection._cron_escalate_overdue())
        self.assertEqual(len(escalated.activity_ids), 6)
