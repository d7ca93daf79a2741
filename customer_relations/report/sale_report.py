from odoo import fields, models


class SaleReport(models.Model):
    _inherit = "sale.report"

    customer_tier_id = fields.Many2one("customer.tier", readonly=True)
    customer_tier_backfilled = fields.Boolean(
        string="Tier Filled at Installation",
        readonly=True,
        help="The order was confirmed before Customer Relations was installed: "
        "its tier was filled at the addon's installation from the tier its "
        "account had then, not known at confirmation.",
    )
    key_account_manager_id = fields.Many2one("res.users", readonly=True)
    account_manager_id = fields.Many2one(
        "res.users",
        string="Sold by Account Manager",
        readonly=True,
        help="Who looked after the account when the order was confirmed.",
    )

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["customer_tier_id"] = "s.customer_tier_id"
        res["customer_tier_backfilled"] = "COALESCE(s.customer_tier_backfilled, FALSE)"
        res["key_account_manager_id"] = "partner.key_account_manager_id"
        res["account_manager_id"] = "s.account_manager_id"
        return res

    def _group_by_sale(self):
        return (
            super()._group_by_sale()
            + """,
            s.customer_tier_id,
            s.customer_tier_backfilled,
            partner.key_account_manager_id,
            s.account_manager_id"""
        )
