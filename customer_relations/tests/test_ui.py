from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GROUP_CONTACTS, GROUP_MANAGER, GROUP_OWN


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_manager = new_test_user(
            cls.env,
            login="cr_tour_manager",
            password="cr_tour_manager",
            name="Tour Account Manager",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
            tour_enabled=False,
        )
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Tour Account Company",
                "is_company": True,
                "customer_rank": 1,
                "key_account_manager_id": cls.account_manager.id,
            }
        )

        cls.administrator = new_test_user(
            cls.env,
            login="cr_tour_admin",
            password="cr_tour_admin",
            name="Tour Administrator",
            groups=f"{GROUP_MANAGER},{GROUP_CONTACTS},base.group_system",
            tour_enabled=False,
        )
        cls.unassigned_account = cls.env["res.partner"].create(
            {"name": "Tour Unassigned Account", "is_company": True, "customer_rank": 1}
        )

    def test_my_accounts_tour(self):
        self.start_tour(
            "/odoo", "customer_relations_my_accounts_tour", login="cr_tour_manager"
        )

    def test_assign_manager_tour(self):
        self.start_tour(
            "/odoo", "customer_relations_assign_manager_tour", login="cr_tour_admin"
        )
        self.assertEqual(
            self.unassigned_account.key_account_manager_id, self.account_manager
        )

    def test_tier_tour(self):
        Tier = self.env["customer.tier"]
        Tier.search([]).active = False
        gold = Tier.create({"name": "Tour Gold", "min_annual_revenue": 5000})
        silver = Tier.create({"name": "Tour Silver", "min_annual_revenue": 100})
        customer = self.env["res.partner"].create(
            {"name": "Tour Tier Customer", "is_company": True, "customer_rank": 1}
        )
        product = self.env["product.product"].create(
            {"name": "Tour Product", "list_price": 1000, "taxes_id": False}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        self.env["customer.tier"]._recompute_accounts(customer.ids)
        self.assertEqual(customer.customer_tier_id, silver)
        self.start_tour("/odoo", "customer_relations_tier_tour", login="cr_tour_admin")
        self.assertEqual(customer.customer_tier_id, silver)
        self.assertTrue(customer.customer_tier_locked)
        self.assertEqual(
            customer.customer_tier_lock_reason, "Agreed at the annual review"
        )
        self.assertEqual(
            customer.customer_tier_history_ids.mapped("new_tier_id"), silver + gold
        )
