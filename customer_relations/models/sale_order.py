from odoo import api, fields, models


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
        if not self.env.context.get("customer_relations_skip_confirm_hooks"):
            self._create_support_plans()
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

    # ------------------------------------------------------------------
    # Support plans
    # ------------------------------------------------------------------

    support_plan_ids = fields.One2many(
        "customer.support.plan",
        "order_id",
        string="Support Plans",
        groups="customer_relations.group_customer_relations_user",
    )
    support_plan_id = fields.Many2one(
        "customer.support.plan",
        compute="_compute_support_plan_id",
        groups="customer_relations.group_customer_relations_user",
        help="The plan following the contract through since its confirmation.",
    )
    support_plan_progress = fields.Float(
        compute="_compute_support_plan_id",
        string="Follow-up Progress",
        groups="customer_relations.group_customer_relations_user",
    )

    @api.depends("support_plan_ids.state", "support_plan_ids.progress")
    def _compute_support_plan_id(self):
        Plan = self.env["customer.support.plan"]
        plans = Plan.search([("order_id", "in", self.ids)]) if self.ids else Plan
        latest = {}
        for plan in plans.sorted(lambda p: (p.state != "cancelled", p.id)):
            latest[plan.order_id.id] = plan
        for order in self:
            order.support_plan_id = latest.get(order.id, Plan)
            order.support_plan_progress = order.support_plan_id.progress

    def _action_cancel(self):
        """The addon's one override of cancellation: each capability gets the
        whole batch of orders."""
        res = super()._action_cancel()
        self._cancel_support_plans()
        return res

    def _create_support_plans(self):
        """Give each newly confirmed order its support plan (batched)."""
        self.env["customer.support.plan"]._create_for_orders(self)

    def _cancel_support_plans(self):
        plans = (
            self.env["customer.support.plan"]
            .sudo()
            .search([("order_id", "in", self.ids), ("state", "!=", "cancelled")])
        )
        plans._cancel()

    def action_view_support_plan(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_support_plan_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {}
        if self.support_plan_id:
            action.update(
                view_mode="form",
                views=[(False, "form")],
                res_id=self.support_plan_id.id,
            )
        return action
