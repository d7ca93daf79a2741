from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    objection_sla_hours = fields.Float(
        string="Default Objection Response Time (hours)",
        default=16.0,
        help="Working hours within which objections must be answered when neither "
        "the customer's tier nor the objection's category sets a response time.",
    )
    objection_alias_category_id = fields.Many2one(
        "customer.objection.category",
        string="Category of Emailed Complaints",
        help="The category whose email address is the company's complaints "
        "address (Settings). Other categories may have their own address.",
    )

    _sql_constraints = [
        (
            "objection_sla_hours_positive",
            "CHECK(objection_sla_hours >= 0)",
            "The default objection response time cannot be negative.",
        ),
    ]
