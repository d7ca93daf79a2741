from odoo import api, fields, models, tools


class EventRegistration(models.Model):
    _inherit = "event.registration"

    customer_event_invitation_ids = fields.One2many(
        "customer.event.invitation",
        "registration_id",
        string="Invitations",
        groups="customer_relations.group_customer_relations_user",
    )
    customer_event_is_prospect = fields.Boolean(
        string="Prospect",
        compute="_compute_customer_event_is_prospect",
        compute_sudo=True,
        help="The attendee was not invited and is no contact of a customer: "
        "someone met at the event, to follow up as a new opportunity.",
    )

    @api.depends("email", "partner_id")
    def _compute_customer_event_is_prospect(self):
        invitations = (
            self.env["customer.event.invitation"]
            .sudo()
            .search([("event_id", "in", self.event_id.ids)])
        )
        invited = set(invitations.registration_id.ids)
        # (event_crm runs its rules before the invitations are linked)
        invited_emails = {
            (invitation.event_id.id, invitation.contact_id.email_normalized)
            for invitation in invitations
        }
        customers = self._customer_event_matching_accounts().filtered(
            lambda account: account.customer_rank > 0
        )
        customer_emails = set(
            self.env["res.partner"]
            .sudo()
            .search([("commercial_partner_id", "in", customers.ids)])
            .mapped("email_normalized")
        ) - {False}
        for registration in self:
            email = tools.email_normalize(registration.email or "")
            registration.customer_event_is_prospect = not (
                registration.id in invited
                or (registration.event_id.id, email) in invited_emails
                or email in customer_emails
            )

    def _customer_event_matching_accounts(self):
        """The accounts (commercial entities) of the contacts whose email is
        one of the registrations' attendees'."""
        emails = {
            tools.email_normalize(registration.email or "") for registration in self
        } - {False}
        if not emails:
            return self.env["res.partner"]
        return (
            self.env["res.partner"]
            .sudo()
            .search([("email_normalized", "in", list(emails))])
            .commercial_partner_id
        )

    @api.model_create_multi
    def create(self, vals_list):
        registrations = super().create(vals_list)
        registrations._customer_event_sync_invitations()
        return registrations

    def write(self, vals):
        res = super().write(vals)
        if {"state", "email", "partner_id", "event_id"} & vals.keys():
            self._customer_event_sync_invitations()
        return res

    def _customer_event_sync_invitations(self):
        """The invitations of the registrations' attendees follow them (as
        superuser: whoever registers people may know nothing of accounts);
        the attended ones get their follow-up."""
        registrations = self.sudo()
        emails = {
            tools.email_normalize(registration.email or "")
            for registration in registrations
        } - {False}
        Invitation = self.env["customer.event.invitation"].sudo()
        invitations = Invitation.search(
            [
                ("event_id", "in", registrations.event_id.ids),
                "|",
                "|",
                ("registration_id", "in", registrations.ids),
                ("contact_id.email_normalized", "in", list(emails)),
                ("contact_id", "in", registrations.partner_id.ids),
            ]
        )
        invitations._match_registrations(registrations)
        invitations.filtered(lambda i: i.state == "attended")._schedule_follow_up()

    def _get_lead_values(self, rule):
        """Rules that assign to the account manager: the opportunity goes to
        the manager of the account whose contact is the attendee (first found
        among the registrations), else to the team of the event's
        responsible; the event is its source."""
        values = super()._get_lead_values(rule)
        if not rule.customer_assign_account_manager:
            return values
        event = self.event_id[:1]
        account = next(
            (
                account
                for registration in self.sorted("id")
                for account in registration._customer_event_matching_accounts()
                if account._get_account_manager()
            ),
            self.env["res.partner"],
        )
        Team = self.env["crm.team"].sudo()
        domain = [("company_id", "in", [event.company_id.id, False])]
        if account:
            user = account._get_account_manager()
            values["user_id"] = user.id
            values["team_id"] = Team._get_default_team_id(
                user_id=user.id, domain=domain
            ).id
        elif event.user_id:
            values["user_id"] = False
            values["team_id"] = Team._get_default_team_id(
                user_id=event.user_id.id, domain=domain
            ).id
        values["source_id"] = (
            self.env["crm.lead"]
            .sudo()
            ._find_or_create_record("utm.source", event.name)
            .id
        )
        return values
