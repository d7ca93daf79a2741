from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .mail_activity import REVIEW_RECORDED


class CustomerAccountReview(models.Model):
    """A review of an account plan: who attended, what was said and decided,
    and the objectives' progress as it stood (recorded with the review,
    never changed afterwards). Recording it closes the plan's review
    activity and schedules the next review."""

    _name = "customer.account.review"
    _description = "Account Plan Review"
    _inherit = ["mail.thread", "customer.protected.mixin"]
    _order = "date desc, id desc"
    _rec_name = "plan_id"
    _check_company_auto = True
    _fixed_parent_fields = ("plan_id",)

    plan_id = fields.Many2one(
        "customer.account.plan",
        string="Account Plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        related="plan_id.partner_id", store=True, precompute=True, string="Account"
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, precompute=True, index=True
    )
    account_manager_id = fields.Many2one(related="plan_id.account_manager_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    attendee_partner_ids = fields.Many2many(
        "res.partner",
        "customer_account_review_partner_rel",
        "review_id",
        "partner_id",
        string="Customer Attendees",
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    attendee_user_ids = fields.Many2many(
        "res.users",
        "customer_account_review_user_rel",
        "review_id",
        "user_id",
        string="Our Attendees",
        domain=[("share", "=", False)],
    )
    notes = fields.Html(help="What was discussed.")
    decisions = fields.Html(help="What was decided, and who does what.")
    line_ids = fields.One2many(
        "customer.account.review.line",
        "review_id",
        string="Objectives at the Review",
        readonly=True,
        help="The objectives' actuals and progress when the review was recorded.",
    )

    @api.constrains("date")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for review in self:
            if review.date > today:
                raise ValidationError(
                    self.env._(
                        "A review is recorded once held: %(date)s is in the future.",
                        date=review.date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        reviews = super().create(vals_list)
        reviews._snapshot_objectives()
        if self.env.context.get(REVIEW_RECORDED):
            # recorded by marking its activity done: the activity schedules
            return reviews
        plans = reviews.plan_id.sudo()
        # the review that is the plan's latest held the review it was due
        latest = plans.filtered(
            lambda plan: (
                plan.last_review_date
                in reviews.filtered(lambda r: r.plan_id == plan).mapped("date")
            )
        )
        latest._close_review_activities(
            self.env._("Review recorded; the next one is scheduled.")
        )
        plans._sync_review_activities()
        return reviews

    def write(self, vals):
        res = super().write(vals)
        if "date" in vals:
            self.plan_id._sync_review_activities()
        return res

    def unlink(self):
        plans = self.plan_id
        res = super().unlink()
        plans.exists()._sync_review_activities()
        return res

    def _snapshot_objectives(self):
        """Record the objectives' progress at the review: computed for every
        objective of the reviews' plans at once, written as superuser (users
        only read them)."""
        objectives = self.sudo().plan_id.objective_ids
        objectives.mapped("actual")  # all at once
        self.env["customer.account.review.line"].sudo().create(
            [
                {"review_id": review.id, **objective._snapshot_values()}
                for review in self
                for objective in review.sudo().plan_id.objective_ids
            ]
        )
