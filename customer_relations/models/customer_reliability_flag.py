from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The automatic red flags the daily check computes, by code.
AUTOMATIC_CODES = [
    ("overdue", "Overdue Receivables"),
    ("trust", "Bad Payment Trust"),
    ("credit_limit", "Credit Limit Exceeded"),
    ("complaints", "Complaints Past Their Deadline"),
    ("late_payments", "Late Payments"),
    ("no_vat", "Missing Tax ID"),
    ("no_registry", "Missing Company Registry"),
]


class CustomerReliabilityFlag(models.Model):
    """A sign that a prospect or a customer may not be a reliable counterpart.

    Manual flags are ticked by the account manager on the opportunity or the
    partner; automatic ones are found by the daily reliability check in
    Odoo's own data (receivables, trust, credit limit, complaints, registry).
    Each flag takes its weight off the 100 points of a reliable account.
    """

    _name = "customer.reliability.flag"
    _description = "Customer Red Flag"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(
        translate=True, help="What to look for before ticking this flag."
    )
    weight = fields.Integer(
        required=True,
        default=10,
        help="Points taken off the reliability score (100 = no flag).",
    )
    kind = fields.Selection(
        [("manual", "Manual"), ("automatic", "Automatic")],
        required=True,
        default="manual",
        help="Manual flags are ticked on the opportunity or the partner; automatic "
        "ones are computed from the accounting and the complaints every day.",
    )
    code = fields.Selection(
        AUTOMATIC_CODES,
        string="Computed From",
        help="What the daily check looks at for an automatic flag.",
    )

    _sql_constraints = [
        (
            "code_unique",
            "UNIQUE(code)",
            "Each automatic check has one red flag.",
        ),
    ]

    @api.constrains("weight")
    def _check_weight(self):
        for flag in self:
            if flag.weight < 0:
                raise ValidationError(
                    self.env._(
                        "The weight of the red flag %(name)s cannot be negative.",
                        name=flag.name,
                    )
                )

    @api.constrains("kind", "code")
    def _check_code(self):
        for flag in self:
            if (flag.kind == "automatic") != bool(flag.code):
                raise ValidationError(
                    self.env._(
                        "An automatic red flag says what it is computed from, and a "
                        "manual one does not (%(name)s).",
                        name=flag.name,
                    )
                )
