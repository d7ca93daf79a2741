from odoo import api, fields, models


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

    # ------------------------------------------------------------------
    # Objections
    # ------------------------------------------------------------------

    objection_sla_hours = fields.Float(
        related="company_id.objection_sla_hours", readonly=False
    )
    objection_alias_name = fields.Char(
        string="Complaints Alias",
        compute="_compute_objection_alias_name",
        store=True,
        readonly=False,
        help="Emails sent to this address create complaints for the sender's account.",
    )

    @api.depends("company_id")
    def _compute_objection_alias_name(self):
        for settings in self:
            settings.objection_alias_name = (
                settings.company_id.objection_alias_id.alias_name
            )

    def set_values(self):
        res = super().set_values()
        company = self.company_id
        alias = company.objection_alias_id.sudo()
        name = self.objection_alias_name or False
        if alias:
            if alias.alias_name != name:
                alias.alias_name = name
        elif name:
            company.sudo().objection_alias_id = (
                self.env["mail.alias"]
                .sudo()
                .create(company._objection_alias_values(name))
            )
        return res
