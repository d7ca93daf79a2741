from odoo import api, fields, models


class CustomerSegmentAssign(models.TransientModel):
    _name = "customer.segment.assign"
    _description = "Pin a Customer to a Segment"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    current_segment_id = fields.Many2one(
        "customer.segment",
        compute="_compute_current_segment_id",
    )
    segment_id = fields.Many2one(
        "customer.segment",
        string="New Segment",
        domain="[('company_id', 'in', [current_company_id, False])]",
        help="Leave empty to take the customer out of every segment.",
    )
    reason = fields.Char(
        required=True,
        help="Why this segment is chosen by hand. The segment is pinned: the "
        "recompute leaves it alone until someone unpins it.",
    )

    @api.depends("partner_id")
    def _compute_current_segment_id(self):
        for wizard in self:
            wizard.current_segment_id = wizard.partner_id.sudo().customer_segment_id

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
                "customer_segment_id": self.segment_id.id,
                "customer_segment_locked": True,
                "customer_segment_lock_reason": self.reason,
            }
        )
        return {"type": "ir.actions.act_window_close"}
