from odoo import fields, models


class CustomerCompetitorSwot(models.Model):
    """One thing learnt about a competitor: a strength, a weakness, an
    opportunity or a threat. Every Customer Relations user adds lines; the
    author and the date are set by the addon, and the author (or an
    administrator) edits the line afterwards."""

    _name = "customer.competitor.swot"
    _inherit = ["customer.protected.mixin"]
    _description = "Competitor SWOT Line"
    _order = "kind, date desc, id desc"
    _rec_name = "description"
    _check_company_auto = True
    _protected_fields = ("author_id", "date")

    competitor_id = fields.Many2one(
        "customer.competitor",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="competitor_id.company_id", store=True)
    kind = fields.Selection(
        [
            ("strength", "Strength"),
            ("weakness", "Weakness"),
            ("opportunity", "Opportunity"),
            ("threat", "Threat"),
        ],
        required=True,
        default="strength",
    )
    description = fields.Text(required=True)
    date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
    author_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
