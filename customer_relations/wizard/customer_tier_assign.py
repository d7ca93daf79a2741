from odoo import api, fields, models


class CustomerTierAssign(models.TransientModel):
    _name = "customer.tier.assign"
    _description = "Set a Customer Tier by Hand"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        domain="[('is_company', '=', True)]",
    )
    current_tier_id = fields.Many2one(
        related="partner_id.customer_tier_id", string="Current Tier"
    )
    tier_id = fields.Many2one(
        "customer.tier",
        string="New Tier",
        domain="[('company_id', 'in', [current_company_id, False])]",
        help="Leave empty to remove the customer's tier.",
    )
    reason = fields.Char(
        required=True,
        help="Why this tier is chosen by hand. The tier is locked: the daily "
        "ranking leaves it alone until someone unlocks it.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        partner = self.env["res.partner"].browse(values.get("partner_id"))
        if partner:
            values["partner_id"] = partner.commercial_partner_id.id
        return values

    def action_apply(self):
        self.ensure_one()
        self.partner_id.write(
            {
                "customer_tier_id": self.tier_id.id,
                "customer_tier_locked": True,
                "customer_tier_lock_reason": self.reason,
            }
        )
        return {"type": "ir.actions.act_window_close"}
