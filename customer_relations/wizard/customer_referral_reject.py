from odoo import fields, models


class CustomerReferralReject(models.TransientModel):
    _name = "customer.referral.reject"
    _description = "Reject Customer Referrals"

    referral_ids = fields.Many2many(
        "customer.referral",
        string="Referrals",
        default=lambda self: self.env.context.get("active_ids"),
    )
    reason = fields.Text(
        required=True, help="Why the referrals are not rewarded: kept on them."
    )

    def action_reject(self):
        self.ensure_one()
        self.referral_ids._reject_by_hand(self.reason)
        return {"type": "ir.actions.act_window_close"}
