from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GROUP_CONTACTS, GROUP_OWN


@tagged("post_install", "-at_install")
class TestCustomerReliabilityTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_manager = new_test_user(
            cls.env,
            login="cr_tour_reliability",
            password="cr_tour_reliability",
            name="Tour Reliability Manager",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
            tour_enabled=False,
        )
        cls.prospect = cls.env["res.partner"].create(
            {
                "name": "Tour Risky Prospect",
                "key_account_manager_id": cls.account_manager.id,
                "trust": "bad",
            }
        )
        cls.env["customer.reliability.result"]._recompute_accounts(cls.prospect.ids)
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Tour Risky Deal",
                "type": "opportunity",
                "partner_id": cls.prospect.id,
                "user_id": cls.account_manager.id,
                "reliability_manual_flag_ids": [
                    Command.link(
                        cls.env.ref("customer_relations.reliability_flag_references").id
                    )
                ],
            }
        )

    def test_risky_prospect_tour(self):
        self.assertEqual(self.lead.reliability_grade, "risky")
        self.start_tour(
            "/odoo", "customer_relations_reliability_tour", login="cr_tour_reliability"
        )
