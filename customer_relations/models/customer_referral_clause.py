from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# Loyalty programs whose coupons a referrer can use on a later order.
REWARD_PROGRAM_TYPES = ("coupons", "next_order_coupons", "gift_card")


class CustomerReferralClause(models.Model):
    _name = "customer.referral.clause"
    _description = "Referral Clause"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to use this clause in every company (its loyalty "
        "program must then be shared as well).",
    )
    text = fields.Html(
        string="Clause",
        translate=True,
        help="The clause as printed in the quotation and the order, in the "
        "customer's language: what the customer gets for each new customer it "
        "brings, and on which conditions.",
    )
    program_id = fields.Many2one(
        "loyalty.program",
        string="Reward Program",
        required=True,
        check_company=True,
        ondelete="restrict",
        domain=[("program_type", "in", REWARD_PROGRAM_TYPES)],
        help="Loyalty program (coupons, next order coupons or gift cards) of "
        "which a coupon is issued to the referrer for each rewarded referral.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        help="Amounts are in the currency of the clause's company (of the "
        "current company when the clause is shared).",
    )
    min_first_order_amount = fields.Monetary(
        string="Minimum First Order",
        currency_field="currency_id",
        help="Untaxed amount, in the company's currency, that the referred "
        "customer's first order must reach for the referral to be rewarded.",
    )
    validity_days = fields.Integer(
        string="Validity (days)",
        default=90,
        help="The referred customer must confirm its first order within this "
        "many days of the referral's registration. 0: no limit.",
    )
    max_referrals = fields.Integer(
        string="Maximum Rewarded Referrals",
        help="How many referrals of one referrer are rewarded under this "
        "clause. 0: unlimited.",
    )
    reward_approval = fields.Boolean(
        string="Approval Required",
        help="An administrator approves each qualified referral before its "
        "coupon is issued.",
    )
    referral_count = fields.Integer(
        string="Referrals", compute="_compute_referral_count"
    )

    _sql_constraints = [
        (
            "min_first_order_amount_positive",
            "CHECK(min_first_order_amount >= 0)",
            "The minimum first order of a referral clause cannot be negative.",
        ),
        (
            "validity_days_positive",
            "CHECK(validity_days >= 0)",
            "The validity of a referral clause cannot be negative.",
        ),
        (
            "max_referrals_positive",
            "CHECK(max_referrals >= 0)",
            "The maximum number of referrals of a clause cannot be negative.",
        ),
    ]

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for clause in self:
            clause.currency_id = (clause.company_id or self.env.company).currency_id

    def _compute_referral_count(self):
        groups = self.env["customer.referral"]._read_group(
            [("clause_id", "in", self.ids)], ["clause_id"], ["__count"]
        )
        counts = {clause.id: count for clause, count in groups}
        for clause in self:
            clause.referral_count = counts.get(clause.id, 0)

    @api.constrains("program_id")
    def _check_program_id(self):
        for clause in self:
            if clause.program_id.program_type not in REWARD_PROGRAM_TYPES:
                raise ValidationError(
                    self.env._(
                        "The reward program of the referral clause %(clause)s must "
                        "issue coupons (a coupon, next order coupon or gift card "
                        "program), not %(program)s.",
                        clause=clause.name,
                        program=clause.program_id.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = self.env["customer.referral"].sudo().search_count(
            [("clause_id", "in", self.ids)], limit=1
        ) or self.env["sale.order"].sudo().search_count(
            [("referral_clause_id", "in", self.ids)], limit=1
        )
        if used:
            raise UserError(
                self.env._(
                    "A referral clause that is part of orders or referrals cannot be "
                    "deleted: archive it instead."
                )
            )

    @api.readonly
    def action_view_referrals(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_referral_action"
        )
        action["domain"] = [("clause_id", "=", self.id)]
        action["context"] = {}
        return action
