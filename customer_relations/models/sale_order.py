from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    customer_tier_id = fields.Many2one(
        "customer.tier",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer's tier when the order was confirmed, kept as it was "
        "for reporting revenue by tier over time.",
    )

    def _compute_pricelist_id(self):
        """New quotations of a customer whose tier has a pricelist get it."""
        res = super()._compute_pricelist_id()
        for order in self:
            if order.state != "draft" or not order.partner_id:
                continue
            tier = order.partner_id.commercial_partner_id.with_company(
                order.company_id
            ).customer_tier_id
            pricelist = tier.pricelist_id
            if pricelist and pricelist.company_id in (
                order.company_id,
                self.env["res.company"],
            ):
                order.pricelist_id = pricelist
        return res

    def action_confirm(self):
        """The addon's one override of confirmation: each capability gets the
        whole batch of orders and reads what it needs in a few queries."""
        res = super().action_confirm()
        self._freeze_customer_tier()
        return res

    def _freeze_customer_tier(self):
        """Keep on each order the customer's tier in the order's company."""
        for company, orders in self.grouped("company_id").items():
            orders = orders.with_company(company)
            for tier, same in orders.grouped(
                lambda o: o.partner_id.commercial_partner_id.customer_tier_id
            ).items():
                same.customer_tier_id = tier

    # ------------------------------------------------------------------
    # Objections
    # ------------------------------------------------------------------

    objection_count = fields.Integer(
        string="Objections",
        compute="_compute_objection_count",
        groups="customer_relations.group_customer_relations_user",
    )
    objection_open_count = fields.Integer(
        string="Open Objections",
        compute="_compute_objection_count",
        groups="customer_relations.group_customer_relations_user",
    )

    def _compute_objection_count(self):
        counts = self.env["customer.objection"]._count_by_field("order_id", self.ids)
        for order in self:
            order.objection_count, order.objection_open_count = counts.get(
                order.id, (0, 0)
            )

    def action_view_objections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_objection_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = self._objection_default_context()
        return action

    def action_record_objection(self):
        """Open a new objection prefilled from the order: a complaint once the
        order is confirmed, an objection while it is a quotation."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Objection"),
            "res_model": "customer.objection",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._objection_default_context(),
        }

    def _objection_default_context(self):
        self.ensure_one()
        return {
            "default_partner_id": self.partner_id.id,
            "default_order_id": self.id,
            "default_lead_id": self.opportunity_id.id,
            "default_team_id": self.team_id.id,
            "default_company_id": self.company_id.id,
            "default_kind": "complaint" if self.state == "sale" else "objection",
        }
