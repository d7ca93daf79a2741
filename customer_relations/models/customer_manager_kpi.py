from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

# The figures of a month, under the same names on the monthly report, which
# freezes them.
KPI_FIELDS = (
    "account_count",
    "revenue",
    "new_customer_count",
    "repeat_account_count",
    "repeat_rate",
    "retained_count",
    "lost_count",
    "referral_registered_count",
    "referral_rewarded_count",
    "objection_count",
    "objection_closed_count",
    "objection_in_time_rate",
    "objection_resolution_hours",
    "step_done_count",
    "step_on_time_rate",
    "won_count",
    "lost_deal_count",
    "win_rate",
    "overdue_review_count",
    "satisfied_rate",
)

# The figures of one month for every account manager and company, from the
# tables themselves: one statement. The windows:
#   month           [m_start, m_end)
#   last 12 months  [b_start, m_end)      (the month and the 11 before it)
#   previous 12     [a_start, b_start)    (the 12 months before those)
# ``overdue_review_count``: the account plans still active whose next review
# date had passed by the end of the month (by today for the current month);
# the plans keep only their next review, so a month recomputed later counts
# the plans as they are then.
KPI_MONTH_QUERY = """
WITH ord AS (
    SELECT so.id, so.account_manager_id AS user_id, so.company_id,
           p.commercial_partner_id AS account_id, so.date_order,
           so.amount_untaxed / CASE COALESCE(so.currency_rate, 0)
                                   WHEN 0 THEN 1.0 ELSE so.currency_rate END AS amount
      FROM sale_order so
      JOIN res_partner p ON p.id = so.partner_id
     WHERE so.state = 'sale'
       AND so.date_order >= %(a_start)s AND so.date_order < %(m_end)s
),
acc AS (
    SELECT company_id, account_id,
           bool_or(date_order >= %(b_start)s) AS in_last,
           min(date_order) AS first_date,
           (array_agg(user_id ORDER BY date_order, id)
                FILTER (WHERE date_order >= %(m_start)s))[1] AS first_user_id
      FROM ord
  GROUP BY company_id, account_id
),
mine AS (
    SELECT user_id, company_id, account_id,
           count(*) FILTER (WHERE date_order >= %(b_start)s) AS last_count,
           count(*) FILTER (WHERE date_order < %(b_start)s) AS previous_count,
           sum(amount) FILTER (WHERE date_order >= %(m_start)s) AS revenue
      FROM ord
     WHERE user_id IS NOT NULL
  GROUP BY user_id, company_id, account_id
),
sales AS (
    SELECT m.user_id, m.company_id,
           count(*) FILTER (WHERE m.last_count > 0) AS account_count,
           count(*) FILTER (WHERE m.last_count > 1) AS repeat_account_count,
           count(*) FILTER (WHERE m.previous_count > 0 AND a.in_last) AS retained_count,
           count(*) FILTER (WHERE m.previous_count > 0 AND NOT a.in_last) AS lost_count,
           COALESCE(sum(m.revenue), 0) AS revenue
      FROM mine m
      JOIN acc a ON a.company_id = m.company_id AND a.account_id = m.account_id
  GROUP BY m.user_id, m.company_id
),
new AS (
    SELECT a.first_user_id AS user_id, a.company_id, count(*) AS new_customer_count
      FROM acc a
     WHERE a.first_date >= %(m_start)s
       AND a.first_user_id IS NOT NULL
       AND NOT EXISTS (
               SELECT 1
                 FROM res_partner op
                 JOIN sale_order o ON o.partner_id = op.id
                WHERE op.commercial_partner_id = a.account_id
                  AND o.company_id = a.company_id
                  AND o.state = 'sale'
                  AND o.date_order < %(a_start)s)
  GROUP BY a.first_user_id, a.company_id
),
ref AS (
    SELECT r.user_id, r.company_id,
           count(*) FILTER (WHERE r.date >= %(m_start)s::date
                              AND r.date < %(m_end)s::date) AS registered,
           count(*) FILTER (WHERE r.state = 'rewarded'
                              AND c.create_date >= %(m_start)s
                              AND c.create_date < %(m_end)s) AS rewarded
      FROM customer_referral r
 LEFT JOIN loyalty_card c ON c.id = r.reward_card_id
     WHERE r.user_id IS NOT NULL
       AND ((r.date >= %(m_start)s::date AND r.date < %(m_end)s::date)
            OR (c.create_date >= %(m_start)s AND c.create_date < %(m_end)s))
  GROUP BY r.user_id, r.company_id
),
obj AS (
    SELECT o.account_manager_id AS user_id, o.company_id,
           count(*) FILTER (WHERE o.date_received >= %(m_start)s
                              AND o.date_received < %(m_end)s) AS received,
           count(*) FILTER (WHERE o.is_closed AND o.closed_date >= %(m_start)s
                              AND o.closed_date < %(m_end)s) AS closed,
           avg(o.in_time_rate) FILTER (WHERE o.is_closed
                              AND o.closed_date >= %(m_start)s
                              AND o.closed_date < %(m_end)s) AS in_time_rate,
           avg(o.resolution_hours) FILTER (WHERE o.is_closed
                              AND o.closed_date >= %(m_start)s
                              AND o.closed_date < %(m_end)s) AS resolution_hours,
           count(*) FILTER (WHERE o.is_closed AND o.satisfaction IS NOT NULL
                              AND o.closed_date >= %(m_start)s
                              AND o.closed_date < %(m_end)s) AS rated,
           count(*) FILTER (WHERE o.is_closed AND o.satisfaction IN ('3', '4')
                              AND o.closed_date >= %(m_start)s
                              AND o.closed_date < %(m_end)s) AS satisfied
      FROM customer_objection o
     WHERE o.account_manager_id IS NOT NULL
       AND o.active
       AND ((o.date_received >= %(m_start)s AND o.date_received < %(m_end)s)
            OR (o.closed_date >= %(m_start)s AND o.closed_date < %(m_end)s))
  GROUP BY o.account_manager_id, o.company_id
),
step AS (
    SELECT s.account_manager_id AS user_id, s.company_id,
           count(*) AS done,
           count(*) FILTER (WHERE s.deadline IS NULL OR s.done_date <= s.deadline)
               AS on_time
      FROM customer_support_step s
     WHERE s.account_manager_id IS NOT NULL
       AND s.state = 'done'
       AND s.done_date >= %(m_start)s::date AND s.done_date < %(m_end)s::date
  GROUP BY s.account_manager_id, s.company_id
),
opp AS (
    SELECT l.user_id, l.company_id,
           count(*) FILTER (WHERE l.active AND l.probability >= 100) AS won,
           count(*) FILTER (WHERE NOT l.active AND l.probability = 0) AS lost
      FROM crm_lead l
     WHERE l.user_id IS NOT NULL
       AND l.company_id IS NOT NULL
       AND l.type = 'opportunity'
       AND l.date_closed >= %(m_start)s AND l.date_closed < %(m_end)s
  GROUP BY l.user_id, l.company_id
),
review AS (
    SELECT ap.account_manager_id AS user_id, ap.company_id, count(*) AS overdue
      FROM customer_account_plan ap
     WHERE ap.active
       AND ap.account_manager_id IS NOT NULL
       AND ap.next_review_date < LEAST(%(m_end)s::date, %(today)s::date)
  GROUP BY ap.account_manager_id, ap.company_id
),
keys AS (
    SELECT user_id, company_id FROM sales
    UNION SELECT user_id, company_id FROM new
    UNION SELECT user_id, company_id FROM ref
    UNION SELECT user_id, company_id FROM obj
    UNION SELECT user_id, company_id FROM step
    UNION SELECT user_id, company_id FROM opp WHERE won + lost > 0
    UNION SELECT user_id, company_id FROM review
)
SELECT k.user_id, k.company_id, %(m_start)s::date AS date,
       COALESCE(sales.account_count, 0) AS account_count,
       round(COALESCE(sales.revenue, 0), 2) AS revenue,
       COALESCE(new.new_customer_count, 0) AS new_customer_count,
       COALESCE(sales.repeat_account_count, 0) AS repeat_account_count,
       CASE WHEN sales.account_count > 0
            THEN round(100.0 * sales.repeat_account_count / sales.account_count, 2)
            ELSE 0 END AS repeat_rate,
       COALESCE(sales.retained_count, 0) AS retained_count,
       COALESCE(sales.lost_count, 0) AS lost_count,
       COALESCE(ref.registered, 0) AS referral_registered_count,
       COALESCE(ref.rewarded, 0) AS referral_rewarded_count,
       COALESCE(obj.received, 0) AS objection_count,
       COALESCE(obj.closed, 0) AS objection_closed_count,
       round(COALESCE(obj.in_time_rate, 0)::numeric, 2) AS objection_in_time_rate,
       round(COALESCE(obj.resolution_hours, 0)::numeric, 2)
           AS objection_resolution_hours,
       COALESCE(step.done, 0) AS step_done_count,
       CASE WHEN step.done > 0 THEN round(100.0 * step.on_time / step.done, 2)
            ELSE 0 END AS step_on_time_rate,
       COALESCE(opp.won, 0) AS won_count,
       COALESCE(opp.lost, 0) AS lost_deal_count,
       CASE WHEN opp.won + opp.lost > 0
            THEN round(100.0 * opp.won / (opp.won + opp.lost), 2)
            ELSE 0 END AS win_rate,
       COALESCE(review.overdue, 0) AS overdue_review_count,
       CASE WHEN obj.rated > 0 THEN round(100.0 * obj.satisfied / obj.rated, 2)
            ELSE 0 END AS satisfied_rate
  FROM keys k
  JOIN res_users u ON u.id = k.user_id
  JOIN res_company co ON co.id = k.company_id
  LEFT JOIN sales ON sales.user_id = k.user_id AND sales.company_id = k.company_id
  LEFT JOIN new ON new.user_id = k.user_id AND new.company_id = k.company_id
  LEFT JOIN ref ON ref.user_id = k.user_id AND ref.company_id = k.company_id
  LEFT JOIN obj ON obj.user_id = k.user_id AND obj.company_id = k.company_id
  LEFT JOIN step ON step.user_id = k.user_id AND step.company_id = k.company_id
  LEFT JOIN opp ON opp.user_id = k.user_id AND opp.company_id = k.company_id
  LEFT JOIN review ON review.user_id = k.user_id AND review.company_id = k.company_id
"""


class CustomerManagerKpi(models.Model):
    """Results of each account manager, company and month.

    A reporting table filled by one SQL statement per month from the orders
    (under the account manager frozen on each at confirmation), referrals,
    objections, follow-up steps and opportunities: reading it is as cheap as
    any small table, whatever the history. The current and the previous
    month are recomputed every night (``_cron_refresh``) and before the
    monthly reports; past months only change when their source changes
    (an order cancelled, an objection closed late), and are recomputed with
    ``_refresh_months``.
    """

    _name = "customer.manager.kpi"
    _description = "Account Manager Results"
    _order = "date desc, user_id, company_id"
    _rec_name = "user_id"

    user_id = fields.Many2one(
        "res.users", string="Account Manager", readonly=True, index=True
    )
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Month", readonly=True, index=True)
    account_count = fields.Integer(
        string="Active Accounts",
        readonly=True,
        help="Accounts that placed at least one confirmed order under the account "
        "manager in the 12 months up to the end of the month.",
    )
    revenue = fields.Monetary(
        readonly=True,
        help="Untaxed amount of the orders confirmed in the month under the account "
        "manager, in the company's currency: the same as the Sales Analysis.",
    )
    new_customer_count = fields.Integer(
        string="New Customers",
        readonly=True,
        help="Accounts whose first confirmed order in the company falls in the month.",
    )
    repeat_account_count = fields.Integer(
        string="Repeat Accounts",
        readonly=True,
        help="Accounts with at least two confirmed orders in the last 12 months.",
    )
    repeat_rate = fields.Float(
        string="Repeat Rate (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Accounts with at least two confirmed orders in the last 12 months, "
        "over the accounts with at least one.",
    )
    retained_count = fields.Integer(
        string="Retained Accounts",
        readonly=True,
        help="Accounts that ordered in the 12 months before the last 12 and again "
        "in the last 12.",
    )
    lost_count = fields.Integer(
        string="Lost Accounts",
        readonly=True,
        help="Accounts that ordered in the 12 months before the last 12 and not "
        "again in the last 12.",
    )
    referral_registered_count = fields.Integer(
        string="Referrals Registered",
        readonly=True,
        help="Referrals of the manager's accounts registered in the month.",
    )
    referral_rewarded_count = fields.Integer(
        string="Referrals Rewarded",
        readonly=True,
        help="Referrals whose coupon was issued in the month.",
    )
    objection_count = fields.Integer(
        string="Objections Received",
        readonly=True,
        help="Objections and complaints of the manager's accounts received in the "
        "month.",
    )
    objection_closed_count = fields.Integer(
        string="Objections Closed",
        readonly=True,
        help="Objections and complaints closed in the month.",
    )
    objection_in_time_rate = fields.Float(
        string="Answered in Time (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Share of the objections closed in the month that were closed before "
        "their deadline.",
    )
    satisfied_rate = fields.Float(
        string="Satisfied Customers (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Of the objections and complaints closed in the month whose customer "
        "said how satisfied they are, the share satisfied or very satisfied.",
    )
    objection_resolution_hours = fields.Float(
        string="Resolution Time (hours)",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Average working hours, in the company's working time, from the "
        "creation to the closing of the objections closed in the month.",
    )
    step_done_count = fields.Integer(
        string="Follow-up Steps Done",
        readonly=True,
        help="Follow-up steps of the manager's accounts done in the month.",
    )
    step_on_time_rate = fields.Float(
        string="Steps on Time (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Share of the follow-up steps done in the month by their deadline.",
    )
    won_count = fields.Integer(
        string="Opportunities Won",
        readonly=True,
        help="Opportunities of the account manager (their salesperson) won in the "
        "month.",
    )
    lost_deal_count = fields.Integer(
        string="Opportunities Lost",
        readonly=True,
        help="Opportunities of the account manager (their salesperson) lost in the "
        "month.",
    )
    win_rate = fields.Float(
        string="Win Rate (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Opportunities won over those won or lost in the month.",
    )
    overdue_review_count = fields.Integer(
        string="Overdue Plan Reviews",
        readonly=True,
        help="Account plans of the account manager whose next review date had "
        "passed by the end of the month (by today for the current month).",
    )
    # The kanban's trend arrows: this month against the one before.
    revenue_trend = fields.Selection(
        [("up", "Up"), ("down", "Down"), ("flat", "Flat")],
        compute="_compute_trends",
    )
    repeat_trend = fields.Selection(
        [("up", "Up"), ("down", "Down"), ("flat", "Flat")],
        compute="_compute_trends",
    )
    new_customer_trend = fields.Selection(
        [("up", "Up"), ("down", "Down"), ("flat", "Flat")],
        compute="_compute_trends",
    )
    previous_revenue = fields.Monetary(
        string="Previous Month's Revenue", compute="_compute_trends"
    )

    _sql_constraints = [
        (
            "user_company_date_uniq",
            "UNIQUE(user_id, company_id, date)",
            "One row per account manager, company and month.",
        )
    ]

    @api.model
    def _trend(self, now, before):
        if now > before:
            return "up"
        if now < before:
            return "down"
        return "flat"

    @api.depends("user_id", "company_id", "date")
    def _compute_trends(self):
        previous_months = {r.date - relativedelta(months=1) for r in self if r.date}
        previous = self.search(
            [
                ("user_id", "in", self.user_id.ids),
                ("company_id", "in", self.company_id.ids),
                ("date", "in", list(previous_months)),
            ]
        )
        by_key = {(p.user_id.id, p.company_id.id, p.date): p for p in previous}
        for row in self:
            before = by_key.get(
                (
                    row.user_id.id,
                    row.company_id.id,
                    row.date and row.date - relativedelta(months=1),
                ),
                self.browse(),
            )
            row.previous_revenue = before.revenue
            row.revenue_trend = self._trend(row.revenue, before.revenue)
            row.repeat_trend = self._trend(row.repeat_rate, before.repeat_rate)
            row.new_customer_trend = self._trend(
                row.new_customer_count, before.new_customer_count
            )

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    @api.model
    def _month_query(self, month):
        """The SQL of the figures of the month starting on ``month``."""
        m_start = fields.Date.to_date(month).replace(day=1)
        return SQL(
            KPI_MONTH_QUERY,
            m_start=m_start,
            m_end=m_start + relativedelta(months=1),
            b_start=m_start - relativedelta(months=11),
            a_start=m_start - relativedelta(months=23),
            today=fields.Date.context_today(self),
        )

    @api.model
    def _flush_sources(self):
        for model, fnames in (
            ("sale.order", ["state", "date_order", "account_manager_id"]),
            ("res.partner", ["commercial_partner_id"]),
            ("customer.referral", ["state", "date", "user_id", "reward_card_id"]),
            (
                "customer.objection",
                ["account_manager_id", "closed_date", "satisfaction"],
            ),
            ("customer.support.step", ["state", "done_date", "account_manager_id"]),
            ("crm.lead", ["active", "probability", "date_closed", "user_id"]),
            (
                "customer.account.plan",
                ["active", "account_manager_id", "company_id", "next_review_date"],
            ),
        ):
            self.env[model].flush_model(fnames)

    @api.model
    def _refresh_months(self, months):
        """Recompute the rows of the months starting on the dates ``months``:
        one statement per month (each reads the 24 months of orders its
        windows need)."""
        self._flush_sources()
        self.flush_model()
        columns = SQL(", ").join(
            SQL.identifier(name)
            for name in ("user_id", "company_id", "date", *KPI_FIELDS)
        )
        for month in sorted({fields.Date.to_date(m).replace(day=1) for m in months}):
            self.env.cr.execute(
                SQL("DELETE FROM customer_manager_kpi WHERE date = %s", month)
            )
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO customer_manager_kpi (%(columns)s, create_uid,
                        write_uid, create_date, write_date)
                    SELECT q.*, %(uid)s, %(uid)s, now() at time zone 'UTC',
                           now() at time zone 'UTC'
                      FROM (%(query)s) q
                    """,
                    columns=columns,
                    query=self._month_query(month),
                    uid=self.env.uid,
                )
            )
        self.invalidate_model()

    @api.model
    def _refresh_history(self, months=24):
        """Fill the last ``months`` months (at installation)."""
        today = fields.Date.context_today(self).replace(day=1)
        self._refresh_months([today - relativedelta(months=i) for i in range(months)])

    @api.model
    def _cron_refresh(self):
        """Recompute the current month and the previous one."""
        today = fields.Date.context_today(self).replace(day=1)
        self._refresh_months([today, today - relativedelta(months=1)])
