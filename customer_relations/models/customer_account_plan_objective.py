from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .customer_tier import _pg_array

OBJECTIVE_KINDS = [
    ("revenue", "Revenue"),
    ("product_family", "New Product Family"),
    ("order_count", "Number of Orders"),
    ("satisfaction", "Satisfaction"),
]


class CustomerAccountPlanObjective(models.Model):
    """A target of an account plan, with its actual over the plan's period,
    computed from Odoo's data for the whole set of objectives at once:

    - revenue: untaxed amount of the account's confirmed orders in the
      period, in the company's currency (at each order's own rate);
    - number of orders: the account's confirmed orders in the period;
    - new product family: whether the account bought a product of the
      category (or of its subcategories) in the period (1 or 0);
    - satisfaction: the average satisfaction (1 to 4) of the account's
      objections closed in the period.
    """

    _name = "customer.account.plan.objective"
    _description = "Account Plan Objective"
    _inherit = ["customer.protected.mixin"]
    _order = "plan_id, sequence, id"
    _check_company_auto = True
    _fixed_parent_fields = ("plan_id",)

    plan_id = fields.Many2one(
        "customer.account.plan",
        string="Account Plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, precompute=True, index=True
    )
    currency_id = fields.Many2one(related="plan_id.currency_id")
    kind = fields.Selection(OBJECTIVE_KINDS, required=True, default="revenue")
    name = fields.Char(
        string="Description", help="What the objective means for this account."
    )
    product_category_id = fields.Many2one(
        "product.category",
        string="Product Family",
        help="The product category (with its subcategories) the account should buy.",
    )
    target = fields.Float(
        digits="Product Price",
        help="Revenue in the company's currency, number of orders, or average "
        "satisfaction from 1 (dissatisfied) to 4 (very satisfied). A new "
        "product family is reached when the account buys it.",
    )
    actual = fields.Float(
        compute="_compute_actual",
        digits="Product Price",
        help="Reached so far in the plan's period, from the confirmed orders and "
        "the objections of the account.",
    )
    progress = fields.Float(
        string="Progress (%)",
        compute="_compute_actual",
        help="The actual as a share of the target.",
    )

    _sql_constraints = [
        ("target_positive", "CHECK(target >= 0)", "A target cannot be negative."),
    ]

    @api.constrains("kind", "product_category_id")
    def _check_product_category(self):
        for objective in self:
            if objective.kind == "product_family" and not objective.product_category_id:
                raise ValidationError(
                    self.env._(
                        "Choose the product family of the objective %(objective)s.",
                        objective=objective.name or objective.plan_id.name,
                    )
                )

    @api.depends(
        "kind",
        "target",
        "product_category_id",
        "plan_id.partner_id",
        "plan_id.company_id",
        "plan_id.date_start",
        "plan_id.date_end",
    )
    def _compute_actual(self):
        actuals = self._actuals()
        for objective in self:
            actual = actuals.get(objective, 0.0)
            objective.actual = actual
            if objective.kind == "product_family":
                objective.progress = 100.0 if actual else 0.0
            else:
                objective.progress = (
                    100.0 * actual / objective.target if objective.target else 0.0
                )

    def _plan_key(self):
        plan = self.plan_id
        return (
            plan.partner_id._origin.id,
            plan.company_id._origin.id,
            plan.date_start,
            plan.date_end,
        )

    def _actuals(self):
        """``{objective: actual}``: one query per kind for the whole set."""
        objectives = self.filtered(
            lambda o: (
                o.plan_id.partner_id
                and o.plan_id.company_id
                and o.plan_id.date_start
                and o.plan_id.date_end
            )
        )
        if not objectives:
            return {}
        self.env["sale.order"].flush_model(
            ["state", "partner_id", "company_id", "date_order", "amount_untaxed"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        actuals = {}
        by_kind = {}
        for objective in objectives:
            by_kind.setdefault(objective.kind, []).append(objective)
        order_kinds = by_kind.get("revenue", []) + by_kind.get("order_count", [])
        if order_kinds:
            figures = self._order_figures({o._plan_key() for o in order_kinds})
            for objective in order_kinds:
                revenue, count = figures.get(objective._plan_key(), (0.0, 0))
                actuals[objective] = revenue if objective.kind == "revenue" else count
        families = [
            o for o in by_kind.get("product_family", []) if o.product_category_id
        ]
        if families:
            bought = self._families_bought(
                {(*o._plan_key(), o.product_category_id._origin.id) for o in families}
            )
            for objective in families:
                key = (*objective._plan_key(), objective.product_category_id._origin.id)
                actuals[objective] = 1.0 if key in bought else 0.0
        if by_kind.get("satisfaction"):
            satisfaction = self._satisfaction(
                {o._plan_key() for o in by_kind["satisfaction"]}
            )
            for objective in by_kind["satisfaction"]:
                actuals[objective] = satisfaction.get(objective._plan_key(), 0.0)
        return actuals

    @api.model
    def _keys_table(self, keys, extra=()):
        """The plans' (account, company, start, end[, extra]) as a table."""
        keys = sorted(keys)
        columns = [
            SQL("%s::int[]", _pg_array(k[0] for k in keys)),
            SQL("%s::int[]", _pg_array(k[1] for k in keys)),
            SQL("%s::date[]", _pg_array(k[2] for k in keys)),
            SQL("%s::date[]", _pg_array(k[3] for k in keys)),
            *(SQL("%s::int[]", _pg_array(k[4 + i] for k in keys)) for i in extra),
        ]
        names = ["partner_id", "company_id", "date_start", "date_end"]
        names += [f"extra_{i}" for i in extra]
        return SQL(
            "unnest(%s) AS k(%s)",
            SQL(", ").join(columns),
            SQL(", ").join(SQL.identifier(name) for name in names),
        )

    @api.model
    def _order_filter(self):
        return SQL(
            """
            so.state = 'sale'
            AND so.company_id = k.company_id
            AND so.date_order >= k.date_start
            AND so.date_order < k.date_end + 1
            """
        )

    @api.model
    def _order_figures(self, keys):
        """``{key: (revenue, orders)}``: the accounts' confirmed orders in the
        periods, untaxed, in the company's currency at each order's rate."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT k.partner_id, k.company_id, k.date_start, k.date_end,
                       COALESCE(SUM(so.amount_untaxed
                                    / CASE COALESCE(so.currency_rate, 0)
                                      WHEN 0 THEN 1.0 ELSE so.currency_rate END),
                                0),
                       COUNT(so.id)
                  FROM %(keys)s
                  JOIN res_partner p ON p.commercial_partner_id = k.partner_id
                  JOIN sale_order so ON so.partner_id = p.id AND %(filter)s
                 GROUP BY k.partner_id, k.company_id, k.date_start, k.date_end
                """,
                keys=self._keys_table(keys),
                filter=self._order_filter(),
            )
        )
        return {
            (partner, company, start, end): (
                self.env["res.company"].browse(company).currency_id.round(revenue),
                count,
            )
            for partner, company, start, end, revenue, count in rows
        }

    @api.model
    def _families_bought(self, keys):
        """The keys (plan key, category) whose account bought a product of the
        category or of its subcategories in the period."""
        self.env["sale.order.line"].flush_model(["order_id", "product_id"])
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["categ_id"])
        self.env["product.category"].flush_model(["parent_path"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT k.partner_id, k.company_id, k.date_start, k.date_end, k.extra_0
                  FROM %(keys)s
                  JOIN product_category family ON family.id = k.extra_0
                 WHERE EXISTS (
                       SELECT 1
                         FROM res_partner p
                         JOIN sale_order so ON so.partner_id = p.id AND %(filter)s
                         JOIN sale_order_line sol ON sol.order_id = so.id
                         JOIN product_product pp ON pp.id = sol.product_id
                         JOIN product_template pt ON pt.id = pp.product_tmpl_id
                         JOIN product_category c ON c.id = pt.categ_id
                        WHERE p.commercial_partner_id = k.partner_id
                          AND c.parent_path LIKE family.parent_path || %(any)s
                 )
                """,
                keys=self._keys_table(keys, extra=(0,)),
                filter=self._order_filter(),
                any="%",
            )
        )
        return {tuple(row) for row in rows}

    @api.model
    def _satisfaction(self, keys):
        """``{key: average satisfaction}`` of the accounts' objections closed
        in the periods (those rated only)."""
        self.env["customer.objection"].flush_model(
            ["commercial_partner_id", "company_id", "satisfaction", "closed_date"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT k.partner_id, k.company_id, k.date_start, k.date_end,
                       AVG(o.satisfaction::int)
                  FROM %(keys)s
                  JOIN customer_objection o
                    ON o.commercial_partner_id = k.partner_id
                   AND o.company_id = k.company_id
                   AND o.satisfaction IS NOT NULL
                   AND o.closed_date >= k.date_start
                   AND o.closed_date < k.date_end + 1
                 GROUP BY k.partner_id, k.company_id, k.date_start, k.date_end
                """,
                keys=self._keys_table(keys),
            )
        )
        return {
            (partner, company, start, end): round(float(average), 2)
            for partner, company, start, end, average in rows
        }

    def _snapshot_values(self):
        """The objective as a review records it."""
        self.ensure_one()
        return {
            "objective_id": self.id,
            "kind": self.kind,
            "name": self.name
            or (
                self.product_category_id.display_name
                if self.product_category_id
                else ""
            )
            or dict(self._fields["kind"]._description_selection(self.env))[self.kind],
            "target": self.target,
            "actual": self.actual,
            "progress": self.progress,
        }
