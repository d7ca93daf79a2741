from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GROUP_CONTACTS, GROUP_OWN


@tagged("post_install", "-at_install")
class TestCustomerReferralTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["loyalty.program"].search([]).write({"active": False})
        cls.account_manager = new_test_user(
            cls.env,
            login="cr_tour_referrals",
            password="cr_tour_referrals",
            name="Tour Referral Manager",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
            tour_enabled=False,
        )
        program = cls.env["loyalty.program"].create(
            {
                "name": "Tour referral coupons",
                "program_type": "coupons",
                "reward_ids": [
                    Command.clear(),
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount": 10,
                            "required_points": 1,
                        }
                    ),
                ],
            }
        )
        clause = cls.env["customer.referral.clause"].create(
            {
                "name": "Tour clause",
                "program_id": program.id,
                "min_first_order_amount": 100,
            }
        )
        Partner = cls.env["res.partner"]
        cls.referrer = Partner.create(
            {
                "name": "Tour Referrer",
                "is_company": True,
                "customer_rank": 1,
                "email": "tour.referrer@example.com",
                "key_account_manager_id": cls.account_manager.id,
            }
        )
        cls.newcomer = Partner.create(
            {
                "name": "Tour Newcomer",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.account_manager.id,
            }
        )
        product = cls.env["product.product"].create(
            {"name": "Tour product", "list_price": 500.0, "taxes_id": [Command.clear()]}
        )
        SaleOrder = cls.env["sale.order"]
        for partner, clause_id in ((cls.referrer, clause.id), (cls.newcomer, False)):
            order = SaleOrder.create(
                {
                    "partner_id": partner.id,
                    "user_id": cls.account_manager.id,
                    "referral_clause_id": clause_id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
            )
            if clause_id:
                order.action_confirm()

    def test_referral_tour(self):
        self.start_tour(
            "/odoo", "customer_relations_referral_tour", login="cr_tour_referrals"
        )
        referral = self.env["customer.referral"].search(
            [("referred_id", "=", self.newcomer.id)]
        )
        self.assertEqual(referral.state, "rewarded")
        self.assertEqual(referral.reward_card_id.partner_id, self.referrer)
