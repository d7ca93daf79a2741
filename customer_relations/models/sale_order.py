from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    customer_tier_id = fields.Many2one(
        "customer.tier",
        string="Customer Tier",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer's tier when the order was confirmed, kept as it was "
        "for reporting revenue by tier over time.",
    )

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
