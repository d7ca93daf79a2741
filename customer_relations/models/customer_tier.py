from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerTier(models.Model):
    _name = "customer.tier"
    _description = "Customer Tier"
    _order = "sequence, min_annual_revenue desc, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer(string="Color Index")
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        index=True,
        help="Leave empty to use this tier in every company.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        help="Thresholds are in the currency of the tier's company "
        "(of the current company when the tier is shared).",
    )
    min_annual_revenue = fields.Monetary(
        string="Minimum Annual Revenue",
        currency_field="currency_id",
        help="Untaxed amount of confirmed sale orders over the last 365 days, "
        "in the company's currency, from which a customer reaches this tier.",
    )
    min_order_count = fields.Integer(
        string="Minimum Orders",
        help="Confirmed sale orders over the last 365 days that a customer needs "
        "as well to reach this tier. 0: no condition on the number of orders.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Pricelist",
        check_company=True,
        help="Pricelist given to new quotations of this tier's customers; the "
        "salesperson may still change it.",
    )
    bonus_rate = fields.Float(
        string="Bonus Rate (%)",
        digits=(5, 2),
        help="Share of the calendar year's revenue accrued as a year-end bonus.",
    )
    objection_sla_hours = fields.Float(
        string="Objection Response Time (hours)",
        help="Working hours within which objections and complaints of this tier's "
        "customers must be answered. 0: use the category's or the company's.",
    )
    review_interval_months = fields.Integer(
        string="Review Every (months)",
        default=12,
        help="How often the account is reviewed. A downgrade to a lower tier waits "
        "until the review date, so that customers do not flap between tiers.",
    )
    benefits = fields.Html(
        translate=True,
        help="What the customers of this tier get: prices, discounts, bonus, "
        "services. Shown to account managers.",
    )
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")
    referral_clause_id = fields.Many2one(
        "customer.referral.clause",
        string="Default Referral Clause",
        help="Referral clause that new quotations of this tier's customers get: "
        "what the customer earns for each new customer it recommends. A tier "
        "shared by all companies may name a clause of one company: quotations "
        "of the other companies then get none.",
    )

    _sql_constraints = [
        (
            "min_annual_revenue_positive",
            "CHECK(min_annual_revenue >= 0)",
            "The minimum annual revenue of a tier cannot be negative.",
        ),
        (
            "min_order_count_positive",
            "CHECK(min_order_count >= 0)",
            "The minimum number of orders of a tier cannot be negative.",
        ),
        (
            "bonus_rate_range",
            "CHECK(bonus_rate >= 0 AND bonus_rate <= 100)",
            "The bonus rate of a tier must be between 0 and 100%.",
        ),
        (
            "objection_sla_hours_positive",
            "CHECK(objection_sla_hours >= 0)",
            "The objection response time of a tier cannot be negative.",
        ),
        (
            "review_interval_months_positive",
            "CHECK(review_interval_months >= 0)",
            "The review interval of a tier cannot be negative.",
        ),
    ]

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for tier in self:
            tier.currency_id = (tier.company_id or self.env.company).currency_id

    @api.depends_context("company")
    def _compute_partner_count(self):
        groups = self.env["res.partner"]._read_group(
            [("customer_tier_id", "in", self.ids)],
            ["customer_tier_id"],
            ["__count"],
        )
        counts = {tier.id: count for tier, count in groups}
        for tier in self:
            tier.partner_count = counts.get(tier.id, 0)

    @api.constrains("active", "company_id", "min_annual_revenue", "min_order_count")
    def _check_unique_thresholds(self):
        tiers = self.filtered("active")
        if not tiers:
            return
        groups = self._read_group(
            [
                ("active", "=", True),
                ("company_id", "in", [*tiers.company_id.ids, False]),
            ],
            ["company_id", "min_annual_revenue", "min_order_count"],
            ["id:recordset"],
        )
        for company, revenue, orders, same in groups:
            if len(same) > 1 and same & tiers:
                raise ValidationError(
                    self.env._(
                        "The tiers %(tiers)s have the same thresholds (%(revenue)s "
                        "revenue, %(orders)s orders) in %(company)s: a customer "
                        "could not be ranked between them.",
                        tiers=", ".join(same.mapped("name")),
                        revenue=revenue,
                        orders=orders,
                        company=company.name or self.env._("all companies"),
                    )
                )

    def _rank_key(self):
        """Higher tiers have higher thresholds: revenue first, then orders."""
        self.ensure_one()
        return (self.min_annual_revenue, self.min_order_count, -self.sequence)

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.res_partner_action_key_accounts"
        )
        action["domain"] = [("customer_tier_id", "=", self.id)]
        action["context"] = {"default_customer_tier_id": self.id}
        return action
