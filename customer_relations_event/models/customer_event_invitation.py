from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from odoo.addons.customer_relations.models.batch import cron_batch

END_CURSOR = "customer_relations_event.event_end_last_id"
# Which registration of an invited contact counts when there are several:
# attended before registered before unconfirmed before cancelled.
REGISTRATION_PRIORITY = {"done": 3, "open": 2, "draft": 1, "cancel": 0}


class CustomerEventInvitation(models.Model):
    """An account invited to an event, through one of its contacts.

    Its state follows Odoo's own registration of the contact (matched on the
    attendee's email, or on the attendee's contact when the registration has
    no email): registered, attended, unconfirmed or cancelled as the
    registration is; declined from the link of the invitation email; no-show
    when the event ended while the contact was still only registered."""

    _name = "customer.event.invitation"
    _description = "Event Invitation"
    _inherit = ["mail.thread", "customer.protected.mixin"]
    _order = "event_date_begin desc, id desc"
    _check_company_auto = True
    # Set by the invitation's workflow (Odoo's registrations, the links of the
    # email, the end of the event), never by hand.
    _protected_fields = (
        "state",
        "registration_id",
        "declined",
        "event_ended",
        "followed_up",
        "activity_id",
        "tier_id",
        "is_key_account",
        "user_id",
    )

    event_id = fields.Many2one(
        "event.event",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    event_date_begin = fields.Datetime(
        related="event_id.date_begin", store=True, string="Event Start"
    )
    event_date_end = fields.Datetime(related="event_id.date_end", string="Event End")
    company_id = fields.Many2one(
        related="event_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        required=True,
        index=True,
        check_company=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
        help="The invited account (a commercial entity).",
    )
    contact_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        check_company=True,
        help="The person of the account who receives the invitation: the "
        "account's contact for events, else the account itself.",
    )
    email = fields.Char(related="contact_id.email", string="Email")
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        compute="_compute_user_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The account's key account manager, else its salesperson.",
    )
    tier_id = fields.Many2one(
        "customer.tier",
        compute="_compute_tier_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The account's tier when it was invited.",
    )
    is_key_account = fields.Boolean(
        string="Key Account",
        compute="_compute_tier_id",
        store=True,
        precompute=True,
        help="The account had a key account manager when it was invited.",
    )
    registration_id = fields.Many2one(
        "event.registration",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="Odoo's registration of the invited contact to the event.",
    )
    declined = fields.Boolean(
        readonly=True,
        copy=False,
        help="The contact answered that they cannot come.",
    )
    event_ended = fields.Boolean(
        readonly=True,
        copy=False,
        help="The event was over when the invitation was last checked.",
    )
    state = fields.Selection(
        [
            ("invited", "Invited"),
            ("unconfirmed", "Unconfirmed"),
            ("registered", "Registered"),
            ("attended", "Attended"),
            ("no_show", "No-show"),
            ("cancelled", "Registration Cancelled"),
            ("declined", "Declined"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
        help="Invited: no answer yet. Unconfirmed: registered, waiting for "
        "confirmation. Registered: the contact will come. Attended: the contact "
        "came. No-show: registered but did not come. Registration Cancelled: the "
        "registration was cancelled. Declined: the contact answered that they "
        "cannot come.",
    )
    attendance_rate = fields.Float(
        string="Attendance (%)",
        compute="_compute_state",
        store=True,
        aggregator="avg",
        digits=(5, 1),
        help="100 for an account that came, else 0: its average is the share of "
        "invited accounts that came.",
    )
    followed_up = fields.Boolean(
        readonly=True,
        copy=False,
        help="The follow-up activity was given to the account manager.",
    )
    activity_id = fields.Many2one(
        "mail.activity",
        string="Follow-up Activity",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    activity_summary = fields.Char(
        related="activity_id.summary", string="Follow-up", compute_sudo=True
    )
    date_invited = fields.Datetime(
        string="Invited On", default=fields.Datetime.now, readonly=True
    )

    _sql_constraints = [
        (
            "event_partner_unique",
            "UNIQUE(event_id, partner_id)",
            "An account is invited to an event only once.",
        ),
    ]

    @api.depends("event_id", "partner_id")
    def _compute_display_name(self):
        for invitation in self:
            invitation.display_name = self.env._(
                "%(event)s: %(account)s",
                event=invitation.event_id.name or "",
                account=invitation.partner_id.name or "",
            )

    @api.depends("partner_id.key_account_manager_id", "partner_id.user_id")
    def _compute_user_id(self):
        for invitation in self:
            invitation.user_id = invitation.partner_id._get_account_manager()

    @api.depends("partner_id")
    def _compute_tier_id(self):
        # stored when the account is invited: the tier it had then
        for invitation in self:
            account = invitation.partner_id.commercial_partner_id
            company = invitation.event_id.company_id or self.env.company
            invitation.tier_id = account.with_company(company).customer_tier_id
            invitation.is_key_account = bool(account.key_account_manager_id)

    @api.depends("registration_id.state", "declined", "event_ended")
    def _compute_state(self):
        for invitation in self:
            registration = invitation.registration_id.state
            if registration == "done":
                state = "attended"
            elif registration == "open":
                state = "no_show" if invitation.event_ended else "registered"
            elif registration == "draft":
                state = "unconfirmed"
            elif registration == "cancel":
                state = "declined" if invitation.declined else "cancelled"
            else:
                state = "declined" if invitation.declined else "invited"
            invitation.state = state
            invitation.attendance_rate = 100.0 if state == "attended" else 0.0

    @api.constrains("partner_id", "contact_id")
    def _check_contact(self):
        for invitation in self:
            account = invitation.partner_id
            if account != account.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is a contact, not an account: invite its "
                        "company %(account)s.",
                        partner=account.display_name,
                        account=account.commercial_partner_id.display_name,
                    )
                )
            if invitation.contact_id.commercial_partner_id != account:
                raise ValidationError(
                    self.env._(
                        "%(contact)s does not belong to the account %(account)s.",
                        contact=invitation.contact_id.display_name,
                        account=account.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        invitations = super().create(vals_list)
        # the contact may have registered before being invited
        invitations.sudo()._match_registrations()
        return invitations

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_register(self):
        """Register the invited contact to the event in Odoo (the account
        manager took the answer by phone)."""
        self.check_access("write")
        self.event_id.check_access("read")
        self.env["event.registration"].check_access("create")
        for invitation in self:
            invitation._register_contact()
        return True

    def action_mark_attended(self):
        """Mark the contact's registration attended, as the registration desk
        does."""
        self.check_access("write")
        registrations = self.registration_id
        if not registrations or len(registrations) != len(self):
            raise UserError(
                self.env._("Only registered contacts can be marked as attended.")
            )
        registrations.check_access("write")
        registrations.action_set_done()
        return True

    def action_view_registration(self):
        self.ensure_one()
        self.check_access("read")
        self.registration_id.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "event.registration",
            "res_id": self.registration_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Business logic
    # ------------------------------------------------------------------

    def _register_contact(self):
        """Odoo's registration of the invited contact (created when there is
        none, or only a cancelled one), as superuser: called after the access
        checks (of the account manager, or of the signed link)."""
        self.ensure_one()
        invitation = self.sudo()
        if invitation.registration_id.state in ("draft", "open", "done"):
            return invitation.registration_id
        event = invitation.event_id
        if not event.event_registrations_open:
            raise UserError(
                self.env._(
                    "Registrations to %(event)s are closed.", event=event.display_name
                )
            )
        contact = invitation.contact_id
        registration = (
            self.env["event.registration"]
            .sudo()
            .create(
                {
                    "event_id": event.id,
                    "partner_id": contact.id,
                    "name": contact.name,
                    "email": contact.email,
                    "phone": contact.phone or contact.mobile,
                }
            )
        )
        # linked directly: the registration is the invited contact's
        invitation.registration_id = registration
        return registration

    def _decline(self):
        """The contact cannot come: the invitation is declined, and the
        contact's registration, if any, cancelled."""
        invitation = self.sudo()
        invitation.declined = True
        registration = invitation.registration_id
        if registration.state in ("draft", "open"):
            registration.action_cancel()

    def _match_registrations(self, registrations=None):
        """Link the invitations to the registrations of their contacts, among
        ``registrations`` (all those of their events when not given): the
        registration of the attendee whose email is the contact's (or, without
        email, whose contact is the invited one). When a contact has several,
        the attended one counts, then a registered, unconfirmed, cancelled
        one. Called as superuser."""
        if not self:
            return
        Registration = self.env["event.registration"].sudo()
        if registrations is None:
            registrations = Registration.search([("event_id", "in", self.event_id.ids)])
        by_key = {}
        for registration in registrations:
            email = tools.email_normalize(registration.email or "")
            key = (
                (registration.event_id.id, "email", email)
                if email
                else (registration.event_id.id, "partner", registration.partner_id.id)
            )
            by_key.setdefault(key, Registration)
            by_key[key] |= registration
        for invitation in self:
            contact = invitation.contact_id
            email = contact.email_normalized
            candidates = Registration
            if email:
                candidates |= by_key.get(
                    (invitation.event_id.id, "email", email), Registration
                )
            candidates |= by_key.get(
                (invitation.event_id.id, "partner", contact.id), Registration
            )
            current = invitation.registration_id
            if current and current in registrations and current not in candidates:
                # its attendee changed: another person now
                current = Registration
            best = max(
                candidates | current,
                key=lambda r: (REGISTRATION_PRIORITY.get(r.state, 0), r.id),
                default=Registration,
            )
            if best != invitation.registration_id:
                invitation.registration_id = best

    def _follow_up_activity(self):
        """The activity type, summary and note of the follow-up of the
        invitation, or None when it needs none."""
        self.ensure_one()
        event = self.event_id.name
        account = self.partner_id.name
        if self.state == "attended":
            return (
                "customer_relations_event.mail_activity_type_event_thank",
                self.env._(
                    "Thank %(account)s for coming to %(event)s",
                    account=account,
                    event=event,
                ),
            )
        if self.state == "no_show" and self.is_key_account:
            return (
                "customer_relations_event.mail_activity_type_event_call",
                self.env._(
                    "Call %(account)s: registered to %(event)s but did not come",
                    account=account,
                    event=event,
                ),
            )
        return None

    def _schedule_follow_up(self):
        """One follow-up activity per invitation that needs one, on the
        account, for its manager (else the event's responsible): once, never
        again after it is done or removed."""
        todo = []
        for invitation in self.sudo().filtered(lambda i: not i.followed_up):
            follow_up = invitation._follow_up_activity()
            user = invitation.user_id or invitation.event_id.user_id
            if follow_up and user:
                todo.append((invitation, user, *follow_up))
        if not todo:
            return
        Activity = self.env["mail.activity"].sudo()
        model_id = self.env["ir.model"]._get_id("res.partner")
        values_list = []
        for invitation, user, type_xmlid, summary in todo:
            activity_type = self.env.ref(type_xmlid)
            values_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": invitation.partner_id.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "user_id": user.id,
                    "date_deadline": activity_type._get_date_deadline(),
                }
            )
        activities = Activity.with_context(mail_activity_quick_update=True).create(
            values_list
        )
        for (invitation, *_rest), activity in zip(todo, activities, strict=True):
            invitation.write({"followed_up": True, "activity_id": activity.id})

    @api.model
    def _cron_close_ended_events(self, batch_size=1000):
        """At the end of each event: the invited contacts still only
        registered become no-shows, and the account managers get their
        follow-up activities. One invitation that fails is logged and
        skipped."""
        domain = [
            ("event_ended", "=", False),
            ("event_id.date_end", "<=", fields.Datetime.now()),
        ]
        return cron_batch(
            self.sudo(),
            domain,
            batch_size,
            END_CURSOR,
            lambda found: found._close_ended(),
            self.env._("End of the event of invitations"),
        )

    def _close_ended(self):
        self.write({"event_ended": True})
        self._schedule_follow_up()

    # ------------------------------------------------------------------
    # Invitation email and its links
    # ------------------------------------------------------------------

    def _send_invitation_emails(self):
        """Queue the invitation emails (sent by Odoo's mail queue)."""
        if not self:
            return
        template = self.env.ref(
            "customer_relations_event.mail_template_customer_event_invitation"
        )
        template.sudo().send_mail_batch(self.ids, force_send=False)

    def _answer_token(self):
        """The signature of the invitation's links: only its email has it."""
        self.ensure_one()
        return tools.hmac(
            self.env(su=True),
            "customer_relations_event.invitation",
            (self.id, self.contact_id.id, self.event_id.id),
        )

    def _answer_url(self, answer):
        self.ensure_one()
        base = self.get_base_url()
        return (
            f"{base}/customer_event/invitation/{self.id}/{answer}"
            f"?token={self._answer_token()}"
        )
