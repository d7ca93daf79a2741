from odoo import fields, models


class CustomerObjectionStage(models.Model):
    _name = "customer.objection.stage"
    _description = "Objection Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Objections in a folded stage are hidden in a folded column of the "
        "kanban.",
    )
    is_closed = fields.Boolean(
        string="Closing Stage",
        help="Objections in this stage are answered: they need a resolution, get "
        "their closing date and resolution time, and are no longer overdue.",
    )
    description = fields.Text(
        translate=True, help="What an objection in this stage is waiting for."
    )
