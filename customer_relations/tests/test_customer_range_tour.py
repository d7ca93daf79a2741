from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GROUP_CONTACTS, GROUP_OWN


@tagged("post_install", "-at_install")
class TestCustomerRangeTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_manager = new_test_user(
            cls.env,
            login="cr_tour_range",
            password="cr_tour_range",
            name="Tour Range Manager",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
            tour_enabled=False,
        )
        Category = cls.env["product.category"]
        root = cls.env.ref("product.product_category_all")
        desks = Category.create({"name": "Tour Desks", "parent_id": root.id})
        cls.garden = Category.create({"name": "Tour Garden", "parent_id": root.id})
        cls.env.company.customer_range_category_ids = desks + cls.garden
        desk = cls.env["product.product"].create(
            {"name": "Tour Desk", "categ_id": desks.id}
        )
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Tour Range Customer",
                "is_company": True,
                "key_account_manager_id": cls.account_manager.id,
            }
        )
        cls.env["sale.order"].create(
            {
                "partner_id": cls.account.id,
                "order_line": [
                    Command.create(
                        {"product_id": desk.id, "product_uom_qty": 2, "price_unit": 400}
                    )
                ],
            }
        ).action_confirm()

    def test_range_tour(self):
        self.start_tour("/odoo", "customer_relations_range_tour", login="cr_tour_range")
        lead = self.env["crm.lead"].search([("partner_id", "=", self.account.id)])
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.customer_range_category_id, self.garden)
        self.assertEqual(lead.user_id, self.account_manager)
        self.assertEqual(lead.type, "opportunity")
