from odoo import fields, models
from odoo.exceptions import UserError


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
        if not self.reason or not self.reason.strip():
            raise UserError(self.env._("Please give the reason of the rejection."))
        referrals = self.referral_ids
        referrals._check_administrator()
        if any(
            referral.state not in ("pending", "qualified") for referral in referrals
        ):
            raise UserError(
                self.env._("Only pending and qualified referrals can be rejected.")
            )
        referrals.sudo()._lock_for_update()._reject(self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
