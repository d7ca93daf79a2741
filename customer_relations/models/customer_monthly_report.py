import logging

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_amount, format_date, is_html_empty

from .customer_manager_kpi import KPI_FIELDS

_logger = logging.getLogger(__name__)

GROUP_MANAGER = "customer_relations.group_customer_relations_manager"
# Lines kept per list of the report.
TOP_ACCOUNTS = 10
LIST_LIMIT = 20
HISTORY_MONTHS = 6


class CustomerMonthlyReport(models.Model):
    """An account manager's report of a month: the month's results frozen at
    its creation, and the manager's analysis, reviewed by their manager."""

    _name = "customer.monthly.report"
    _description = "Account Manager's Monthly Report"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, user_id"
    # What people write: the analysis. Everything else (who, when, the state,
    # the frozen figures and lists) only the addon's code sets, and nobody
    # creates reports but the monthly cron (no access right to create).
    _user_fields = ("analysis",)

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Account Manager",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        string="From",
        required=True,
        readonly=True,
        help="The first day of the month, or the day the account manager joined "
        "when later.",
    )
    date_to = fields.Date(string="To", required=True, readonly=True)
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    analysis = fields.Html(
        help="What worked, what did not, and the actions for next month."
    )
    reviewer_ids = fields.Many2many(
        "res.users",
        "customer_monthly_report_reviewer_rel",
        "report_id",
        "user_id",
        string="Reviewers",
        readonly=True,
        copy=False,
        help="Who receives the submitted report: the leader of the account "
        "manager's sales team, else the Customer Relations administrators.",
    )
    submitted_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    snapshot = fields.Json(
        readonly=True,
        copy=False,
        help="The lists of the month as they were at the report's creation.",
    )
    snapshot_html = fields.Html(
        string="Details", compute="_compute_snapshot_html", sanitize=False
    )
    is_reviewer = fields.Boolean(compute="_compute_is_reviewer")
    # The month's figures, frozen at creation.
    account_count = fields.Integer(string="Active Accounts", readonly=True)
    revenue = fields.Monetary(readonly=True)
    new_customer_count = fields.Integer(string="New Customers", readonly=True)
    repeat_account_count = fields.Integer(string="Repeat Accounts", readonly=True)
    repeat_rate = fields.Float(string="Repeat Rate (%)", readonly=True, digits=(16, 2))
    retained_count = fields.Integer(string="Retained Accounts", readonly=True)
    lost_count = fields.Integer(string="Lost Accounts", readonly=True)
    referral_registered_count = fields.Integer(
        string="Referrals Registered", readonly=True
    )
    referral_rewarded_count = fields.Integer(string="Referrals Rewarded", readonly=True)
    objection_count = fields.Integer(string="Objections Received", readonly=True)
    objection_closed_count = fields.Integer(string="Objections Closed", readonly=True)
    objection_in_time_rate = fields.Float(
        string="Answered in Time (%)", readonly=True, digits=(16, 2)
    )
    objection_resolution_hours = fields.Float(
        string="Resolution Time (hours)", readonly=True, digits=(16, 2)
    )
    step_done_count = fields.Integer(string="Follow-up Steps Done", readonly=True)
    step_on_time_rate = fields.Float(
        string="Steps on Time (%)", readonly=True, digits=(16, 2)
    )
    won_count = fields.Integer(string="Opportunities Won", readonly=True)
    lost_deal_count = fields.Integer(string="Opportunities Lost", readonly=True)
    win_rate = fields.Float(string="Win Rate (%)", readonly=True, digits=(16, 2))
    overdue_review_count = fields.Integer(string="Overdue Plan Reviews", readonly=True)
    satisfied_rate = fields.Float(
        string="Satisfied Customers (%)", readonly=True, digits=(16, 2)
    )

    _sql_constraints = [
        (
            "user_company_date_uniq",
            "UNIQUE(user_id, company_id, date_from)",
            "An account manager has one report per company and month.",
        )
    ]

    def write(self, vals):
        if not self.env.su:
            allowed = (
                set(self._user_fields)
                | set(self.env["mail.thread"]._fields)
                | set(self.env["mail.activity.mixin"]._fields)
            )
            refused = sorted(
                self._fields[fname].get_description(self.env)["string"]
                for fname in vals
                if fname not in allowed
                and fname in self._fields
                and any(
                    self._fields[fname].convert_to_write(record[fname], record)
                    != vals[fname]
                    for record in self.sudo()
                )
            )
            if refused:
                raise AccessError(
                    self.env._(
                        "%(fields)s of the monthly report: set by Customer Relations "
                        "only.",
                        fields=", ".join(refused),
                    )
                )
        return super().write(vals)

    @api.depends("user_id", "date_from")
    def _compute_name(self):
        for report in self:
            report.name = self.env._(
                "%(user)s, %(month)s",
                user=report.user_id.name or "",
                month=report.date_from
                and format_date(self.env, report.date_from, date_format="MMMM y"),
            )

    @api.depends_context("uid")
    @api.depends("reviewer_ids")
    def _compute_is_reviewer(self):
        for report in self:
            report.is_reviewer = self.env.user in report.reviewer_ids

    @api.depends("snapshot", "currency_id")
    def _compute_snapshot_html(self):
        for report in self:
            report.snapshot_html = self.env["ir.qweb"]._render(
                "customer_relations.customer_monthly_report_snapshot",
                report._snapshot_values(),
            )

    def _snapshot_values(self):
        """The frozen lists, formatted for the form and the PDF."""
        self.ensure_one()
        snapshot = self.snapshot or {}
        currency = self.currency_id

        def money(value):
            return format_amount(self.env, value or 0.0, currency)

        top = []
        for line in snapshot.get("top", []):
            previous = line.get("previous") or 0.0
            change = (
                round(100.0 * (line["revenue"] - previous) / previous, 1)
                if previous
                else None
            )
            top.append(
                {
                    "name": line["name"],
                    "revenue": money(line["revenue"]),
                    "previous": money(previous),
                    "change": change,
                }
            )
        history = snapshot.get("history", [])
        highest = max((h["revenue"] for h in history), default=0.0) or 1.0
        return {
            "report": self,
            "top": top,
            "lost": [
                {"name": line["name"], "revenue": money(line["revenue"])}
                for line in snapshot.get("lost", [])
            ],
            "complaints": [
                {
                    "name": line["name"],
                    "partner": line["partner"],
                    "deadline": format_date(
                        self.env, fields.Date.to_date(line["deadline"][:10])
                    ),
                }
                for line in snapshot.get("complaints", [])
            ],
            "referrals": [
                {
                    "referrer": line["referrer"],
                    "referred": line["referred"],
                    "value": money(line["value"]),
                }
                for line in snapshot.get("referrals", [])
            ],
            "history": [
                {
                    "month": format_date(
                        self.env,
                        fields.Date.to_date(h["month"]),
                        date_format="MMM y",
                    ),
                    "revenue": money(h["revenue"]),
                    "width": max(1, round(100.0 * h["revenue"] / highest)),
                }
                for h in history
            ],
        }

    # ------------------------------------------------------------------
    # Creation: the monthly cron
    # ------------------------------------------------------------------

    @api.model
    def _cron_create_monthly_reports(self, today=None):
        """On the first day of a month, the draft reports of the month that
        ended for every account manager with accounts. Idempotent: a report
        that exists is kept (and the database refuses a second one)."""
        today = fields.Date.to_date(today) or fields.Date.context_today(self)
        month_end = today.replace(day=1)
        month_start = month_end - relativedelta(months=1)
        return self._create_month_reports(month_start)

    @api.model
    def _account_managers(self):
        """The internal users who own accounts now (key account manager, else
        salesperson, of an active commercial entity)."""
        self.env["res.partner"].flush_model(
            ["commercial_partner_id", "key_account_manager_id", "user_id", "active"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT COALESCE(p.key_account_manager_id, p.user_id)
                  FROM res_partner p
                 WHERE p.id = p.commercial_partner_id
                   AND p.active
                   AND COALESCE(p.key_account_manager_id, p.user_id) IS NOT NULL
                """
            )
        )
        return (
            self.env["res.users"]
            .browse([row[0] for row in rows])
            .filtered(lambda u: u.active and not u.share)
        )

    @api.model
    def _create_month_reports(self, month_start):
        """Create the missing reports of the month starting on ``month_start``;
        returns them. The figures are those of the month's KPI rows,
        recomputed first; a manager who joined during the month (see
        ``_joined_dates``) gets a report from that day. One report that cannot
        be created (a report made meanwhile by another run) never stops the
        others."""
        Kpi = self.env["customer.manager.kpi"].sudo()
        Kpi._refresh_months([month_start])
        month_end = month_start + relativedelta(months=1)
        managers = self._account_managers()
        joined = self._joined_dates(managers)
        managers = managers.filtered(lambda u: joined[u.id] < month_end)
        if not managers:
            return self.browse()
        rows = Kpi.search([("date", "=", month_start), ("user_id", "in", managers.ids)])
        figures = {(r.user_id.id, r.company_id.id): r for r in rows}
        keys = set(figures)
        with_rows = {user_id for user_id, _company in keys}
        for manager in managers:
            if manager.id not in with_rows:
                keys.add((manager.id, manager.company_id.id))
        starts = {
            manager.id: max(month_start, joined[manager.id]) for manager in managers
        }
        existing = {
            (r.user_id.id, r.company_id.id)
            for r in self.sudo().search(
                [
                    ("user_id", "in", managers.ids),
                    ("date_from", ">=", month_start),
                    ("date_from", "<", month_end),
                ]
            )
        }
        keys = sorted(keys - existing)
        if not keys:
            return self.browse()
        snapshots = self._compute_snapshots(
            month_start, [user_id for user_id, _company in keys]
        )
        vals_list = []
        for user_id, company_id in keys:
            row = figures.get((user_id, company_id), Kpi)
            vals = {
                "user_id": user_id,
                "company_id": company_id,
                "date_from": starts[user_id],
                "date_to": month_end - relativedelta(days=1),
                "snapshot": snapshots.get((user_id, company_id), {}),
            }
            for fname in KPI_FIELDS:
                vals[fname] = row[fname] if row else 0
            vals_list.append(vals)
        Report = self.sudo().with_context(mail_create_nolog=True, tracking_disable=True)
        try:
            with self.env.cr.savepoint():
                reports = Report.create(vals_list)
        except Exception:  # noqa: BLE001 - one at a time, each isolated
            reports = Report.browse()
            for vals in vals_list:
                try:
                    with self.env.cr.savepoint():
                        reports |= Report.create(vals)
                except Exception:
                    _logger.exception(
                        "Customer Relations: monthly report of user %s not created",
                        vals["user_id"],
                    )
        for report in reports:
            report.message_subscribe(partner_ids=report.user_id.partner_id.ids)
        _logger.info("Customer Relations: %s monthly reports created", len(reports))
        return reports

    @api.model
    def _joined_dates(self, managers):
        """When each manager started: their first confirmed order as account
        manager, else the creation of their user (a manager who joins in the
        middle of a month gets a report from that day)."""
        self.env["sale.order"].flush_model(
            ["state", "account_manager_id", "date_order"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT u.id, (SELECT min(so.date_order)
                                FROM sale_order so
                               WHERE so.account_manager_id = u.id
                                 AND so.state = 'sale')
                  FROM unnest(%s) AS u(id)
                """,
                managers.ids,
            )
        )
        first_orders = {user_id: first.date() for user_id, first in rows if first}
        return {
            manager.id: min(
                manager.create_date.date(),
                first_orders.get(manager.id, manager.create_date.date()),
            )
            for manager in managers
        }

    @api.model
    def _compute_snapshots(self, month_start, user_ids):
        """The lists of the month for these managers, a few queries for all:
        {(user, company): {"top", "lost", "complaints", "referrals", "history"}}.
        """
        month_end = month_start + relativedelta(months=1)
        params = {
            "users": list(set(user_ids)),
            "m_start": month_start,
            "m_end": month_end,
            "p_start": month_start - relativedelta(months=1),
            "b_start": month_start - relativedelta(months=11),
            "a_start": month_start - relativedelta(months=23),
            "top": TOP_ACCOUNTS,
            "limit": LIST_LIMIT,
        }
        amount = SQL(
            "so.amount_untaxed / CASE COALESCE(so.currency_rate, 0) "
            "WHEN 0 THEN 1.0 ELSE so.currency_rate END"
        )
        snapshots = {}

        def get(user_id, company_id):
            return snapshots.setdefault(
                (user_id, company_id),
                {
                    "top": [],
                    "lost": [],
                    "complaints": [],
                    "referrals": [],
                    "history": [],
                },
            )

        top = self.env.execute_query(
            SQL(
                """
                WITH cur AS (
                    SELECT so.account_manager_id AS user_id, so.company_id,
                           p.commercial_partner_id AS account_id,
                           sum(%(amount)s) AS revenue
                      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.state = 'sale' AND so.account_manager_id = ANY(%(users)s)
                       AND so.date_order >= %(m_start)s AND so.date_order < %(m_end)s
                  GROUP BY 1, 2, 3
                ), ranked AS (
                    SELECT cur.*, row_number() OVER (
                               PARTITION BY user_id, company_id
                               ORDER BY revenue DESC, account_id) AS rank
                      FROM cur
                ), top AS (SELECT * FROM ranked WHERE rank <= %(top)s),
                prev AS (
                    SELECT so.company_id, p.commercial_partner_id AS account_id,
                           sum(%(amount)s) AS revenue
                      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.state = 'sale'
                       AND so.date_order >= %(p_start)s AND so.date_order < %(m_start)s
                       AND p.commercial_partner_id IN (SELECT account_id FROM top)
                  GROUP BY 1, 2
                )
                SELECT top.user_id, top.company_id, acc.name, top.revenue,
                       COALESCE(prev.revenue, 0)
                  FROM top
                  JOIN res_partner acc ON acc.id = top.account_id
             LEFT JOIN prev ON prev.company_id = top.company_id
                       AND prev.account_id = top.account_id
              ORDER BY top.user_id, top.company_id, top.rank
                """,
                amount=amount,
                **params,
            )
        )
        for user_id, company_id, name, revenue, previous in top:
            get(user_id, company_id)["top"].append(
                {
                    "name": name,
                    "revenue": float(revenue),
                    "previous": float(previous),
                }
            )
        lost = self.env.execute_query(
            SQL(
                """
                WITH ord AS (
                    SELECT so.account_manager_id AS user_id, so.company_id,
                           p.commercial_partner_id AS account_id, so.date_order,
                           %(amount)s AS amount
                      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.state = 'sale'
                       AND so.date_order >= %(a_start)s AND so.date_order < %(m_end)s
                ), mine AS (
                    SELECT user_id, company_id, account_id, sum(amount) AS revenue
                      FROM ord
                     WHERE user_id = ANY(%(users)s) AND date_order < %(b_start)s
                  GROUP BY 1, 2, 3
                ), gone AS (
                    SELECT mine.*, row_number() OVER (
                               PARTITION BY user_id, company_id
                               ORDER BY revenue DESC, account_id) AS rank
                      FROM mine
                     WHERE NOT EXISTS (
                               SELECT 1 FROM ord
                                WHERE ord.company_id = mine.company_id
                                  AND ord.account_id = mine.account_id
                                  AND ord.date_order >= %(b_start)s)
                )
                SELECT gone.user_id, gone.company_id, acc.name, gone.revenue
                  FROM gone JOIN res_partner acc ON acc.id = gone.account_id
                 WHERE gone.rank <= %(limit)s
              ORDER BY gone.user_id, gone.company_id, gone.rank
                """,
                amount=amount,
                **params,
            )
        )
        for user_id, company_id, name, revenue in lost:
            get(user_id, company_id)["lost"].append(
                {"name": name, "revenue": float(revenue)}
            )
        self.env["customer.objection"].flush_model()
        complaints = self.env.execute_query(
            SQL(
                """
                SELECT user_id, company_id, name, partner, deadline FROM (
                    SELECT o.account_manager_id AS user_id, o.company_id,
                           concat_ws(' ', o.reference, o.name) AS name,
                           p.name AS partner, o.deadline,
                           row_number() OVER (
                               PARTITION BY o.account_manager_id, o.company_id
                               ORDER BY o.deadline, o.id) AS rank
                      FROM customer_objection o
                      JOIN res_partner p ON p.id = o.commercial_partner_id
                     WHERE o.kind = 'complaint' AND o.active AND NOT o.is_closed
                       AND o.deadline < now() at time zone 'UTC'
                       AND o.account_manager_id = ANY(%(users)s)
                ) c
                 WHERE rank <= %(limit)s
              ORDER BY user_id, company_id, rank
                """,
                **params,
            )
        )
        for user_id, company_id, name, partner, deadline in complaints:
            get(user_id, company_id)["complaints"].append(
                {"name": name, "partner": partner, "deadline": str(deadline)}
            )
        self.env["customer.referral"].flush_model()
        referrals = self.env.execute_query(
            SQL(
                """
                SELECT r.user_id, r.company_id, referrer.name, referred.name,
                       COALESCE(r.reward_value, 0)
                  FROM customer_referral r
                  JOIN loyalty_card c ON c.id = r.reward_card_id
                  JOIN res_partner referrer ON referrer.id = r.referrer_id
                  JOIN res_partner referred ON referred.id = r.referred_id
                 WHERE r.state = 'rewarded' AND r.user_id = ANY(%(users)s)
                   AND c.create_date >= %(m_start)s AND c.create_date < %(m_end)s
              ORDER BY r.user_id, r.company_id, c.create_date, r.id
                """,
                **params,
            )
        )
        for user_id, company_id, referrer, referred, value in referrals:
            get(user_id, company_id)["referrals"].append(
                {"referrer": referrer, "referred": referred, "value": float(value)}
            )
        months = [
            month_start - relativedelta(months=i)
            for i in range(HISTORY_MONTHS - 1, -1, -1)
        ]
        history = self.env.execute_query(
            SQL(
                "SELECT user_id, company_id, date, revenue FROM customer_manager_kpi "
                "WHERE user_id = ANY(%s) AND date >= %s AND date <= %s",
                params["users"],
                months[0],
                month_start,
            )
        )
        revenues = {(u, c, d): float(r) for u, c, d, r in history}
        for user_id, company_id in {(u, c) for u, c, _d, _r in history} | {
            (u, c) for u, c in snapshots
        }:
            get(user_id, company_id)["history"] = [
                {
                    "month": str(month),
                    "revenue": revenues.get((user_id, company_id, month), 0.0),
                }
                for month in months
            ]
        return snapshots

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _get_reviewers(self):
        """The leader of the manager's sales team, else the Customer
        Relations administrators of the company."""
        self.ensure_one()
        manager = self.user_id.sudo()
        leader = manager.sale_team_id.user_id
        if leader and leader != manager and leader.active:
            return leader
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", self.env.ref(GROUP_MANAGER).id),
                    ("share", "=", False),
                    ("company_ids", "in", self.company_id.id),
                    ("id", "not in", (SUPERUSER_ID, manager.id)),
                ],
                order="id",
            )
        )

    def _check_author(self):
        for report in self:
            if report.user_id != self.env.user and not self.env.user.has_group(
                GROUP_MANAGER
            ):
                raise AccessError(
                    self.env._(
                        "Only %(user)s submits their report %(report)s.",
                        user=report.user_id.name,
                        report=report.name,
                    )
                )

    def _check_reviewer(self):
        for report in self:
            if report.state != "submitted":
                raise UserError(
                    self.env._(
                        "The report %(report)s is not waiting for a review.",
                        report=report.name,
                    )
                )
            if not self.env.su and self.env.user not in report.reviewer_ids:
                raise AccessError(
                    self.env._(
                        "Only the reviewers of the report %(report)s approve it or "
                        "send it back.",
                        report=report.name,
                    )
                )

    def action_submit(self):
        """Send the report to the reviewers: its PDF by email, kept attached."""
        self.check_access("write")
        self._check_author()
        for report in self:
            if report.state != "draft":
                raise UserError(
                    self.env._(
                        "The report %(report)s was already submitted.",
                        report=report.name,
                    )
                )
            if is_html_empty(report.analysis):
                raise UserError(
                    self.env._(
                        "Write the analysis of the month before submitting the "
                        "report %(report)s.",
                        report=report.name,
                    )
                )
        for report in self.sudo():
            reviewers = report._get_reviewers()
            if not reviewers:
                raise UserError(
                    self.env._(
                        "Nobody can review the report %(report)s: give the account "
                        "manager a sales team with a leader, or name a Customer "
                        "Relations administrator.",
                        report=report.name,
                    )
                )
            report.write(
                {
                    "state": "submitted",
                    "reviewer_ids": [fields.Command.set(reviewers.ids)],
                    "submitted_date": fields.Datetime.now(),
                }
            )
            report.message_subscribe(partner_ids=reviewers.partner_id.ids)
            attachment = report._attach_pdf()
            template = self.env.ref(
                "customer_relations.mail_template_customer_monthly_report_submitted"
            )
            template.send_mail(
                report.id,
                force_send=False,
                email_values={
                    "recipient_ids": [
                        fields.Command.link(p) for p in reviewers.partner_id.ids
                    ],
                    "attachment_ids": [fields.Command.link(attachment.id)],
                },
            )
            report.message_post(
                body=self.env._(
                    "Submitted to %(reviewers)s.",
                    reviewers=", ".join(reviewers.mapped("name")),
                ),
                attachment_ids=attachment.ids,
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _attach_pdf(self):
        self.ensure_one()
        content, _kind = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(
                "customer_relations.action_report_customer_monthly_report",
                res_ids=self.ids,
            )
        )
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._("Monthly Report %(name)s.pdf", name=self.name),
                    "raw": content,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )

    def action_approve(self):
        """Approve the submitted report (its reviewers)."""
        self.check_access("read")
        self._check_reviewer()
        self.sudo().write(
            {
                "state": "approved",
                "approved_date": fields.Datetime.now(),
                "approved_by_id": self.env.uid,
            }
        )
        for report in self.sudo():
            report.message_post(
                body=self.env._("Approved."),
                partner_ids=report.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_send_back(self, comment=None):
        """Send the report back to its author as a draft, with a comment; without
        one, open the wizard that asks for it (its reviewers)."""
        self.check_access("read")
        self._check_reviewer()
        if not comment or not comment.strip():
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Send Back"),
                "res_model": "customer.monthly.report.send.back",
                "view_mode": "form",
                "target": "new",
                "context": {"active_model": self._name, "active_ids": self.ids},
            }
        self.sudo().write({"state": "draft", "submitted_date": False})
        for report in self.sudo():
            report.message_post(
                body=self.env._("Sent back: %(comment)s", comment=comment),
                partner_ids=report.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True
