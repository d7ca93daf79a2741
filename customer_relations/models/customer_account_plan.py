from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .mail_activity import REVIEW_ACTIVITY_TYPE, REVIEW_RECORDED


class CustomerAccountPlan(models.Model):
    """A key account's plan for a period (usually a year): objectives with
    their actuals, the account's stakeholders, a SWOT and actions
    (activities), reviewed periodically.

    The plan schedules its own reviews, every ``review_interval_months`` of
    the account's tier in the plan's company (independent of the tier's own
    review date, which gates downgrades), as an "Account Plan Review"
    activity of the key account manager. A review is overdue when its date
    has passed: ``active AND next_review_date < today``.
    """

    _name = "customer.account.plan"
    _description = "Account Plan"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "customer.account.mixin",
        "customer.protected.mixin",
    ]
    _account_field = "partner_id"
    _order = "date_start desc, id desc"
    _check_company_auto = True
    # Scheduled by the plan from its reviews and the account's tier.
    _protected_fields = ("next_review_date", "last_review_date")

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    active = fields.Boolean(default=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
        help="The key account: a company, or an individual without company.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_start = fields.Date(
        string="Start",
        required=True,
        tracking=True,
        default=fields.Date.context_today,
    )
    date_end = fields.Date(
        string="End",
        required=True,
        tracking=True,
        default=lambda self: (
            fields.Date.context_today(self) + relativedelta(years=1, days=-1)
        ),
        help="Plans of one account and company may not overlap: on any day, "
        "the account has at most one current plan.",
    )
    is_current = fields.Boolean(
        string="Current",
        compute="_compute_is_current",
        search="_search_is_current",
        help="The plan's period covers today.",
    )
    objective_ids = fields.One2many(
        "customer.account.plan.objective", "plan_id", string="Objectives"
    )
    stakeholder_ids = fields.One2many(
        "customer.account.stakeholder", "plan_id", string="Stakeholders"
    )
    review_ids = fields.One2many("customer.account.review", "plan_id", string="Reviews")
    review_count = fields.Integer(compute="_compute_review_count")
    last_review_date = fields.Date(
        string="Last Review",
        compute="_compute_last_review_date",
        store=True,
        precompute=True,
    )
    next_review_date = fields.Date(
        string="Next Review",
        compute="_compute_next_review_date",
        store=True,
        precompute=True,
        index=True,
        copy=False,
        tracking=True,
        help="Scheduled by the plan: the start of the plan (or its last review) "
        "plus the review interval of the account's tier, at the latest the "
        "end of the plan. Empty once the plan was reviewed at its end.",
    )
    review_overdue = fields.Boolean(
        compute="_compute_review_overdue",
        search="_search_review_overdue",
        help="The next review's date has passed.",
    )
    strengths = fields.Html(help="What the account does well, what it values in us.")
    weaknesses = fields.Html(help="Where the account, or our position there, is weak.")
    opportunities = fields.Html(help="What we could sell or improve with the account.")
    threats = fields.Html(help="Competitors, risks, changes that could cost us.")

    @api.depends("partner_id", "date_start")
    def _compute_name(self):
        for plan in self:
            if plan.name or not plan.partner_id:
                plan.name = plan.name
                continue
            plan.name = self.env._(
                "%(account)s %(year)s",
                account=plan.partner_id.name,
                year=plan.date_start.year if plan.date_start else "",
            )

    @api.depends_context("date")
    @api.depends("date_start", "date_end", "active")
    def _compute_is_current(self):
        today = fields.Date.context_today(self)
        for plan in self:
            plan.is_current = bool(
                plan.active
                and plan.date_start
                and plan.date_end
                and plan.date_start <= today <= plan.date_end
            )

    def _search_is_current(self, operator, value):
        today = fields.Date.context_today(self)
        domain = [("date_start", "<=", today), ("date_end", ">=", today)]
        return self._boolean_search_domain(domain, operator, value)

    def _boolean_search_domain(self, domain, operator, value):
        """Return ``domain`` or its negation for a search on a boolean field."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported"))
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    def _compute_review_count(self):
        counts = dict(
            self.env["customer.account.review"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.review_count = counts.get(plan, 0)

    @api.depends("review_ids.date")
    def _compute_last_review_date(self):
        for plan in self:
            dates = [date for date in plan.review_ids.mapped("date") if date]
            plan.last_review_date = max(dates) if dates else False

    @api.depends("date_start", "date_end", "active", "last_review_date")
    def _compute_next_review_date(self):
        intervals = self._review_intervals()
        for plan in self:
            plan.next_review_date = plan._next_review_date(
                intervals.get(
                    (plan.partner_id._origin.id, plan.company_id._origin.id), 0
                )
            )

    def _next_review_date(self, months):
        """The start of the plan, or its last review, plus ``months`` (the end
        of the plan when 0), at the latest the end of the plan; none once
        the plan was reviewed at its end, or archived."""
        self.ensure_one()
        if not (self.active and self.date_start and self.date_end):
            return False
        last = self.last_review_date
        if last and last >= self.date_end:
            return False
        base = last or self.date_start
        due = base + relativedelta(months=months) if months else self.date_end
        return min(due, self.date_end)

    def _review_intervals(self):
        """``{(account id, company id): review_interval_months}`` of the
        accounts' tiers in the plans' companies: one query."""
        accounts = self.partner_id._origin
        if not accounts:
            return {}
        rankings = (
            self.env["customer.tier.ranking"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", accounts.ids),
                    ("company_id", "in", self.company_id._origin.ids),
                    ("tier_id", "!=", False),
                ],
                ["partner_id", "company_id", "tier_id"],
            )
        )
        return {
            (ranking.partner_id.id, ranking.company_id.id): (
                ranking.tier_id.review_interval_months
            )
            for ranking in rankings
        }

    @api.depends_context("date")
    @api.depends("next_review_date")
    def _compute_review_overdue(self):
        today = fields.Date.context_today(self)
        for plan in self:
            plan.review_overdue = bool(
                plan.next_review_date and plan.next_review_date < today
            )

    def _search_review_overdue(self, operator, value):
        """Overdue reviews, as the KPIs count them: the next review's date is
        before today (archived plans have none)."""
        today = fields.Date.context_today(self)
        domain = [("next_review_date", "!=", False), ("next_review_date", "<", today)]
        return self._boolean_search_domain(domain, operator, value)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for plan in self:
            if plan.date_end < plan.date_start:
                raise ValidationError(
                    self.env._(
                        "The account plan %(plan)s ends before it starts.",
                        plan=plan.name,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner_is_account(self):
        # its stakeholders stay contacts of its account
        self.stakeholder_ids._check_contact_of_the_account()
        for plan in self:
            if plan.partner_id != plan.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "An account plan is made for an account, not for one of "
                        "its contacts: choose %(account)s instead of %(contact)s.",
                        account=plan.partner_id.commercial_partner_id.name,
                        contact=plan.partner_id.name,
                    )
                )

    @api.constrains("partner_id", "company_id", "date_start", "date_end", "active")
    def _check_one_plan_at_a_time(self):
        """One current plan per account and company: the periods of the
        active plans of an account in a company do not overlap. One query
        for the whole batch."""
        self.flush_model(["partner_id", "company_id", "date_start", "date_end"])
        self.flush_model(["active"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT a.id, b.id
                  FROM customer_account_plan a
                  JOIN customer_account_plan b
                    ON b.partner_id = a.partner_id
                   AND b.company_id = a.company_id
                   AND b.id != a.id
                   AND b.active
                   AND b.date_start <= a.date_end
                   AND a.date_start <= b.date_end
                 WHERE a.id = ANY(%s) AND a.active
                 LIMIT 1
                """,
                self.ids,
            )
        )
        if rows:
            plan, other = self.browse(rows[0]).sudo()
            raise ValidationError(
                self.env._(
                    "%(account)s already has the account plan %(other)s from "
                    "%(start)s to %(end)s in %(company)s: the periods of an "
                    "account's plans may not overlap. Change the dates, or "
                    "archive the other plan.",
                    account=plan.partner_id.name,
                    other=other.name,
                    start=other.date_start,
                    end=other.date_end,
                    company=other.company_id.name,
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        plans._sync_review_activities()
        return plans

    def write(self, vals):
        res = super().write(vals)
        if vals.keys() & {
            "date_start",
            "date_end",
            "active",
            "partner_id",
            "company_id",
        }:
            self._sync_review_activities()
        return res

    def _compute_field_value(self, field):
        """The review activity follows the account to its new key account
        manager (changed on the account, not on the plan)."""
        res = super()._compute_field_value(field)
        if field.name == "account_manager_id":
            self.filtered("id")._sync_review_activities()
        return res

    # ------------------------------------------------------------------
    # Reviews
    # ------------------------------------------------------------------

    def _sync_review_activities(self):
        """One "Account Plan Review" activity per plan with a next review, for
        its key account manager, due on the review date; none for the others.
        Read in one query, created in one call."""
        plans = self.sudo().with_context(active_test=False)
        if not plans:
            return
        activity_type = self.env.ref(REVIEW_ACTIVITY_TYPE, raise_if_not_found=False)
        if not activity_type:
            return
        Activity = self.env["mail.activity"].sudo()
        existing = Activity.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", plans.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        by_plan = {}
        for activity in existing:
            by_plan.setdefault(activity.res_id, Activity)
            by_plan[activity.res_id] |= activity
        to_unlink, to_create = Activity, []
        for plan in plans:
            activities = by_plan.get(plan.id, Activity)
            user = plan.account_manager_id
            if not plan.next_review_date or not user:
                to_unlink |= activities
                continue
            values = {"date_deadline": plan.next_review_date, "user_id": user.id}
            if activities:
                to_unlink |= activities[1:]
                activity = activities[0]
                if (activity.date_deadline, activity.user_id) != (
                    plan.next_review_date,
                    user,
                ):
                    activity.write(values)
            else:
                to_create.append(
                    {
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_model": self._name,
                        "res_id": plan.id,
                        "activity_type_id": activity_type.id,
                        "summary": self.env._("Review of the account plan"),
                        **values,
                    }
                )
        to_unlink.unlink()
        if to_create:
            Activity.with_context(mail_activity_quick_update=True).create(to_create)

    def _close_review_activities(self, feedback):
        """Mark the plans' review activities done, with ``feedback``."""
        activity_type = self.env.ref(REVIEW_ACTIVITY_TYPE, raise_if_not_found=False)
        if not activity_type or not self.ids:
            return
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        if activities:
            activities.with_context(**{REVIEW_RECORDED: True}).action_feedback(
                feedback=feedback
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.readonly
    def action_record_review(self):
        """The form of a new review of the plan, in a dialog."""
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a Review"),
            "res_model": "customer.account.review",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    @api.readonly
    def action_view_reviews(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_account_review_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action
