from odoo import fields, models

from .customer_reliability_result import GRADES


class CustomerReliabilityHistory(models.Model):
    _name = "customer.reliability.history"
    _description = "Customer Reliability Change"
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True
    # Append-only, written by the reliability check in the statement that
    # writes the grades.
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    old_grade = fields.Selection(GRADES, string="From Grade")
    new_grade = fields.Selection(GRADES, string="To Grade", required=True)
    score = fields.Integer()
    date = fields.Datetime(default=fields.Datetime.now, required=True)
