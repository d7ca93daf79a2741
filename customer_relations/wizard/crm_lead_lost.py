from odoo import Command, fields, models


class CrmLeadLost(models.TransientModel):
    """Odoo's "Mark as Lost" dialog also asks who won the deal. The question
    is shown to Customer Relations users only; for them the answer is written
    on the opportunities with its other values. Others use the dialog as
    before: an answer sent anyway is refused by the field's groups on the
    opportunity."""

    _inherit = "crm.lead.lost"

    lost_to_competitor_id = fields.Many2one(
        "customer.competitor",
        string="Lost To",
        help="The competitor who won the deal, if any.",
    )

    def action_lost_reason_apply(self):
        competitor = self.lost_to_competitor_id
        if competitor:
            # as the user: the field's groups decide who may set it
            self.lead_ids.write(
                {
                    "lost_to_competitor_id": competitor.id,
                    "competitor_ids": [Command.link(competitor.id)],
                }
            )
        return super().action_lost_reason_apply()
