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
