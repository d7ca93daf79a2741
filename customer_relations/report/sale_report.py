from odoo import fields, models


class SaleReport(models.Model):
    _inherit = "sale.report"

    customer_tier_id = fields.Many2one("customer.tier", readonly=True)
    key_account_manager_id = fields.Many2one("res.users", readonly=True)

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["customer_tier_id"] = "s.customer_tier_id"
        res["key_account_manager_id"] = "partner.key_account_manager_id"
        return res

    def _group_by_sale(self):
        return (
            super()._group_by_sale()
            + """,
            s.customer_tier_id,
            partner.key_account_manager_id"""
        )
