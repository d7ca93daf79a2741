from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

GROUP_ALL = "customer_relations.group_customer_relations_user_all"


class CustomerEventInvite(models.TransientModel):
    """Invite accounts to an event: those of the chosen tiers, market
    segments, account managers and tags, and those picked by hand; each
    through one contact, by email."""

    _name = "customer.event.invite"
    _description = "Invite Accounts to an Event"

    event_id = fields.Many2one("event.event", required=True, readonly=True)
    company_id = fields.Many2one(related="event_id.company_id")
    tier_ids = fields.Many2many(
        "customer.tier",
        string="Tiers",
        help="Invite the accounts of these tiers.",
    )
    segment_ids = fields.Many2many(
        "customer.segment",
        string="Market Segments",
        help="Invite the accounts of these market segments.",
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Account Managers",
        domain="[('share', '=', False)]",
        help="Invite the accounts of these account managers.",
    )
    category_ids = fields.Many2many(
        "res.partner.category",
        string="Tags",
        help="Invite the accounts with one of these tags.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Accounts",
        domain="[('is_customer_account', '=', True)]",
        help="Invite these accounts as well.",
    )
    account_ids = fields.Many2many(
        "res.partner",
        "customer_event_invite_account_rel",
        string="Accounts to Invite",
        compute="_compute_account_ids",
        help="The accounts chosen above that are not invited to the event yet.",
    )
    account_count = fields.Integer(compute="_compute_account_ids")
    state = fields.Selection(
        [("choose", "Choose"), ("done", "Done")], default="choose", readonly=True
    )
    invited_count = fields.Integer(readonly=True)
    skipped_ids = fields.Many2many(
        "res.partner",
        "customer_event_invite_skipped_rel",
        string="Skipped Accounts",
        readonly=True,
        help="Accounts whose contact has no email, or does not want any email.",
    )
    report = fields.Html(readonly=True, sanitize=True)

    @api.depends(
        "event_id", "tier_ids", "segment_ids", "user_ids", "category_ids", "partner_ids"
    )
    def _compute_account_ids(self):
        for wizard in self:
            wizard.account_ids = wizard._find_accounts()
            wizard.account_count = len(wizard.account_ids)

    def _account_domain(self):
        """Accounts matching any of the criteria; the user's own only, unless
        they see all accounts."""
        criteria = []
        if self.tier_ids:
            criteria.append([("customer_tier_id", "in", self.tier_ids.ids)])
        if self.user_ids:
            criteria.append(
                [
                    "|",
                    ("key_account_manager_id", "in", self.user_ids.ids),
                    "&",
                    ("key_account_manager_id", "=", False),
                    ("user_id", "in", self.user_ids.ids),
                ]
            )
        if self.category_ids:
            criteria.append([("category_id", "in", self.category_ids.ids)])
        if self.segment_ids:
            criteria.append([("customer_segment_id", "in", self.segment_ids.ids)])
        if self.partner_ids:
            criteria.append([("id", "in", self.partner_ids.commercial_partner_id.ids)])
        if not criteria:
            return expression.FALSE_DOMAIN
        domain = [
            [("is_customer_account", "=", True)],
            [("company_id", "in", [self.event_id.company_id.id or False, False])],
            expression.OR(criteria),
        ]
        if not self.env.user.has_group(GROUP_ALL):
            domain.append([("is_my_account", "=", True)])
        return expression.AND(domain)

    def _find_accounts(self):
        self.ensure_one()
        if not self.event_id:
            return self.env["res.partner"]
        company = self.event_id.company_id or self.env.company
        accounts = (
            self.env["res.partner"]
            .with_company(company)
            .search(self._account_domain(), order="name, id")
        )
        invited = (
            self.env["customer.event.invitation"]
            .sudo()
            .search([("event_id", "=", self.event_id.id)])
            .partner_id
        )
        return (accounts - invited).with_env(self.env)

    @api.model
    def _event_contact(self, account):
        """Who of the account receives the invitation: its contact for events,
        else the account itself (its own email)."""
        contact = account.sudo().customer_event_contact_id
        if contact and contact.commercial_partner_id == account and contact.active:
            return contact.with_env(self.env)
        return account

    def action_invite(self):
        """Create the invitations of the chosen accounts not invited yet and
        queue their emails; accounts whose contact has no email or does not
        want emails are skipped and listed."""
        self.ensure_one()
        self.event_id.check_access("read")
        Invitation = self.env["customer.event.invitation"]
        Invitation.check_access("create")
        accounts = self._find_accounts()
        if not accounts:
            raise UserError(
                self.env._(
                    "No account to invite: choose tiers, account managers, tags or "
                    "accounts that are not invited to %(event)s yet.",
                    event=self.event_id.display_name,
                )
            )
        values, skipped = [], self.env["res.partner"]
        reasons = []
        for account in accounts:
            contact = self._event_contact(account)
            if not contact.email_normalized:
                reason = self.env._("no email address")
            elif contact.is_blacklisted:
                reason = self.env._("does not want emails (blacklisted)")
            else:
                values.append(
                    {
                        "event_id": self.event_id.id,
                        "partner_id": account.id,
                        "contact_id": contact.id,
                    }
                )
                continue
            skipped |= account
            reasons.append(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(account)s (%(contact)s): %(reason)s",
                    account=account.display_name,
                    contact=contact.name,
                    reason=reason,
                )
            )
        invitations = Invitation.create(values)
        invitations._send_invitation_emails()
        report = Markup("<p>%s</p>") % self.env._(
            "%(count)s accounts invited to %(event)s.",
            count=len(invitations),
            event=self.event_id.display_name,
        )
        if reasons:
            report += Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Skipped, to be invited another way:"),
                Markup().join(reasons),
            )
        self.write(
            {
                "state": "done",
                "invited_count": len(invitations),
                "skipped_ids": [fields.Command.set(skipped.ids)],
                "report": report,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Invite Accounts"),
        }

    def action_close(self):
        """Close the wizard; the event's form shows its new invitations."""
        return {"type": "ir.actions.act_window_close"}
