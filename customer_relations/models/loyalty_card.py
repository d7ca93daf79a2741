from odoo import fields, models


class LoyaltyCard(models.Model):
    _name = "loyalty.card"
    _inherit = ["loyalty.card", "customer.protected.mixin"]
    # Only the reward of a referral links its coupon (see customer.referral).
    _protected_fields = ("customer_referral_id",)

    customer_referral_id = fields.Many2one(
        "customer.referral",
        string="Referral",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The referral this coupon rewards.",
    )

    _sql_constraints = [
        (
            "customer_referral_unique",
            "UNIQUE(customer_referral_id)",
            "A referral is rewarded with one coupon only.",
        ),
    ]
