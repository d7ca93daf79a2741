from odoo.exceptions import UserError
from odoo.tests import Form, tagged, users, warmup

from .common import CustomerRelationsCommon


@tagged("post_install", "-at_install")
class TestResPartner(CustomerRelationsCommon):
    # ------------------------------------------------------------------
    # Contacts follow the key account manager of their company
    # ------------------------------------------------------------------

    def test_contacts_follow_without_a_write_each(self):
        """Contacts show their company's key account manager, computed from
        their parent for all of them at once: not a commercial field, which
        Odoo would copy with one write per account."""
        self.assertNotIn(
            "key_account_manager_id", self.env["res.partner"]._commercial_fields()
        )
        accounts = self.account_own_kam | self.account_own_sales
        accounts.key_account_manager_id = self.user_all
        self.assertEqual(self.contacts.mapped("key_account_manager_id"), self.user_all)

    @users("cr_own")
    def test_new_contact_gets_company_manager(self):
        """A contact created by an account manager (who may not set the key
        account manager) still gets the one of its company."""
        account = self.account_own_kam.with_env(self.env)
        contact = self.env["res.partner"].create(
            {"name": "New Contact", "parent_id": account.id}
        )
        self.assertEqual(contact.key_account_manager_id, self.user_own)
        with Form(self.env["res.partner"]) as form:
            form.name = "Contact from the form"
            form.parent_id = account
        self.assertEqual(form.record.key_account_manager_id, self.user_own)

    @users("cr_all")
    def test_contacts_follow_company_manager(self):
        account = self.account_own_kam.with_env(self.env)
        deep_contact = self.env["res.partner"].create(
            {"name": "Contact of a contact", "parent_id": self.contact_own_kam.id}
        )
        self.assertEqual(deep_contact.key_account_manager_id, self.user_own)

        account.key_account_manager_id = self.user_all
        self.assertEqual(self.contact_own_kam.key_account_manager_id, self.user_all)
        self.assertEqual(deep_contact.key_account_manager_id, self.user_all)

        account.key_account_manager_id = False
        self.assertFalse(self.contact_own_kam.key_account_manager_id)
        self.assertFalse(deep_contact.key_account_manager_id)

    @users("cr_own")
    def test_contact_moved_to_other_company(self):
        """Moving a contact is allowed to an account manager: the key account
        manager follows the new company."""
        contact = self.contact_own_kam.with_env(self.env)
        contact.parent_id = self.account_other_kam
        self.assertEqual(contact.key_account_manager_id, self.user_all)
        contact.parent_id = self.account_own_sales
        self.assertFalse(contact.key_account_manager_id)

    @users("cr_own")
    def test_copy(self):
        """An account manager may duplicate: a duplicated company is a new
        account, without key account manager; a duplicated contact follows its
        company."""
        account = self.account_own_kam.with_env(self.env)
        self.assertFalse(account.copy().key_account_manager_id)
        contact = self.contact_own_kam.with_env(self.env)
        self.assertEqual(contact.copy().key_account_manager_id, self.user_own)

    def _flush_tracking(self):
        """Run the pending tracking, as at the end of a transaction."""
        self.env.flush_all()
        self.env.cr.flush()

    @users("cr_all")
    def test_key_account_manager_tracked(self):
        # records are not tracked in the transaction that creates them
        self._flush_tracking()
        account = self.account_own_kam.with_env(self.env).with_context(
            tracking_disable=False, mail_notrack=False
        )
        account.key_account_manager_id = self.user_manager
        self._flush_tracking()

        message = account.message_ids[:1]
        tracking = message.sudo().tracking_value_ids.filtered(
            lambda t: t.field_id.name == "key_account_manager_id"
        )
        self.assertEqual(len(tracking), 1)
        self.assertEqual(message.author_id, self.user_all.partner_id)
        self.assertEqual(tracking.old_value_char, self.user_own.name)
        self.assertEqual(tracking.new_value_char, self.user_manager.name)

    # ------------------------------------------------------------------
    # Accounts and "mine"
    # ------------------------------------------------------------------

    def _search_test_partners(self, domain):
        return self.env["res.partner"].search(
            [("id", "in", self.test_partners.ids), *domain]
        )

    def test_is_customer_account(self):
        self.assertEqual(
            self._search_test_partners([("is_customer_account", "=", True)]),
            self.accounts,
        )
        self.assertEqual(
            self._search_test_partners([("is_customer_account", "=", False)]),
            self.contacts,
        )
        self.assertEqual(
            self.test_partners.filtered("is_customer_account"), self.accounts
        )

        Partner = self.env["res.partner"]
        prospect, followed, managed = Partner.create(
            [
                {"name": "Prospect", "is_company": True},
                {"name": "Followed", "is_company": True, "user_id": self.user_own.id},
                {"name": "Managed", "key_account_manager_id": self.user_own.id},
            ]
        )
        self.assertFalse(prospect.is_customer_account, "neither customer nor followed")
        self.assertTrue(followed.is_customer_account, "it has a salesperson")
        self.assertTrue(managed.is_customer_account, "it has a key account manager")
        self.assertEqual(
            Partner.search(
                [
                    ("id", "in", (prospect + followed + managed).ids),
                    ("is_customer_account", "!=", False),
                ]
            ),
            followed + managed,
        )
        prospect.customer_rank = 1
        self.assertTrue(prospect.is_customer_account, "it is a customer")

    @users("cr_own")
    def test_is_my_account_search(self):
        """The key account manager wins over the salesperson; the salesperson
        counts only without key account manager; contacts are decided on their
        company."""
        mine = (
            self.account_own_kam
            + self.contact_own_kam
            + self.account_own_sales
            + self.contact_own_sales
            + self.account_individual
        )
        self.assertEqual(
            self._search_test_partners([("is_my_account", "=", True)]), mine
        )
        self.assertEqual(
            self._search_test_partners([("is_my_account", "!=", True)]),
            self.account_other_kam + self.account_unassigned,
        )
        self.assertEqual(
            self._search_test_partners([("is_my_account", "=", False)]),
            self.account_other_kam + self.account_unassigned,
        )

    @users("cr_all")
    def test_is_my_account_other_user(self):
        self.assertEqual(
            self._search_test_partners([("is_my_account", "=", True)]),
            self.account_other_kam,
            "user_all is the salesperson of account_own_kam, but not its key "
            "account manager",
        )

    @users("cr_own", "cr_all", "cr_none")
    def test_is_my_account_compute_matches_search(self):
        partners = self.test_partners.with_env(self.env)
        self.assertEqual(
            partners.filtered("is_my_account"),
            self._search_test_partners([("is_my_account", "=", True)]),
        )

    @users("cr_own")
    @warmup
    def test_is_my_account_compute_queries(self):
        """The compute reads what it needs for all records at once: as many
        queries for one account as for all of them."""
        partners = self.test_partners.with_env(self.env)
        with self.assertQueryCount(cr_own=2):
            partners[:1].mapped("is_my_account")
        self.env.invalidate_all()
        with self.assertQueryCount(cr_own=2):
            partners.mapped("is_my_account")

    def test_is_my_account_unsupported_operator(self):
        with self.assertRaises(UserError):
            self.env["res.partner"].search([("is_my_account", "in", [True])])
