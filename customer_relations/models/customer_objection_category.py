from ast import literal_eval

from odoo import api, fields, models


class CustomerObjectionCategory(models.Model):
    """A kind of objection or complaint. Each category may have its own email
    address (Odoo's optional alias, as journals have): what customers send to
    it becomes a complaint of that category."""

    _name = "customer.objection.category"
    _inherit = ["mail.alias.mixin.optional"]
    _description = "Objection Category"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [("objection", "Objection"), ("complaint", "Complaint")],
        help="Objections are raised before the sale, complaints after it. Leave "
        "empty for a category used for both.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Default Responsible",
        domain=[("share", "=", False)],
        check_company=True,
        help="Who handles the new objections of this category. Empty: the "
        "account's manager.",
    )
    sla_hours = fields.Float(
        string="Response Time (hours)",
        help="Working hours within which objections of this category must be "
        "answered when the customer's tier sets none. 0: the company's default.",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to use this category in every company.",
    )
    description = fields.Text(translate=True, help="When to use this category.")
    portal_visible = fields.Boolean(
        string="Visible on the Portal",
        help="Customers may choose this category when they file a complaint in "
        "their portal.",
    )
    objection_count = fields.Integer(
        string="Objections", compute="_compute_objection_count"
    )

    _sql_constraints = [
        (
            "sla_hours_positive",
            "CHECK(sla_hours >= 0)",
            "The response time of an objection category cannot be negative.",
        ),
    ]

    def _compute_objection_count(self):
        groups = self.env["customer.objection"]._read_group(
            [("category_id", "in", self.ids)], ["category_id"], ["__count"]
        )
        counts = {category.id: count for category, count in groups}
        for category in self:
            category.objection_count = counts.get(category.id, 0)

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("customer.objection")
        values["alias_contact"] = "everyone"
        if self.id:
            defaults = literal_eval(self.alias_defaults or "{}")
            defaults.update(category_id=self.id, kind=self.kind or "complaint")
            if self.company_id:
                defaults["company_id"] = self.company_id.id
            values["alias_defaults"] = repr(defaults)
        return values

    @api.model
    def _default_email_category(self, company):
        """The category whose address receives the complaints of ``company``
        that name no category (Settings → Complaints by Email)."""
        return company.objection_alias_category_id or self.env.ref(
            "customer_relations.customer_objection_category_other",
            raise_if_not_found=False,
        )

    @api.readonly
    def action_view_objections(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_objection_action"
        )
        action["domain"] = [("category_id", "=", self.id)]
        action["context"] = {"default_category_id": self.id}
        return action
