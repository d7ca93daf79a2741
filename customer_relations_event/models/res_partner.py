from dateutil.relativedelta import relativedelta

from odoo import fields, models

GROUP_OWN = "customer_relations.group_customer_relations_user"


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_event_contact_id = fields.Many2one(
        "res.partner",
        string="Contact for Events",
        domain="[('parent_id', '=', id), ('email', '!=', False)]",
        # a person of this account, not of its duplicate (and Odoo's own
        # duplication by a user without our groups must not read it)
        copy=False,
        groups=GROUP_OWN,
        help="The person of the account who receives its event invitations. "
        "Empty: the account's own email address.",
    )
    customer_event_invited_count = fields.Integer(
        string="Events Invited",
        compute="_compute_customer_event_counts",
        groups=GROUP_OWN,
        help="Events of the last 12 months to which the account was invited.",
    )
    customer_event_attended_count = fields.Integer(
        string="Events Attended",
        compute="_compute_customer_event_counts",
        groups=GROUP_OWN,
        help="Events of the last 12 months that the account attended.",
    )

    def _compute_customer_event_counts(self):
        since = fields.Datetime.now() - relativedelta(months=12)
        counts = {}
        for account, state, count in self.env["customer.event.invitation"]._read_group(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("event_date_begin", ">=", since),
            ],
            ["partner_id", "state"],
            ["__count"],
        ):
            counts.setdefault(account.id, {})[state] = count
        for partner in self:
            by_state = counts.get(partner.commercial_partner_id.id, {})
            partner.customer_event_invited_count = sum(by_state.values())
            partner.customer_event_attended_count = by_state.get("attended", 0)

    def action_view_customer_event_invitations(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations_event.customer_event_invitation_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_last_year": 1}
        return action
