from odoo import api, fields, models

GROUP_OWN = "customer_relations.group_customer_relations_user"
GROUP_SALESMAN = "sales_team.group_sale_salesman"


class EventEvent(models.Model):
    _inherit = "event.event"

    customer_invitation_ids = fields.One2many(
        "customer.event.invitation",
        "event_id",
        string="Invitations",
        groups=GROUP_OWN,
    )
    customer_invitation_count = fields.Integer(
        string="Invited Accounts",
        compute="_compute_customer_invitation_figures",
        groups=GROUP_OWN,
    )
    customer_registered_count = fields.Integer(
        string="Accounts Registered",
        compute="_compute_customer_invitation_figures",
        groups=GROUP_OWN,
        help="Invited accounts registered to the event and not yet there.",
    )
    customer_attended_count = fields.Integer(
        string="Accounts Attended",
        compute="_compute_customer_invitation_figures",
        groups=GROUP_OWN,
    )
    customer_no_show_count = fields.Integer(
        string="Accounts Not Come",
        compute="_compute_customer_invitation_figures",
        groups=GROUP_OWN,
        help="Invited accounts registered to the event that did not come.",
    )
    customer_declined_count = fields.Integer(
        string="Accounts Declined",
        compute="_compute_customer_invitation_figures",
        groups=GROUP_OWN,
        help="Invited accounts that declined or cancelled their registration.",
    )
    customer_pending_count = fields.Integer(
        string="Accounts Without Answer",
        compute="_compute_customer_invitation_figures",
        groups=GROUP_OWN,
        help="Invited accounts that did not answer, or whose registration is not "
        "confirmed.",
    )
    customer_currency_id = fields.Many2one(
        "res.currency", compute="_compute_customer_currency_id"
    )
    customer_opportunity_count = fields.Integer(
        string="Opportunities",
        compute="_compute_customer_opportunity_figures",
        groups=GROUP_SALESMAN,
        help="Leads and opportunities created from the event's registrations.",
    )
    customer_expected_revenue = fields.Monetary(
        string="Expected Revenue",
        currency_field="customer_currency_id",
        compute="_compute_customer_opportunity_figures",
        groups=GROUP_SALESMAN,
        help="Expected revenue of the event's open and won opportunities.",
    )
    customer_won_revenue = fields.Monetary(
        string="Won Revenue",
        currency_field="customer_currency_id",
        compute="_compute_customer_opportunity_figures",
        groups=GROUP_SALESMAN,
        help="Expected revenue of the event's won opportunities.",
    )

    def _compute_customer_invitation_figures(self):
        counts = {
            (event.id, state): count
            for event, state, count in self.env[
                "customer.event.invitation"
            ]._read_group(
                [("event_id", "in", self.ids)], ["event_id", "state"], ["__count"]
            )
        }
        for event in self:

            def count(*states, event_id=event.id):
                return sum(counts.get((event_id, state), 0) for state in states)

            event.customer_registered_count = count("registered")
            event.customer_attended_count = count("attended")
            event.customer_no_show_count = count("no_show")
            event.customer_declined_count = count("declined", "cancelled")
            event.customer_pending_count = count("invited", "unconfirmed")
            event.customer_invitation_count = count(
                "invited",
                "unconfirmed",
                "registered",
                "attended",
                "no_show",
                "cancelled",
                "declined",
            )

    @api.depends("company_id")
    def _compute_customer_currency_id(self):
        for event in self:
            event.customer_currency_id = (
                event.company_id.currency_id or self.env.company.currency_id
            )

    def _compute_customer_opportunity_figures(self):
        # the leads the user may read (Sales' own record rules apply); lost
        # ones are archived, and counted too
        Lead = self.env["crm.lead"]
        domain = [("event_id", "in", self.ids)]
        counts = dict(
            Lead.with_context(active_test=False)._read_group(
                domain, ["event_id"], ["__count"]
            )
        )
        expected = dict(
            Lead._read_group(domain, ["event_id"], ["expected_revenue:sum"])
        )
        won = dict(
            Lead._read_group(
                [*domain, ("stage_id.is_won", "=", True)],
                ["event_id"],
                ["expected_revenue:sum"],
            )
        )
        for event in self:
            event.customer_opportunity_count = counts.get(event, 0)
            event.customer_expected_revenue = expected.get(event, 0.0)
            event.customer_won_revenue = won.get(event, 0.0)

    def action_customer_invite_accounts(self):
        self.ensure_one()
        self.check_access("read")
        self.env["customer.event.invitation"].check_access("create")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invite Accounts"),
            "res_model": "customer.event.invite",
            "view_mode": "form",
            "target": "new",
            "context": {"default_event_id": self.id},
        }

    def action_view_customer_invitations(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations_event.customer_event_invitation_action"
        )
        action["domain"] = [("event_id", "=", self.id)]
        action["context"] = {"default_event_id": self.id}
        return action
