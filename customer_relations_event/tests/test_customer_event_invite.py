from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CustomerEventCommon


@tagged("post_install", "-at_install")
class TestCustomerEventInvite(CustomerEventCommon):
    def test_invite_by_tier_contact_and_email(self):
        """The Strategic tier's accounts: each through its contact for events,
        else its own address; the blacklisted one is skipped and reported,
        the others get their email in the mail queue."""
        wizard = self._invite(tier_ids=self.tier_strategic.ids)
        # (the demo database has Strategic accounts of its own)
        invitations = self.env["customer.event.invitation"].search(
            [("event_id", "=", self.event.id), ("partner_id", "in", self.accounts.ids)]
        )
        self.assertEqual(invitations.partner_id, self.account_own_kam)
        self.assertEqual(invitations.contact_id, self.contact_own_kam)
        self.assertEqual(invitations.user_id, self.user_own)
        self.assertEqual(invitations.tier_id, self.tier_strategic)
        self.assertTrue(invitations.is_key_account)
        self.assertEqual(invitations.state, "invited")
        self.assertEqual(wizard.state, "done")
        self.assertEqual(wizard.skipped_ids & self.accounts, self.account_other_kam)
        self.assertIn("blacklisted", wizard.report)
        self.assertIn("Other KAM SA", wizard.report)
        mail = self.env["mail.mail"].search(
            [
                ("model", "=", "customer.event.invitation"),
                ("res_id", "=", invitations.id),
            ]
        )
        self.assertEqual(mail.state, "outgoing", "queued, not sent at once")
        self.assertEqual(mail.recipient_ids, self.contact_own_kam)
        self.assertIn("Design Fair", mail.subject)
        self.assertIn(invitations._answer_url("accept"), mail.body_html)
        self.assertIn(invitations._answer_url("decline"), mail.body_html)

    def test_invite_by_segment(self):
        """The accounts of a market segment (pinned here), nobody else."""
        segment = self.env["customer.segment"].create(
            {"name": "Fair Segment", "rule_domain": "[('id', '=', 0)]"}
        )
        self.env["customer.tier.ranking"].create(
            {
                "partner_id": self.account_individual.id,
                "segment_id": segment.id,
                "segment_locked": True,
                "segment_lock_reason": "Fair visitors",
            }
        )
        self._invite(segment_ids=segment.ids)
        invited = self.env["customer.event.invitation"].search(
            [("event_id", "=", self.event.id)]
        )
        self.assertEqual(invited.partner_id, self.account_individual)

    def test_invite_by_manager_tag_and_hand_no_double(self):
        """Account managers, tags and hand-picked accounts (a contact picked
        invites its company); an account already invited is not invited
        again; without email it is skipped and reported."""
        wizard = self._invite(
            user_ids=self.user_own.ids, category_ids=self.category_fair.ids
        )
        invited = self.env["customer.event.invitation"].search(
            [("event_id", "=", self.event.id)]
        )
        # user_own's accounts: own_kam, own_sales (no email), individual
        self.assertEqual(
            invited.partner_id, self.account_own_kam + self.account_individual
        )
        self.assertEqual(wizard.skipped_ids, self.account_own_sales)
        self.assertIn("no email address", wizard.report)
        again = self.env["customer.event.invite"].create(
            {
                "event_id": self.event.id,
                "partner_ids": [
                    (6, 0, (self.contact_own_kam + self.account_individual).ids)
                ],
            }
        )
        self.assertFalse(again.account_ids, "both are invited already")
        with self.assertRaises(UserError):
            again.action_invite()
        self.assertEqual(
            self.env["customer.event.invitation"].search_count(
                [("event_id", "=", self.event.id)]
            ),
            2,
        )

    def test_own_user_invites_own_accounts_only(self):
        """An account manager choosing the Strategic tier invites their own
        Strategic accounts, not those of others."""
        wizard = (
            self.env["customer.event.invite"]
            .with_user(self.user_own)
            .create(
                {
                    "event_id": self.event.id,
                    "tier_ids": [(6, 0, self.tier_strategic.ids)],
                }
            )
        )
        self.assertEqual(wizard.account_ids, self.account_own_kam)
        wizard.action_invite()
        invitations = self.env["customer.event.invitation"].search(
            [("event_id", "=", self.event.id)]
        )
        self.assertEqual(invitations.partner_id, self.account_own_kam)
        self.assertFalse(wizard.skipped_ids, "the blacklisted account is not theirs")

    def test_no_criteria_invites_nobody(self):
        wizard = self.env["customer.event.invite"].create({"event_id": self.event.id})
        self.assertFalse(wizard.account_ids)
        with self.assertRaises(UserError):
            wizard.action_invite()

    def test_contact_already_registered(self):
        """A contact who registered before the invitation: the invitation is
        registered at once."""
        self._register("OLIVIA@own-kam.example.com")
        self._invite(partner_ids=self.account_own_kam.ids)
        self.assertEqual(self._invitation(self.account_own_kam).state, "registered")
