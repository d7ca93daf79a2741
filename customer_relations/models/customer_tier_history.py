from odoo import fields, models


class CustomerTierHistory(models.Model):
    _name = "customer.tier.history"
    _description = "Customer Tier Change"
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True
    # An append-only log with its own date and author: no magic columns (the
    # first ranking of a large customer base writes one row per account).
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    # Read per customer (by partner_id): no index of its own on the company.
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    key_account_manager_id = fields.Many2one(
        related="partner_id.key_account_manager_id",
        string="Key Account Manager",
    )
    old_tier_id = fields.Many2one("customer.tier", string="From Tier")
    new_tier_id = fields.Many2one("customer.tier", string="To Tier")
    annual_revenue = fields.Float(
        digits="Product Price",
        help="The customer's revenue over the last 365 days when the tier changed, "
        "in the company's currency.",
    )
    annual_order_count = fields.Integer(string="Orders (12 months)")
    date = fields.Datetime(default=fields.Datetime.now, required=True)
    automatic = fields.Boolean(
        help="Set by the daily ranking; otherwise chosen by hand.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Changed By",
        default=lambda self: self.env.user,
    )
    reason = fields.Char()
