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
