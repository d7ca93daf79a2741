from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import float_compare

from .batch import cron_batch, process_isolated

CHECKED_RECENTLY = timedelta(hours=1)
# The plan's view of the order, recomputed from Odoo's own stored fields.
ORDER_CHECK_FIELDS = ("delivery_done", "invoicing_done", "payment_done")
PAID = ("paid", "in_payment")
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
        *ORDER_CHECK_FIELDS,
    )
    _fixed_parent_fields = ("order_id",)

    name = fields.Char(
        related="order_id.name", store=True, precompute=True, string="Order Reference"
    )
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
        precompute=True,
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
        related="order_id.company_id",
        store=True,
        precompute=True,
        index=True,
        string="Company",
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
    delivery_done = fields.Boolean(
        precompute=True,
        string="Delivered",
        compute="_compute_order_checks",
        store=True,
        help="Every product of the order is delivered in full.",
    )
    invoicing_done = fields.Boolean(
        precompute=True,
        string="Invoiced",
        compute="_compute_order_checks",
        store=True,
        help="The order is fully invoiced and none of its invoices is in draft.",
    )
    payment_done = fields.Boolean(
        precompute=True,
        string="Paid",
        compute="_compute_order_checks",
        store=True,
        help="The order is invoiced and its invoices are paid.",
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
        Workflow = self.env["customer.support.workflow"].sudo()
        workflows = Workflow.browse(Workflow._active_workflow_ids()).filtered(
            "step_ids"
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
        Step = self.env["customer.support.step"].sudo()
        # the steps are created with their activities: one insert each
        activities = Step._create_activities(
            [
                {
                    "res_id": values["plan_id"],
                    "summary": values["name"],
                    "user_id": values["user_id"] or self.env.user.id,
                    "date_deadline": values["deadline"],
                }
                for values in step_values
            ]
        )
        for values, activity in zip(step_values, activities, strict=True):
            values["activity_id"] = activity.id
        Step.create(step_values)
        plans._sync_automatic_steps()
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

    @api.depends(
        "order_id.order_line.product_uom_qty",
        "order_id.order_line.qty_delivered",
        "order_id.order_line.display_type",
        "order_id.order_line.is_downpayment",
        "order_id.order_line.product_id.type",
        "order_id.invoice_status",
        "order_id.order_line.invoice_lines.move_id.state",
        "order_id.order_line.invoice_lines.move_id.move_type",
        "order_id.order_line.invoice_lines.move_id.payment_state",
    )
    def _compute_order_checks(self):
        """Delivery, invoicing and payment as Odoo's own stored fields say,
        whatever module changed them (pickings and returns, manual delivered
        quantities, invoices, credit notes, payments and unreconciliation):

        - delivered: every line with a product (but combo lines and down
          payments) has its delivered quantity at least its ordered quantity;
        - invoiced: the order's invoice status is "Fully Invoiced" (or
          "Upselling") and none of its invoices or credit notes is in draft;
        - paid: invoiced, and every posted customer invoice of the order (fully
          reversed ones excepted) is paid or in payment, with at least one.

        The steps follow in ``_compute_field_value``, not here.
        """
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for plan in self:
            order = plan.order_id
            lines = order.order_line.filtered(
                lambda line: (
                    not line.display_type
                    and not line.is_downpayment
                    and line.product_id
                    and line.product_id.type != "combo"
                )
            )
            plan.delivery_done = bool(order) and all(
                float_compare(
                    line.qty_delivered, line.product_uom_qty, precision_digits=digits
                )
                >= 0
                for line in lines
            )
            if order.invoice_status not in ("invoiced", "upselling"):
                # not invoiced: nothing to read of its invoices
                plan.invoicing_done = plan.payment_done = False
                continue
            moves = order.order_line.invoice_lines.move_id.filtered(
                lambda move: move.move_type in ("out_invoice", "out_refund")
            )
            plan.invoicing_done = not any(move.state == "draft" for move in moves)
            invoices = moves.filtered(
                lambda move: move.state == "posted" and move.move_type == "out_invoice"
            )
            plan.payment_done = (
                plan.invoicing_done
                and any(move.payment_state in PAID for move in invoices)
                and all(move.payment_state in (*PAID, "reversed") for move in invoices)
            )

    def _compute_field_value(self, field):
        """The one place where the steps follow the order: once delivery,
        invoicing or payment were recomputed, in the same transaction as the
        change of Odoo's data that caused it."""
        res = super()._compute_field_value(field)
        if field.name in ORDER_CHECK_FIELDS:
            self.filtered("id")._sync_automatic_steps()
        return res

    def _sync_automatic_steps(self):
        """Complete the automatic steps whose check holds and reopen those
        whose check no longer holds (skipped steps stay skipped)."""
        plans = self.sudo().filtered(lambda p: p.state != "cancelled")
        Step = self.env["customer.support.step"].sudo()
        to_complete, to_reopen = Step, Step
        for plan in plans:
            results = {
                "delivery": plan.delivery_done,
                "invoicing": plan.invoicing_done,
                "payment": plan.payment_done,
            }
            for step in plan.step_ids:
                if step.check_type not in results or step.state == "skipped":
                    continue
                holds = results[step.check_type]
                if holds and step.state == "todo":
                    to_complete |= step
                elif not holds and step.state == "done":
                    to_reopen |= step
        to_complete._complete_automatically()
        to_reopen._reopen_automatically()

    def _run_automatic_checks(self):
        """Check again, from Odoo's data, the plans' delivery, invoicing and
        payment (the scheduled action's safety net, and "Check Now")."""
        plans = self.sudo().filtered(lambda p: p.state != "cancelled")
        if not plans:
            return
        for fname in ORDER_CHECK_FIELDS:
            self.env.add_to_compute(self._fields[fname], plans)
        # the steps follow in _compute_field_value
        plans._recompute_recordset(ORDER_CHECK_FIELDS)
        plans.write({"last_check_date": fields.Datetime.now()})

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

    @api.readonly
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
