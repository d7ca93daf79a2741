from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import CustomerEventCommon


@tagged("post_install", "-at_install")
class TestCustomerEventInvitation(CustomerEventCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["customer.event.invite"].create(
            {
                "event_id": cls.event.id,
                "partner_ids": [
                    (6, 0, (cls.account_own_kam + cls.account_individual).ids)
                ],
            }
        ).action_invite()
        Invitation = cls.env["customer.event.invitation"]
        cls.invitation_kam = Invitation.search(
            [
                ("event_id", "=", cls.event.id),
                ("partner_id", "=", cls.account_own_kam.id),
            ]
        )
        cls.invitation_individual = Invitation.search(
            [
                ("event_id", "=", cls.event.id),
                ("partner_id", "=", cls.account_individual.id),
            ]
        )
        # a key account manager for the individual too: a key account
        cls.activity_thank = cls.env.ref(
            "customer_relations_event.mail_activity_type_event_thank"
        )
        cls.activity_call = cls.env.ref(
            "customer_relations_event.mail_activity_type_event_call"
        )

    def _follow_ups(self, account):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", account.id),
                (
                    "activity_type_id",
                    "in",
                    (self.activity_thank + self.activity_call).ids,
                ),
            ]
        )

    def test_states_follow_registrations(self):
        """Registered, attended, unconfirmed and cancelled as Odoo's
        registration of the attendee (matched on the email, not on who booked
        it); attended gives the follow-up activity, once."""
        invitation = self.invitation_kam
        # booked by the contact, for someone else: not the invited contact
        other = self._register(
            "someone.else@example.com", partner_id=self.contact_own_kam.id
        )
        self.assertEqual(invitation.state, "invited")
        registration = self._register(" Olivia@Own-Kam.example.com", state="draft")
        self.assertEqual(invitation.registration_id, registration)
        self.assertEqual(invitation.state, "unconfirmed")
        registration.action_confirm()
        self.assertEqual(invitation.state, "registered")
        self.assertFalse(self._follow_ups(self.account_own_kam))
        registration.action_set_done()
        self.assertEqual(invitation.state, "attended")
        self.assertEqual(invitation.attendance_rate, 100)
        activity = self._follow_ups(self.account_own_kam)
        self.assertEqual(activity.activity_type_id, self.activity_thank)
        self.assertEqual(activity.user_id, self.user_own)
        self.assertEqual(invitation.activity_id, activity)
        # once: the end of the event, or attending again, give no other
        activity.action_feedback(feedback="Thanked")
        registration.write({"state": "open"})
        registration.action_set_done()
        with freeze_time(self.event.date_end + timedelta(hours=1)):
            self.env["customer.event.invitation"]._cron_close_ended_events()
        self.assertFalse(self._follow_ups(self.account_own_kam))
        self.assertEqual(invitation.state, "attended")
        other.action_cancel()
        self.assertEqual(invitation.registration_id, registration)

    def test_cancel_and_register_again(self):
        invitation = self.invitation_individual
        registration = self._register("ivan@example.com")
        self.assertEqual(invitation.state, "registered")
        registration.action_cancel()
        self.assertEqual(invitation.state, "cancelled")
        again = self._register("ivan@example.com")
        self.assertEqual(invitation.registration_id, again)
        self.assertEqual(invitation.state, "registered")

    def test_event_end_no_show_and_call(self):
        """At the event's end the registered key account becomes a no-show
        and its manager gets a call, once; a declined one nothing."""
        self._register("olivia@own-kam.example.com")
        self.invitation_individual._decline()
        self.assertEqual(self.invitation_individual.state, "declined")
        Invitation = self.env["customer.event.invitation"]
        Invitation._cron_close_ended_events()
        self.assertEqual(self.invitation_kam.state, "registered", "not over yet")
        with freeze_time(self.event.date_end + timedelta(hours=1)):
            Invitation._cron_close_ended_events()
            Invitation._cron_close_ended_events()
        self.assertEqual(self.invitation_kam.state, "no_show")
        self.assertEqual(self.invitation_kam.attendance_rate, 0)
        call = self._follow_ups(self.account_own_kam)
        self.assertEqual(call.activity_type_id, self.activity_call)
        self.assertEqual(call.user_id, self.user_own)
        self.assertFalse(self._follow_ups(self.account_individual))
        self.assertEqual(self.invitation_individual.state, "declined")
        # the registration desk enters them late: attended after all
        self.invitation_kam.registration_id.action_set_done()
        self.assertEqual(self.invitation_kam.state, "attended")

    def test_register_button_and_links(self):
        """The account manager registers the contact (Odoo's registration is
        created for the contact); declining cancels it."""
        invitation = self.invitation_kam.with_user(self.user_own)
        self.env.ref("event.group_event_user").users += self.user_own
        invitation.action_register()
        registration = invitation.registration_id
        self.assertEqual(registration.partner_id, self.contact_own_kam)
        self.assertEqual(registration.email, "olivia@own-kam.example.com")
        self.assertEqual(invitation.state, "registered")
        invitation.action_mark_attended()
        self.assertEqual(registration.state, "done")
        self.assertEqual(invitation.state, "attended")
        individual = self.invitation_individual
        individual._register_contact()
        individual._decline()
        self.assertEqual(individual.registration_id.state, "cancel")
        self.assertEqual(individual.state, "declined")

    def test_lead_rule_assigns_account_manager(self):
        """People met at the event who are not customers become
        opportunities: of the account manager of their account, else of the
        event responsible's team; the event is their source. Invited
        customers give none."""
        rule = self.env.ref("customer_relations_event.event_lead_rule_prospects")
        team = self.env["crm.team"].create(
            {"name": "Fair Team", "member_ids": [(6, 0, self.user_manager.ids)]}
        )
        prospect_account = self.env["res.partner"].create(
            {
                "name": "Prospect Srl",
                "is_company": True,
                "key_account_manager_id": self.user_all.id,
            }
        )
        self.env["res.partner"].create(
            {
                "name": "Piero Prospect",
                "parent_id": prospect_account.id,
                "email": "piero@prospect.example.com",
            }
        )
        known = self._register("piero@prospect.example.com", state="done")
        stranger = self._register("nina@stranger.example.com", state="done")
        invited = self._register("olivia@own-kam.example.com", state="done")
        leads = self.env["crm.lead"].search(
            [("event_lead_rule_id", "=", rule.id), ("event_id", "=", self.event.id)]
        )
        self.assertEqual(
            leads.registration_ids, known + stranger, "not the invited customer"
        )
        lead_known = leads.filtered(lambda lead: known in lead.registration_ids)
        self.assertEqual(lead_known.user_id, self.user_all)
        self.assertEqual(lead_known.type, "opportunity")
        lead_stranger = leads - lead_known
        self.assertFalse(lead_stranger.user_id)
        self.assertEqual(lead_stranger.team_id, team)
        self.assertEqual(leads.source_id.name, "Design Fair")
        self.assertTrue(invited.customer_event_invitation_ids)

    def test_figures_on_event_and_account(self):
        self._register("olivia@own-kam.example.com", state="done")
        stranger = self._register("nina@stranger.example.com", state="done")
        event = self.event
        self.assertEqual(event.customer_invitation_count, 2)
        self.assertEqual(event.customer_attended_count, 1)
        self.assertEqual(event.customer_pending_count, 1)
        self.assertEqual(event.customer_registered_count, 0)
        lead = self.env["crm.lead"].search([("registration_ids", "in", stranger.ids)])
        lead.expected_revenue = 5000
        won_stage = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        other = lead.copy({"expected_revenue": 2000, "stage_id": won_stage.id})
        self.assertEqual(other.event_id, event)
        event.invalidate_recordset()
        self.assertEqual(event.customer_opportunity_count, len(event.lead_ids))
        self.assertEqual(
            event.customer_expected_revenue,
            sum(event.lead_ids.mapped("expected_revenue")),
        )
        self.assertEqual(event.customer_won_revenue, 2000)
        account = self.account_own_kam
        self.assertEqual(account.customer_event_invited_count, 1)
        self.assertEqual(account.customer_event_attended_count, 1)
        self.assertEqual(self.contact_own_kam.customer_event_attended_count, 1)
        # a year later, the event is out of the last 12 months
        with freeze_time(fields.Datetime.now() + timedelta(days=400)):
            account.invalidate_recordset()
            self.assertEqual(account.customer_event_invited_count, 0)
        action = account.action_view_customer_event_invitations()
        self.assertEqual(
            self.env[action["res_model"]].search(action["domain"]), self.invitation_kam
        )
