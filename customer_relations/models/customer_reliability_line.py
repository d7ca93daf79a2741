from odoo import api, fields, models
from odoo.tools.misc import formatLang

INVOICING = "account.group_account_invoice"


class CustomerReliabilityLine(models.Model):
    """An automatic red flag found on an account in a company, with the
    figures that raised it. Written by the reliability check only; the
    figures are for invoicing users, as ``account`` restricts a partner's
    credit."""

    _name = "customer.reliability.line"
    _description = "Customer Red Flag Found"
    _order = "company_id, flag_id"
    _rec_name = "flag_id"
    _check_company_auto = True
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    flag_id = fields.Many2one(
        "customer.reliability.flag",
        string="Red Flag",
        required=True,
        ondelete="cascade",
    )
    weight = fields.Integer(related="flag_id.weight")
    count = fields.Integer(groups=INVOICING)
    amount = fields.Float(groups=INVOICING, digits="Account")
    reference_amount = fields.Float(groups=INVOICING, digits="Account")
    days = fields.Integer(groups=INVOICING)
    evidence = fields.Char(
        compute="_compute_evidence",
        groups=INVOICING,
        help="The figures that raised the red flag.",
    )

    @api.depends("flag_id.code", "count", "amount", "reference_amount", "days")
    @api.depends_context("lang")
    def _compute_evidence(self):
        _ = self.env._
        for line in self:
            currency = line.company_id.currency_id

            def money(amount, currency=currency):
                return formatLang(self.env, amount or 0.0, currency_obj=currency)

            code = line.flag_id.code
            if code == "overdue":
                evidence = _(
                    "%(count)s invoices overdue, %(amount)s over %(days)s days",
                    count=line.count,
                    amount=money(line.amount),
                    days=line.days,
                )
            elif code == "credit_limit":
                evidence = _(
                    "Receivable of %(amount)s against a credit limit of %(limit)s",
                    amount=money(line.amount),
                    limit=money(line.reference_amount),
                )
            elif code == "complaints":
                evidence = _(
                    "%(count)s complaints open past their deadline, the oldest by "
                    "%(days)s days",
                    count=line.count,
                    days=line.days,
                )
            elif code == "late_payments":
                evidence = _(
                    "Invoices paid %(days)s days late on average over the last 12 "
                    "months (%(count)s invoices)",
                    days=line.days,
                    count=line.count,
                )
            elif code == "trust":
                evidence = _("Payment trust: bad debtor")
            elif code == "no_vat":
                evidence = _("No tax ID on the company")
            elif code == "no_registry":
                evidence = _("No company registry on the company")
            else:
                evidence = ""
            line.evidence = evidence
