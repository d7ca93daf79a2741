from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    customer_account_unassigned_count = fields.Integer(
        string="Accounts without Key Account Manager",
        compute="_compute_customer_account_unassigned_count",
    )

    def _compute_customer_account_unassigned_count(self):
        self.customer_account_unassigned_count = self.env["res.partner"].search_count(
            [
                ("is_customer_account", "=", True),
                ("key_account_manager_id", "=", False),
            ]
        )
