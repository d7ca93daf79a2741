from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GROUP_CONTACTS, GROUP_OWN


@tagged("post_install", "-at_install")
class TestCustomerSupportTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_manager = new_test_user(
            cls.env,
            login="cr_tour_support",
            password="cr_tour_support",
            name="Tour Support Manager",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
            tour_enabled=False,
        )
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Tour Support Company",
                "is_company": True,
                "customer_rank": 1,
                "key_account_manager_id": cls.account_manager.id,
            }
        )
        product = cls.env["product.product"].create(
            {"name": "Tour Support Product", "list_price": 100.0}
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.account.id,
                "user_id": cls.account_manager.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        cls.env["customer.support.workflow"].search(
            [
                (
                    "id",
                    "!=",
                    cls.env.ref(
                        "customer_relations.customer_support_workflow_standard"
                    ).id,
                )
            ]
        ).action_archive()

    def test_confirm_and_complete_step_tour(self):
        self.start_tour(
            "/odoo", "customer_relations_support_plan_tour", login="cr_tour_support"
        )
        plan = self.order.support_plan_id
        self.assertEqual(self.order.state, "sale")
        self.assertEqual(plan.state, "in_progress")
        kickoff = plan.step_ids.filtered(lambda s: s.name == "Kick-off call")
        self.assertEqual(kickoff.state, "done")
        self.assertEqual(kickoff.done_user_id, self.account_manager)
