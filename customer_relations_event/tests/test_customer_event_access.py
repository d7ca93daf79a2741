from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CustomerEventCommon


@tagged("post_install", "-at_install")
class TestCustomerEventAccess(CustomerEventCommon):
    """Raw calls, as over JSON-RPC, by each role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Invitation = cls.env["customer.event.invitation"]
        cls.invitation_own = Invitation.create(
            {
                "event_id": cls.event.id,
                "partner_id": cls.account_own_kam.id,
                "contact_id": cls.contact_own_kam.id,
            }
        )
        cls.invitation_other = Invitation.create(
            {
                "event_id": cls.event.id,
                "partner_id": cls.account_other_kam.id,
                "contact_id": cls.account_other_kam.id,
            }
        )
        cls.invitations = cls.invitation_own + cls.invitation_other
        cls.event_2 = cls._create_event("Fair of Company 2", 7, company=cls.company_2)
        cls.invitation_company_2 = Invitation.create(
            {
                "event_id": cls.event_2.id,
                "partner_id": cls.account_unassigned.id,
                "contact_id": cls.account_unassigned.id,
            }
        )
        cls.user_all.company_ids += cls.company_2

    def _visible(self, user):
        return (
            self.env["customer.event.invitation"]
            .with_user(user)
            .search([("id", "in", (self.invitations + self.invitation_company_2).ids)])
        )

    def test_own_accounts_user(self):
        Invitation = self.env["customer.event.invitation"].with_user(self.user_own)
        self.assertEqual(self._visible(self.user_own), self.invitation_own)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.invitation_other.with_user(self.user_own).read(["state"])
        # their own account: yes; another's: no
        created = Invitation.create(
            {
                "event_id": self.event.id,
                "partner_id": self.account_individual.id,
                "contact_id": self.account_individual.id,
            }
        )
        self.assertEqual(created.user_id, self.user_own)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Invitation.create(
                {
                    "event_id": self.event.id,
                    "partner_id": self.account_unassigned.id,
                    "contact_id": self.account_unassigned.id,
                }
            )
        # the workflow's fields are not theirs to set
        own = self.invitation_own.with_user(self.user_own)
        for values in (
            {"state": "attended"},
            {"declined": True},
            {"user_id": self.user_all.id},
            {"followed_up": True},
        ):
            with self.assertRaises(AccessError):
                own.write(values)
        with self.assertRaises(AccessError):
            Invitation.create(
                {
                    "event_id": self.event.id,
                    "partner_id": self.account_own_sales.id,
                    "contact_id": self.account_own_sales.id,
                    "state": "attended",
                }
            )
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            own.unlink()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.invitation_other.with_user(self.user_own).action_register()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.invitation_other.with_user(self.user_own).action_mark_attended()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.invitation_other.with_user(self.user_own).action_view_registration()
        with self.assertRaises(UserError):
            own.action_mark_attended()

    def test_all_accounts_user_and_companies(self):
        user = self.user_all
        self.assertEqual(
            self.env["customer.event.invitation"]
            .with_user(user)
            .with_context(allowed_company_ids=self.env.company.ids)
            .search([("id", "in", (self.invitations + self.invitation_company_2).ids)]),
            self.invitations,
        )
        self.assertEqual(
            self.env["customer.event.invitation"]
            .with_user(user)
            .with_context(allowed_company_ids=(self.env.company + self.company_2).ids)
            .search([("id", "in", self.invitation_company_2.ids)]),
            self.invitation_company_2,
        )
        self.invitation_other.with_user(user).read(["state", "user_id"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.invitation_own.with_user(user).unlink()
        # the administrator may remove one made by mistake
        self.invitation_own.with_user(self.user_manager).unlink()

    def test_users_without_customer_relations(self):
        """Event users keep Odoo's event rights but see no invitation; users
        without any right and portal users neither."""
        for user in (self.user_event, self.user_none, self.user_portal):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.env["customer.event.invitation"].with_user(user).search([])
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.invitation_own.with_user(user).read(["state"])
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.env["customer.event.invite"].with_user(user).create(
                    {"event_id": self.event.id}
                )
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.event.with_user(self.user_none).action_customer_invite_accounts()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.account_own_kam.with_user(
                self.user_portal
            ).action_view_customer_event_invitations()
        # the event user registers the invited contact: the invitation follows
        registration = self._register("olivia@own-kam.example.com")
        self.assertEqual(self.invitation_own.registration_id, registration)
        self.assertEqual(self.invitation_own.state, "registered")
        event = self.event.with_user(self.user_event)
        event.read(["name", "seats_taken", "customer_currency_id"])
        self.assertNotIn("customer_invitation_count", event.fields_get())

    def test_multi_company(self):
        """An invitation belongs to the event's company: another company's
        account cannot be invited to it."""
        self.account_unassigned.company_id = self.company_2
        with self.assertRaises(UserError):
            self.env["customer.event.invitation"].create(
                {
                    "event_id": self.event.id,
                    "partner_id": self.account_unassigned.id,
                    "contact_id": self.account_unassigned.id,
                }
            )
        self.assertEqual(self.invitation_company_2.company_id, self.company_2)
        wizard = self.env["customer.event.invite"].create(
            {
                "event_id": self.event.id,
                "partner_ids": [(6, 0, self.account_unassigned.ids)],
            }
        )
        self.assertFalse(wizard.account_ids)

    def test_copy_and_defaults_do_not_set_workflow_fields(self):
        """copy() and default_ values from the context are raw calls too."""
        own = self.invitation_own.with_user(self.user_manager)
        with self.assertRaises(AccessError):
            own.copy({"event_id": self.event_2.id, "state": "attended"})
        Invitation = (
            self.env["customer.event.invitation"]
            .with_user(self.user_own)
            .with_context(default_state="attended", default_followed_up=True)
        )
        created = Invitation.create(
            {
                "event_id": self.event.id,
                "partner_id": self.account_individual.id,
                "contact_id": self.account_individual.id,
            }
        )
        self.assertEqual(created.state, "invited")
        self.assertFalse(created.followed_up)
