from odoo import fields, models


class CustomerObjectionCategory(models.Model):
    _name = "customer.objection.category"
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

    def action_view_objections(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_objection_action"
        )
        action["domain"] = [("category_id", "=", self.id)]
        action["context"] = {"default_category_id": self.id}
        return action
