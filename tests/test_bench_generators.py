"""The benchmarks' generators make the data they promise, usable by the ORM."""

from odoo.tests import TransactionCase, tagged

from .benchmarks.generate import create_accounts, create_managers


@tagged("post_install", "-at_install", "customer_relations_tooling")
class TestBenchGenerators(TransactionCase):
    def test_accounts(self):
        managers = create_managers(self.env, 3, prefix="gen_kam")
        company_ids = create_accounts(self.env, 20, 2, managers, prefix="Gen")
        Partner = self.env["res.partner"]
        companies = Partner.browse(company_ids)
        self.assertEqual(len(companies), 20)
        self.assertTrue(all(companies.mapped("is_company")))
        self.assertEqual(companies.commercial_partner_id, companies)
        contacts = Partner.search([("parent_id", "in", company_ids)])
        self.assertEqual(len(contacts), 40)
        self.assertEqual(contacts.commercial_partner_id, companies)
        for contact in contacts:
            # contacts carry their company's manager, as the ORM would sync it
            self.assertEqual(
                contact.key_account_manager_id, contact.parent_id.key_account_manager_id
            )
        # even companies have a key account manager, odd ones only a
        # salesperson, every tenth one neither
        self.assertEqual(companies[0].key_account_manager_id, managers[0])
        self.assertFalse(companies[1].key_account_manager_id)
        self.assertEqual(companies[1].user_id, managers[1])
        self.assertFalse(companies[9].user_id | companies[9].key_account_manager_id)
        # the ORM reads and searches them like any partner
        self.assertEqual(companies[3].display_name, "Gen Company 3")
        self.assertEqual(
            contacts[0].display_name, f"{contacts[0].parent_id.name}, Contact 1"
        )
        mine = Partner.with_user(managers[0]).search(
            [("is_my_account", "=", True), ("id", "in", company_ids)]
        )
        # manager 0 owns companies 0, 3, 6, ... (round robin over 3 managers):
        # 0, 6, 12 and 18 as key account manager, 3 and 15 as salesperson
        expected = [company_ids[i] for i in (0, 3, 6, 12, 15, 18)]
        self.assertEqual(sorted(mine.ids), sorted(expected))
