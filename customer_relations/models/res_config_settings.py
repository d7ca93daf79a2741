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
    objection_alias_category_id = fields.Many2one(
        related="company_id.objection_alias_category_id", readonly=False
    )
    objection_alias_name = fields.Char(
        string="Complaints Alias",
        compute="_compute_objection_alias_name",
        store=True,
        readonly=False,
        help="Emails sent to this address create complaints for the sender's "
        "account, in the category chosen here (the address is the category's).",
    )

    @api.depends("company_id", "objection_alias_category_id")
    def _compute_objection_alias_name(self):
        Category = self.env["customer.objection.category"]
        for settings in self:
            settings.objection_alias_name = Category._default_email_category(
                settings.company_id
            ).alias_name

    def set_values(self):
        res = super().set_values()
        category = self.env["customer.objection.category"]._default_email_category(
            self.company_id
        )
        name = self.objection_alias_name or False
        if category and (category.alias_name or False) != name:
            category.with_context(
                default_alias_domain_id=self.company_id.alias_domain_id.id
            ).sudo().alias_name = name
        return res

    # ------------------------------------------------------------------
    # Reliability
    # ------------------------------------------------------------------

    reliability_watch_score = fields.Integer(
        related="company_id.reliability_watch_score", readonly=False
    )
    reliability_risky_score = fields.Integer(
        related="company_id.reliability_risky_score", readonly=False
    )
    reliability_late_days = fields.Integer(
        related="company_id.reliability_late_days", readonly=False
    )
    reliability_approval = fields.Boolean(
        related="company_id.reliability_approval", readonly=False
    )

    # ------------------------------------------------------------------
    # Range
    # ------------------------------------------------------------------

    customer_range_category_ids = fields.Many2many(
        related="company_id.customer_range_category_ids", readonly=False
    )
    customer_range_white_space_threshold = fields.Float(
        related="company_id.customer_range_white_space_threshold", readonly=False
    )
