from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    objection_sla_hours = fields.Float(
        string="Default Objection Response Time (hours)",
        default=16.0,
        help="Working hours within which objections must be answered when neither "
        "the customer's tier nor the objection's category sets a response time.",
    )
    objection_alias_id = fields.Many2one(
        "mail.alias",
        string="Complaints Alias",
        copy=False,
        help="Emails sent to this alias create complaints of this company for "
        "the sender's account.",
    )

    _sql_constraints = [
        (
            "objection_sla_hours_positive",
            "CHECK(objection_sla_hours >= 0)",
            "The default objection response time cannot be negative.",
        ),
    ]

    def _objection_alias_values(self, name):
        self.ensure_one()
        return {
            "alias_name": name,
            "alias_model_id": self.env["ir.model"]._get_id("customer.objection"),
            "alias_domain_id": self.alias_domain_id.id,
            "alias_contact": "everyone",
            "alias_defaults": repr({"company_id": self.id, "kind": "complaint"}),
        }
