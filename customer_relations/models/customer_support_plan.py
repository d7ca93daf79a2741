from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from .batch import cron_batch, process_isolated

CHECKED_RECENTLY = timedelta(hours=1)
PENDING_PLANS_CURSOR = "customer_relations.support_plan_pending_last_id"


class CustomerSupportPlan(models.Model):
    _name = "customer.support.plan"
    _description = "Support Plan"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "customer.account.mixin",
        "customer.protected.mixin",
    ]
    _account_field = "partner_id"
    _order = "id desc"
    _check_company_auto = True
    # The workflow and the steps decide these.
    _protected_fields = (
        "state",
        "on_time_rate",
        "date_start",
        "date_done",
        "last_check_date",
        "workflow_id",
    )
    _fixed_parent_fields = ("order_id",)

    name = fields.Char(related="order_id.name", store=True, string="Order Reference")
    order_id = fields.Many2one(
        "sale.order",
        string="Sale Order",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        related="order_id.partner_id.commercial_partner_id",
        store=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        index="btree_not_null",
        domain=[("share", "=", False)],
        help="Who follows the contract through: by default the account manager.",
    )
    workflow_id = fields.Many2one(
        "customer.support.workflow",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="The workflow the steps were made from.",
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, string="Company"
    )
    currency_id = fields.Many2one(related="order_id.currency_id")
    amount_untaxed = fields.Monetary(related="order_id.amount_untaxed")
    state = fields.Selection(
        [
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        required=True,
        default="in_progress",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    step_ids = fields.One2many("customer.support.step", "plan_id", string="Steps")
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        aggregator="avg",
        help="Share of the steps done or skipped.",
    )
    date_start = fields.Date(
        string="Started On",
        readonly=True,
        help="When the order was confirmed: the steps' deadlines count from here, "
        "or from the order's commitment date.",
    )
    date_done = fields.Date(string="Completed On", readonly=True, copy=False)
    on_time_rate = fields.Float(
        string="Completed on Time (%)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="100 when every step of the completed plan was done by its deadline, "
        "0 otherwise: its average is the share of plans completed on time.",
    )
    last_check_date = fields.Datetime(
        string="Last Automatic Check",
        readonly=True,
        copy=False,
        help="When delivery, invoicing and payment were last checked.",
    )
    overdue_step_count = fields.Integer(
        string="Overdue Steps", compute="_compute_overdue_step_count"
    )

    def init(self):
        # Never two live plans for one order.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS customer_support_plan_live_order_uniq
                ON customer_support_plan (order_id)
             WHERE state != 'cancelled'
            """
        )
        # The check cron's search: plans in progress, least recently checked.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS customer_support_plan_to_check_idx
                ON customer_support_plan (last_check_date NULLS FIRST, id)
             WHERE state = 'in_progress'
            """
        )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("step_ids.state")
    def _compute_progress(self):
        for plan in self:
            steps = plan.step_ids
            closed = len(steps.filtered(lambda s: s.state != "todo"))
            plan.progress = 100.0 * closed / len(steps) if steps else 0.0

    def _compute_overdue_step_count(self):
        counts = dict(
            self.env["customer.support.step"]._read_group(
                [("plan_id", "in", self.ids), ("is_overdue", "=", True)],
                ["plan_id"],
                ["__count"],
            )
        )
        for plan in self:
            plan.overdue_step_count = counts.get(plan, 0)

    def _compute_display_name(self):
        for plan in self:
            plan.display_name = self.env._(
                "%(order)s - %(customer)s",
                order=plan.order_id.name or "",
                customer=plan.partner_id.name or "",
            )

    # ------------------------------------------------------------------
    # Creation from confirmed orders
    # ------------------------------------------------------------------

    @api.model
    def _create_for_orders(self, orders):
        """Create the plans of newly confirmed ``orders`` with their steps and
        the steps' activities: the workflows are read once, the plans, steps
        and activities created with one call each."""
        orders = orders.filtered(lambda o: o.state == "sale")
        if not orders:
            return self.browse()
        plan_model = self.sudo().with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        )
        live = plan_model.search(
            [("order_id", "in", orders.ids), ("state", "!=", "cancelled")]
        )
        orders -= live.order_id
        workflows = (
            self.env["customer.support.workflow"]
            .sudo()
            .search([("step_ids", "!=", False)])
        )
        if not workflows or not orders:
            return self.browse()
        workflows.mapped("step_ids")  # prefetch the steps of every workflow
        plan_values, chosen = [], []
        for order in orders:
            tier = order.customer_tier_id
            category_paths = {
                line.product_id.categ_id.parent_path
                for line in order.order_line
                if line.product_id
            }
            amount = order.amount_untaxed / (order.currency_rate or 1.0)
            workflow = next(
                (
                    w
                    for w in workflows
                    if w._applies_to(order, tier, category_paths, amount)
                ),
                None,
            )
            if not workflow:
                continue
            manager = order.partner_id._get_account_manager()
            plan_values.append(
                {
                    "order_id": order.id,
                    "workflow_id": workflow.id,
                    "user_id": (manager or order.user_id).id,
                    "date_start": fields.Date.context_today(order, order.date_order),
                }
            )
            chosen.append((order, workflow, manager))
        plans = plan_model.create(plan_values)
        step_values = []
        for plan, (order, workflow, manager) in zip(plans, chosen, strict=True):
            start = (
                fields.Date.context_today(order, order.commitment_date)
                if order.commitment_date
                else plan.date_start
            )
            for step in workflow.step_ids:
                if step.responsible == "user":
                    user = step.user_id
                elif step.responsible == "salesperson":
                    user = order.user_id or manager
                else:
                    user = manager or order.user_id
                step_values.append(
                    {
                        "plan_id": plan.id,
                        "workflow_step_id": step.id,
                        "name": step.name,
                        "sequence": step.sequence,
                        "check_type": step.check_type,
                        "user_id": user.id,
                        "deadline": start + timedelta(days=step.deadline_days),
                    }
                )
        steps = self.env["customer.support.step"].sudo().create(step_values)
        steps._schedule_activities()
        return plans

    # ------------------------------------------------------------------
    # State
    # ------------------------------------------------------------------

    def _update_state(self):
        """Done when every step is done or skipped, in progress otherwise; the
        cancelled plans stay cancelled. One write per new state."""
        today = fields.Date.context_today(self)
        done, on_time, reopened = self.browse(), self.browse(), self.browse()
        for plan in self.filtered(lambda p: p.state != "cancelled"):
            finished = bool(plan.step_ids) and all(
                step.state != "todo" for step in plan.step_ids
            )
            if finished and plan.state != "done":
                if all(
                    step.state == "skipped"
                    or not step.deadline
                    or (step.done_date and step.done_date <= step.deadline)
                    for step in plan.step_ids
                ):
                    on_time |= plan
                else:
                    done |= plan
            elif not finished and plan.state == "done":
                reopened |= plan
        on_time.sudo().write(
            {"state": "done", "date_done": today, "on_time_rate": 100.0}
        )
        done.sudo().write({"state": "done", "date_done": today, "on_time_rate": 0.0})
        reopened.sudo().write(
            {"state": "in_progress", "date_done": False, "on_time_rate": 0.0}
        )

    def _cancel(self):
        plans = self.filtered(lambda p: p.state != "cancelled")
        plans.step_ids._own_activities().unlink()
        plans.sudo().write({"state": "cancelled"})

    # ------------------------------------------------------------------
    # Automatic checks
    # ------------------------------------------------------------------

    @api.model
    def _check_results(self, order_ids):
        """``{order_id: {check_type: bool}}`` for the automatic checks, for all
        the orders in two queries.

        - delivery: every line with a product (but combo lines and down
          payments) has its delivered quantity at least its ordered quantity;
        - invoicing: the order's invoice status is "Fully Invoiced" (or
          "Upselling") and none of its invoices or credit notes is in draft;
        - payment: invoicing is complete and every posted customer invoice of
          the order (fully reversed ones excepted) is paid or in payment, with
          at least one of them.
        """
        if not order_ids:
            return {}
        self.env["sale.order"].flush_model(["invoice_status"])
        self.env["sale.order.line"].flush_model(
            [
                "order_id",
                "product_id",
                "display_type",
                "is_downpayment",
                "qty_delivered",
                "product_uom_qty",
            ]
        )
        self.env["account.move"].flush_model(["state", "move_type", "payment_state"])
        self.env["account.move.line"].flush_model(["move_id"])
        ids = list(order_ids)
        self.env.cr.execute(
            SQL(
                """
            SELECT so.id,
                   so.invoice_status,
                   NOT EXISTS (
                       SELECT 1
                         FROM sale_order_line sol
                         JOIN product_product pp ON pp.id = sol.product_id
                         JOIN product_template pt ON pt.id = pp.product_tmpl_id
                        WHERE sol.order_id = so.id
                          AND sol.display_type IS NULL
                          AND sol.is_downpayment IS NOT TRUE
                          AND pt.type != 'combo'
                          AND COALESCE(sol.qty_delivered, 0) < sol.product_uom_qty
                   ) AS delivered
              FROM sale_order so
             WHERE so.id = ANY(%(ids)s)
                """,
                ids=ids,
            )
        )
        orders = self.env.cr.fetchall()
        self.env.cr.execute(
            SQL(
                """
            SELECT sol.order_id,
                   bool_or(am.state = 'draft'),
                   bool_or(am.state = 'posted' AND am.move_type = 'out_invoice'
                           AND am.payment_state
                               NOT IN ('paid', 'in_payment', 'reversed')),
                   bool_or(am.state = 'posted' AND am.move_type = 'out_invoice'
                           AND am.payment_state IN ('paid', 'in_payment'))
              FROM sale_order_line sol
              JOIN sale_order_line_invoice_rel rel ON rel.order_line_id = sol.id
              JOIN account_move_line aml ON aml.id = rel.invoice_line_id
              JOIN account_move am ON am.id = aml.move_id
             WHERE sol.order_id = ANY(%(ids)s)
               AND am.move_type IN ('out_invoice', 'out_refund')
             GROUP BY sol.order_id
                """,
                ids=ids,
            )
        )
        invoices = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        results = {}
        for order_id, invoice_status, delivered in orders:
            has_draft, has_unpaid, has_paid = invoices.get(order_id, (False,) * 3)
            invoiced = invoice_status in ("invoiced", "upselling") and not has_draft
            results[order_id] = {
                "delivery": delivered,
                "invoicing": invoiced,
                "payment": invoiced and has_paid and not has_unpaid,
            }
        return results

    def _run_automatic_checks(self):
        """Complete the automatic steps whose condition holds and reopen those
        whose condition no longer holds, for all the plans in a few queries."""
        plans = self.sudo().filtered(lambda p: p.state != "cancelled")
        if not plans:
            return
        results = self._check_results(set(plans.order_id.ids))
        Step = self.env["customer.support.step"].sudo()
        steps = Step.search(
            [
                ("plan_id", "in", plans.ids),
                ("check_type", "!=", "manual"),
                ("state", "!=", "skipped"),
            ]
        )
        to_complete, to_reopen = Step, Step
        for step in steps:
            holds = results.get(step.order_id.id, {}).get(step.check_type, False)
            if holds and step.state == "todo":
                to_complete |= step
            elif not holds and step.state == "done":
                to_reopen |= step
        to_complete._complete_automatically()
        to_reopen._reopen_automatically()
        plans.write({"last_check_date": fields.Datetime.now()})

    @api.model
    def _run_checks_for_orders(self, orders):
        """Check the plans of ``orders`` (called when their data changes)."""
        if not orders:
            return
        plans = (
            self.sudo()
            .with_context(active_test=False)
            .search([("order_id", "in", orders.ids), ("state", "!=", "cancelled")])
        )
        plans._run_automatic_checks()

    @api.model
    def _cron_create_pending_plans(self, batch_size=500):
        """Create the plans of orders confirmed in a mass confirmation, a
        batch at a time (see ``sale.order._create_support_plans``); an order
        whose plan cannot be made is logged and skipped."""

        def create_plans(orders):
            self._create_for_orders(orders)
            orders.support_plan_pending = False

        return cron_batch(
            self.env["sale.order"].sudo(),
            [("support_plan_pending", "=", True)],
            batch_size,
            PENDING_PLANS_CURSOR,
            create_plans,
            self.env._("Creation of the support plan"),
        )

    @api.model
    def _cron_check_plans(self, batch_size=2000):
        """Check the plans in progress that were not checked in the last hour,
        the least recently checked first, a batch at a time. A plan whose
        check fails is logged, marked checked and skipped."""
        domain = [
            ("state", "=", "in_progress"),
            "|",
            ("last_check_date", "=", False),
            ("last_check_date", "<", fields.Datetime.now() - CHECKED_RECENTLY),
        ]
        plans = self.search(
            domain, order="last_check_date asc nulls first, id", limit=batch_size
        )
        failed = process_isolated(
            plans,
            lambda batch: batch._run_automatic_checks(),
            self.env._("Check of delivery, invoicing and payment"),
        )
        failed.sudo().write({"last_check_date": fields.Datetime.now()})
        remaining = self.search_count(domain) if len(plans) == batch_size else 0
        self.env["ir.cron"]._notify_progress(done=len(plans), remaining=remaining)
        return plans - failed

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_check_now(self):
        """Check delivery, invoicing and payment now: for those who may work
        the plans; the check itself reads the orders' data as superuser."""
        self.check_access("write")
        self._run_automatic_checks()
        return True

    def action_view_order(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _log_steps(self, bodies):
        by_plan = defaultdict(list)
        for plan_id, body in bodies:
            by_plan[plan_id].append(body)
        plans = self.browse(list(by_plan))
        plans._message_log_batch(
            bodies={
                plan_id: Markup("<br/>").join(texts)
                for plan_id, texts in by_plan.items()
            }
        )
