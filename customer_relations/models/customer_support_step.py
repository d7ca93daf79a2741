from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .customer_support_workflow import CHECK_TYPES


class CustomerSupportStep(models.Model):
    _name = "customer.support.step"
    _inherit = ["customer.protected.mixin", "customer.own.activity.mixin"]
    _description = "Support Step"
    _order = "deadline, sequence, id"
    _check_company_auto = True
    # Set by the workflow, by closing the step or by Odoo's own data (for
    # automatic checks): a step made by hand is a manual one.
    _protected_fields = (
        "state",
        "done_date",
        "done_user_id",
        "check_type",
        "workflow_step_id",
        "activity_id",
    )
    _fixed_parent_fields = ("plan_id",)
    _activity_parent_field = "plan_id"
    _activity_deadline_field = "deadline"

    plan_id = fields.Many2one(
        "customer.support.plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    workflow_step_id = fields.Many2one(
        "customer.support.workflow.step",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    name = fields.Char(string="Step", required=True)
    sequence = fields.Integer(default=10)
    check_type = fields.Selection(
        CHECK_TYPES,
        string="Check",
        required=True,
        default="manual",
        help="Manual steps are marked done or skipped by their responsible; the "
        "others complete themselves when the order is delivered, invoiced or "
        "paid, and reopen when it no longer is.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index="btree_not_null",
        domain=[("share", "=", False)],
        help="Who carries the step out, in any department: they get an activity, "
        "can read the plan and mark the step done or skip it.",
    )
    deadline = fields.Date()
    state = fields.Selection(
        [("todo", "To Do"), ("done", "Done"), ("skipped", "Skipped")],
        string="Status",
        required=True,
        default="todo",
        readonly=True,
        copy=False,
        index=True,
    )
    done_date = fields.Date(string="Done On", readonly=True, copy=False)
    done_user_id = fields.Many2one(
        "res.users",
        string="Done By",
        readonly=True,
        copy=False,
        help="Empty when Odoo completed the step itself.",
    )
    note = fields.Text(
        help="What was done, or why the step was skipped.",
    )
    instructions = fields.Html(related="workflow_step_id.instructions")
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="To do and past its deadline.",
    )
    order_id = fields.Many2one(
        related="plan_id.order_id",
        store=True,
        precompute=True,
        index=True,
        string="Sale Order",
    )
    partner_id = fields.Many2one(related="plan_id.partner_id", string="Account")
    company_id = fields.Many2one(
        related="plan_id.company_id",
        store=True,
        precompute=True,
        index=True,
        string="Company",
    )
    account_manager_id = fields.Many2one(
        related="plan_id.account_manager_id",
        store=True,
        precompute=True,
        index="btree_not_null",
    )
    plan_user_id = fields.Many2one(
        related="plan_id.user_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        string="Plan Responsible",
    )
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status")
    workflow_id = fields.Many2one(
        related="plan_id.workflow_id", store=True, precompute=True
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("state", "deadline")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for step in self:
            step.is_overdue = bool(
                step.state == "todo" and step.deadline and step.deadline < today
            )

    def _search_is_overdue(self, operator, value):
        domain = [
            ("state", "=", "todo"),
            ("deadline", "<", fields.Date.context_today(self)),
        ]
        return self.env["res.partner"]._boolean_search_domain(domain, operator, value)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        res = super().write(vals)
        if "state" in vals:
            self.plan_id._update_state()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_worked_on(self):
        if any(step.state != "todo" for step in self):
            raise UserError(
                self.env._("A step that was done or skipped cannot be deleted.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_can_act(self):
        self.check_access("read")
        for step in self:
            if step.user_id != self.env.user and not step.has_access("write"):
                raise AccessError(
                    self.env._(
                        "Only %(user)s or the account's managers can close the step "
                        "%(step)s.",
                        user=step.user_id.name or self.env._("its responsible"),
                        step=step.name,
                    )
                )
            if step.plan_id.state == "cancelled":
                raise UserError(
                    self.env._(
                        "The plan of %(order)s is cancelled: its steps cannot change.",
                        order=step.order_id.name,
                    )
                )
            if step.state != "todo":
                raise UserError(
                    self.env._("The step %(step)s is already closed.", step=step.name)
                )

    def action_done(self, note=None):
        """Mark manual steps done: their responsible may do it without any other
        right on the plan."""
        self._check_can_act()
        automatic = self.filtered(lambda s: s.check_type != "manual")
        if automatic:
            raise UserError(
                self.env._(
                    "%(step)s completes itself when the order's data says so; "
                    "skip it if it does not apply.",
                    step=automatic[0].name,
                )
            )
        self._close("done", note)
        return True

    @api.readonly
    def action_skip(self):
        """Open the dialog asking why the step is skipped."""
        self._check_can_act()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Skip Step"),
            "res_model": "customer.support.step.skip",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_step_ids": self.ids},
        }

    def _skip(self, reason):
        self._check_can_act()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for skipping the step."))
        self._close("skipped", reason)
        return True

    def _close(self, state, note):
        self._close_activities(
            lambda step: (
                self.env._("Skipped: %(reason)s", reason=note)
                if state == "skipped"
                else note or self.env._("Done.")
            )
        )
        values = {
            "state": state,
            "done_date": fields.Date.context_today(self),
            "done_user_id": self.env.user.id,
        }
        if note:
            values["note"] = note
        self.sudo().write(values)

    # ------------------------------------------------------------------
    # Automatic completion and activities
    # ------------------------------------------------------------------

    def _complete_automatically(self):
        if not self:
            return
        self._own_activities().unlink()
        self.sudo().write(
            {
                "state": "done",
                "done_date": fields.Date.context_today(self),
                "done_user_id": False,
            }
        )
        self.plan_id._log_steps(
            (step.plan_id.id, self.env._("Completed: %(step)s", step=step.name))
            for step in self
        )

    def _reopen_automatically(self):
        if not self:
            return
        self.sudo().write({"state": "todo", "done_date": False, "done_user_id": False})
        self._schedule_activities()
        self.plan_id._log_steps(
            (
                step.plan_id.id,
                self.env._("Reopened: %(step)s, the order changed.", step=step.name),
            )
            for step in self
        )

    def _activity_is_due(self):
        self.ensure_one()
        return self.state == "todo"

    def _activity_values(self):
        self.ensure_one()
        return {"summary": self.name}
