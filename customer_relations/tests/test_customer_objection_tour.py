from odoo.tests import HttpCase, new_test_user, tagged

from .common import GROUP_CONTACTS, GROUP_OWN


@tagged("post_install", "-at_install")
class TestCustomerObjectionTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_manager = new_test_user(
            cls.env,
            login="cr_tour_objection",
            password="cr_tour_objection",
            name="Tour Objection Manager",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
            tour_enabled=False,
        )
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Tour Objection Company",
                "is_company": True,
                "customer_rank": 1,
                "key_account_manager_id": cls.account_manager.id,
            }
        )
        cls.order = cls.env["sale.order"].create(
            {"partner_id": cls.account.id, "user_id": cls.account_manager.id}
        )

    def test_record_and_resolve_objection_tour(self):
        self.start_tour(
            "/odoo", "customer_relations_objection_tour", login="cr_tour_objection"
        )
        objection = self.env["customer.objection"].search(
            [("order_id", "=", self.order.id)]
        )
        self.assertEqual(len(objection), 1)
        self.assertEqual(objection.partner_id, self.account)
        self.assertEqual(objection.stage_id.name, "Resolved")
        self.assertTrue(objection.closed_date)
        self.assertEqual(objection.action_ids.state, "done")
        self.assertEqual(objection.action_ids.user_id, self.account_manager)
