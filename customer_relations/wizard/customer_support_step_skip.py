from odoo import fields, models


class CustomerSupportStepSkip(models.TransientModel):
    _name = "customer.support.step.skip"
    _description = "Skip Support Step"

    step_ids = fields.Many2many("customer.support.step", string="Steps", required=True)
    reason = fields.Text(required=True, help="Why the step does not apply.")

    def action_skip(self):
        self.ensure_one()
        self.step_ids._skip(self.reason)
        return {"type": "ir.actions.act_window_close"}
