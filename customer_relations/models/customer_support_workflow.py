from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

# How a support step is completed: by hand, or by an automatic check.
CHECK_TYPES = [
    ("manual", "Manual"),
    ("delivery", "Delivery Complete"),
    ("invoicing", "Invoicing Complete"),
    ("payment", "Payment Received"),
]


def _workflows_changed(env):
    """Forget the cached usable workflows, now and if the transaction that
    changed them is rolled back (another one may have read them meanwhile)."""
    env.registry.clear_cache()
    env.cr.postrollback.add(env.registry.clear_cache)


class CustomerSupportWorkflow(models.Model):
    _name = "customer.support.workflow"
    _description = "Support Workflow"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        help="Confirming an order gives it a plan from the first workflow, in this "
        "order, that applies to it.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to use the workflow in every company.",
    )
    tier_ids = fields.Many2many(
        "customer.tier",
        string="Customer Tiers",
        help="Applies to orders of customers in these tiers (their tier when the "
        "order is confirmed). Leave empty for any tier, or none.",
    )
    product_category_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="Applies to orders with at least one product of these categories or "
        "their subcategories. Leave empty for any product.",
    )
    min_amount = fields.Float(
        string="Minimum Untaxed Amount",
        digits="Product Price",
        help="Applies to orders whose untaxed amount, in the company's currency, "
        "reaches this amount.",
    )
    step_ids = fields.One2many(
        "customer.support.workflow.step", "workflow_id", string="Steps", copy=True
    )
    step_count = fields.Integer(string="Number of Steps", compute="_compute_counts")
    plan_count = fields.Integer(string="Plans", compute="_compute_counts")

    _sql_constraints = [
        (
            "min_amount_positive",
            "CHECK(min_amount >= 0)",
            "The minimum amount of a workflow cannot be negative.",
        ),
    ]

    @api.depends("step_ids")
    def _compute_counts(self):
        plans = {}
        if self.ids and self.env["customer.support.plan"].has_access("read"):
            plans = dict(
                self.env["customer.support.plan"]._read_group(
                    [("workflow_id", "in", self.ids)], ["workflow_id"], ["__count"]
                )
            )
        for workflow in self:
            workflow.step_count = len(workflow.step_ids)
            workflow.plan_count = plans.get(workflow, 0)

    @api.model_create_multi
    def create(self, vals_list):
        _workflows_changed(self.env)
        return super().create(vals_list)

    def write(self, vals):
        _workflows_changed(self.env)
        return super().write(vals)

    def unlink(self):
        _workflows_changed(self.env)
        return super().unlink()

    @api.model
    @tools.ormcache()
    def _active_workflow_ids(self):
        """The active workflows, in their order: read at every confirmation,
        cached until a workflow changes."""
        return tuple(self.sudo().search([]).ids)

    def _applies_to(self, order, tier, category_paths, amount):
        """Whether this workflow applies to an order of the given tier, whose
        product categories have the given ``parent_path`` values and whose untaxed
        amount in the company's currency is ``amount``."""
        self.ensure_one()
        if self.company_id and self.company_id != order.company_id:
            return False
        if self.tier_ids and tier not in self.tier_ids:
            return False
        if self.product_category_ids and not any(
            path.startswith(category.parent_path)
            for category in self.product_category_ids
            for path in category_paths
        ):
            return False
        return amount >= self.min_amount

    @api.readonly
    def action_view_plans(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.customer_support_plan_action"
        )
        action["domain"] = [("workflow_id", "=", self.id)]
        action["context"] = {}
        return action


class CustomerSupportWorkflowStep(models.Model):
    _name = "customer.support.workflow.step"
    _description = "Support Workflow Step"
    _order = "workflow_id, sequence, id"

    workflow_id = fields.Many2one(
        "customer.support.workflow", required=True, index=True, ondelete="cascade"
    )
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    check_type = fields.Selection(
        CHECK_TYPES,
        string="Check",
        required=True,
        default="manual",
        help="Manual: its responsible marks it done or skips it. Delivery: done "
        "when the delivered quantity of every product line reaches the ordered "
        "quantity. Invoicing: done when nothing is left to invoice and no invoice "
        "is in draft. Payment: done when every posted customer invoice of the "
        "order is paid or in payment.",
    )
    responsible = fields.Selection(
        [
            ("account_manager", "Account Manager"),
            ("salesperson", "Salesperson"),
            ("user", "Named User"),
        ],
        required=True,
        default="account_manager",
        help="Account Manager: the account's key account manager, else its "
        "salesperson. Salesperson: the order's salesperson. Named User: someone "
        "of any department.",
    )
    user_id = fields.Many2one(
        "res.users",
        domain=[("share", "=", False)],
        help="The user responsible when the step is given to a named user.",
    )
    deadline_days = fields.Integer(
        string="Deadline (days)",
        help="Days after the order's confirmation, or after its commitment date "
        "when it has one.",
    )
    instructions = fields.Html(translate=True)
    portal_visible = fields.Boolean(
        string="Visible to the Customer",
        help="The customer sees this step, its status and its due date in the "
        "follow-up of their order, in their portal. Other steps stay internal.",
    )

    _sql_constraints = [
        (
            "deadline_days_positive",
            "CHECK(deadline_days >= 0)",
            "The deadline of a step cannot be before the confirmation.",
        ),
    ]

    @api.constrains("responsible", "user_id")
    def _check_user_id(self):
        for step in self:
            if step.responsible == "user" and not step.user_id:
                raise ValidationError(
                    self.env._(
                        "Choose the user responsible for the step %(step)s.",
                        step=step.name,
                    )
                )
