from odoo.tests import new_test_user, tagged

from .common import GROUP_CONTACTS, GROUP_OWN, CustomerRelationsCommon


@tagged("post_install", "-at_install")
class TestMultiCompany(CustomerRelationsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_both = new_test_user(
            cls.env,
            login="cr_both_companies",
            name="Bea Both Companies",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
            company_id=cls.env.company.id,
            company_ids=[(6, 0, (cls.env.company + cls.company_2).ids)],
        )
        cls.account_company_2 = cls.env["res.partner"].create(
            {
                "name": "Second Company Customer",
                "is_company": True,
                "customer_rank": 1,
                "company_id": cls.company_2.id,
                "key_account_manager_id": cls.user_both.id,
            }
        )

    def test_accounts_of_other_companies(self):
        """An account of a company that is not active in the web client is not
        listed, even for its key account manager; it is once the company is
        active."""
        Partner = self.env["res.partner"].with_user(self.user_both)
        domain = [("is_my_account", "=", True), ("is_customer_account", "=", True)]

        main_only = Partner.with_context(allowed_company_ids=self.env.company.ids)
        self.assertFalse(main_only.search(domain))
        both = Partner.with_context(
            allowed_company_ids=(self.env.company + self.company_2).ids
        )
        self.assertEqual(both.search(domain), self.account_company_2)

    def test_accounts_hidden_outside_their_company(self):
        Partner = self.env["res.partner"].with_user(self.user_all)
        self.assertNotIn(
            self.account_company_2, Partner.search([("is_customer_account", "=", True)])
        )
        self.assertNotIn(
            self.account_company_2,
            Partner.search([("key_account_manager_id", "=", self.user_both.id)]),
        )
