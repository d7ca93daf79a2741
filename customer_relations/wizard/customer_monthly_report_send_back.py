from odoo import fields, models


class CustomerMonthlyReportSendBack(models.TransientModel):
    _name = "customer.monthly.report.send.back"
    _description = "Send a Monthly Report Back"

    report_ids = fields.Many2many(
        "customer.monthly.report",
        string="Reports",
        default=lambda self: self.env.context.get("active_ids"),
    )
    comment = fields.Text(
        required=True,
        help="What the account manager should change: posted on the report.",
    )

    def action_send_back(self):
        self.ensure_one()
        self.report_ids.action_send_back(comment=self.comment)
        return {"type": "ir.actions.act_window_close"}
