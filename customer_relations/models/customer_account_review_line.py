from odoo import fields, models

from .customer_account_plan_objective import OBJECTIVE_KINDS


class CustomerAccountReviewLine(models.Model):
    """An objective as it stood at a review: recorded by the review, never
    changed afterwards."""

    _name = "customer.account.review.line"
    _description = "Account Review Objective Progress"
    _order = "review_id, id"

    review_id = fields.Many2one(
        "customer.account.review",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    objective_id = fields.Many2one(
        "customer.account.plan.objective",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
    )
    kind = fields.Selection(OBJECTIVE_KINDS, readonly=True)
    name = fields.Char(string="Description", readonly=True)
    target = fields.Float(digits="Product Price", readonly=True)
    actual = fields.Float(digits="Product Price", readonly=True)
    progress = fields.Float(string="Progress (%)", readonly=True)
