from odoo import fields, models


class EventLeadRule(models.Model):
    _inherit = "event.lead.rule"

    customer_assign_account_manager = fields.Boolean(
        string="Assign to the Account Manager",
        help="The opportunity goes to the account manager of the account whose "
        "contact has the attendee's email, if any; else to the sales team of the "
        "event's responsible. The event is the opportunity's source.",
    )
