from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from .customer_tier_ranking import RANKING_FIELDS


def _pg_array(values):
    """One text parameter holding a PostgreSQL array of numbers, dates,
    booleans or None: PostgreSQL reads it far faster than the ``ARRAY[…]`` of
    one parameter per value that a Python list becomes."""
    return "{%s}" % ",".join(
        "NULL" if value is None else str(value) for value in values
    )


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
        domain="[('company_id', 'in', [company_id or current_company_id, False])]",
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
        groups = (
            self.env["customer.tier.ranking"]
            .sudo()
            ._read_group(
                [("tier_id", "in", self.ids), ("company_id", "=", self.env.company.id)],
                ["tier_id"],
                ["__count"],
            )
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

    # ------------------------------------------------------------------
    # Ranking
    # ------------------------------------------------------------------

    @api.model
    def _next_review_date(self, tier, today):
        if not tier or not tier.review_interval_months:
            return False
        return today + relativedelta(months=tier.review_interval_months)

    @api.model
    def _ranking_parameters(self, today):
        """The tiers as the ranking statement reads them: every tier's rank
        (higher is better, archived tiers too, to tell an upgrade from a
        downgrade), and per company the tiers in use with their conditions and
        the review date an account reaching them gets."""
        every_tier = self.with_context(active_test=False).search([])
        rank = {
            tier.id: position
            for position, tier in enumerate(every_tier.sorted(lambda t: t._rank_key()))
        }
        companies = self.env["res.company"].sudo().search([])
        usable = [
            (company.id, tier)
            for company in companies
            for tier in every_tier
            if tier.active and tier.company_id.id in (company.id, False)
        ]
        return {
            "companies": _pg_array(companies.ids),
            "rank_tier": _pg_array(rank),
            "rank_value": _pg_array(rank.values()),
            "tier_company": _pg_array(company_id for company_id, _tier in usable),
            "tier_id": _pg_array(tier.id for _company_id, tier in usable),
            "tier_revenue": _pg_array(tier.min_annual_revenue for _c, tier in usable),
            "tier_orders": _pg_array(tier.min_order_count for _c, tier in usable),
            "tier_review": _pg_array(
                self._next_review_date(tier, today) or None for _c, tier in usable
            ),
        }

    @api.model
    def _recompute_accounts(self, account_ids, today=None):
        """Rank the given commercial entities in every company.

        One set-based statement for the whole batch: it sums the confirmed
        orders of each entity and all its contacts (untaxed, converted into the
        company's currency at each order's own rate), chooses the highest tier
        whose conditions are met, writes only the rankings whose figures or
        tier changed, and records each tier change in the history. Upgrades
        apply at once, downgrades wait for the account's review date, locked
        tiers are left alone (also when locked by hand meanwhile). Returns the
        number of tier changes.
        """
        if not account_ids:
            return 0
        today = today or fields.Date.context_today(self)
        self.env["sale.order"].flush_model(
            ["state", "partner_id", "company_id", "date_order", "amount_untaxed"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env["customer.tier.ranking"].flush_model()
        self.env["customer.tier.history"].flush_model()
        amount = SQL(
            "so.amount_untaxed / CASE COALESCE(so.currency_rate, 0) "
            "WHEN 0 THEN 1.0 ELSE so.currency_rate END"
        )
        [(changes,)] = self.env.execute_query(
            SQL(
                """
                WITH figures AS (
                    SELECT p.commercial_partner_id AS partner_id, so.company_id,
                           ROUND(COALESCE(SUM(%(amount)s)
                                 FILTER (WHERE so.date_order >= %(since)s), 0), 2)
                               AS annual_revenue,
                           (COUNT(*) FILTER (WHERE so.date_order >= %(since)s))::int
                               AS annual_order_count,
                           ROUND(COALESCE(SUM(%(amount)s)
                                 FILTER (WHERE so.date_order >= %(year_start)s), 0), 2)
                               AS year_revenue,
                           MAX(so.date_order)::date AS last_order_date
                      FROM sale_order so
                      JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.state = 'sale'
                       AND p.commercial_partner_id = ANY(%(ids)s::int[])
                     GROUP BY p.commercial_partner_id, so.company_id
                ), tier_rank AS (
                    SELECT * FROM unnest(%(rank_tier)s::int[], %(rank_value)s::int[])
                        AS t(tier_id, rank)
                ), usable AS (
                    SELECT u.*, t.rank
                      FROM unnest(%(tier_company)s::int[], %(tier_id)s::int[],
                                  %(tier_revenue)s::numeric[], %(tier_orders)s::int[],
                                  %(tier_review)s::date[])
                           AS u(company_id, tier_id, min_revenue, min_orders, review)
                      JOIN tier_rank t USING (tier_id)
                ), accounts AS (
                    SELECT a.partner_id, c.company_id,
                           COALESCE(f.annual_revenue, 0) AS annual_revenue,
                           COALESCE(f.annual_order_count, 0) AS annual_order_count,
                           COALESCE(f.year_revenue, 0) AS year_revenue,
                           f.last_order_date,
                           (COALESCE(r.annual_revenue, 0),
                            COALESCE(r.annual_order_count, 0),
                            COALESCE(r.year_revenue, 0),
                            r.last_order_date) AS old_figures,
                           r.tier_id AS old_tier_id,
                           COALESCE(r.locked, FALSE) AS locked,
                           r.next_review_date AS old_review
                      FROM unnest(%(ids)s::int[]) AS a(partner_id)
                     CROSS JOIN unnest(%(companies)s::int[]) AS c(company_id)
                      LEFT JOIN figures f
                             ON f.partner_id = a.partner_id
                            AND f.company_id = c.company_id
                      LEFT JOIN customer_tier_ranking r
                             ON r.partner_id = a.partner_id
                            AND r.company_id = c.company_id
                ), decided AS (
                    -- the highest tier met; is it above the current one, and
                    -- is the current one still in use in the company?
                    SELECT acc.*, best.tier_id AS best_tier_id,
                           best.review AS best_review,
                           acc.old_tier_id IS NULL
                               OR best.rank > old.rank AS upgrade,
                           EXISTS (SELECT 1 FROM usable u
                                    WHERE u.company_id = acc.company_id
                                      AND u.tier_id = acc.old_tier_id) AS in_use
                      FROM accounts acc
                      LEFT JOIN LATERAL (
                          SELECT u.tier_id, u.rank, u.review
                            FROM usable u
                           WHERE u.company_id = acc.company_id
                             AND acc.annual_revenue >= u.min_revenue
                             AND acc.annual_order_count >= u.min_orders
                           ORDER BY u.rank DESC
                           LIMIT 1
                      ) best ON TRUE
                      LEFT JOIN tier_rank old ON old.tier_id = acc.old_tier_id
                ), moved AS (
                    -- upgrades at once, downgrades at the review date, locked
                    -- tiers never
                    SELECT d.*,
                           NOT d.locked
                           AND d.best_tier_id IS DISTINCT FROM d.old_tier_id
                           AND (COALESCE(d.upgrade, FALSE) OR NOT d.in_use
                                OR d.old_review IS NULL
                                OR d.old_review <= %(today)s) AS moves
                      FROM decided d
                ), written AS (
                    INSERT INTO customer_tier_ranking AS r
                           (partner_id, company_id, annual_revenue,
                            annual_order_count, year_revenue, last_order_date,
                            tier_id, next_review_date, locked)
                    SELECT m.partner_id, m.company_id, m.annual_revenue,
                           m.annual_order_count, m.year_revenue, m.last_order_date,
                           CASE WHEN m.moves THEN m.best_tier_id
                                ELSE m.old_tier_id END,
                           CASE WHEN m.moves THEN m.best_review
                                ELSE m.old_review END,
                           FALSE
                      FROM moved m
                     WHERE m.moves
                        OR (m.annual_revenue, m.annual_order_count, m.year_revenue,
                            m.last_order_date) IS DISTINCT FROM m.old_figures
                        ON CONFLICT (partner_id, company_id) DO UPDATE
                       SET annual_revenue = EXCLUDED.annual_revenue,
                           annual_order_count = EXCLUDED.annual_order_count,
                           year_revenue = EXCLUDED.year_revenue,
                           last_order_date = EXCLUDED.last_order_date,
                           tier_id = CASE WHEN r.locked THEN r.tier_id
                                          ELSE EXCLUDED.tier_id END,
                           next_review_date = CASE WHEN r.locked
                                                   THEN r.next_review_date
                                                   ELSE EXCLUDED.next_review_date END
                ), logged AS (
                    INSERT INTO customer_tier_history (partner_id, company_id,
                           old_tier_id, new_tier_id, annual_revenue,
                           annual_order_count, automatic, reason, date)
                    SELECT m.partner_id, m.company_id, m.old_tier_id,
                           m.best_tier_id, m.annual_revenue, m.annual_order_count,
                           TRUE,
                           CASE WHEN m.upgrade THEN %(upgrade)s
                                ELSE %(downgrade)s END,
                           %(now)s
                      FROM moved m
                     WHERE m.moves
                    RETURNING 1
                )
                SELECT count(*) FROM logged
                """,
                amount=amount,
                since=fields.Datetime.to_datetime(today - timedelta(days=365)),
                year_start=fields.Datetime.to_datetime(today.replace(month=1, day=1)),
                ids=_pg_array(account_ids),
                today=today,
                now=fields.Datetime.now(),
                upgrade=self.env._("Upgrade"),
                downgrade=self.env._("Downgrade at review"),
                **self._ranking_parameters(today),
            )
        )
        self.env["customer.tier.ranking"].invalidate_model()
        self.env["customer.tier.history"].invalidate_model()
        self.env["res.partner"].invalidate_model(
            [
                *RANKING_FIELDS,
                "customer_tier_ranking_ids",
                "customer_tier_history_ids",
                "customer_bonus_rate",
                "customer_bonus_accrued",
                "customer_tier_to_review",
            ],
            flush=False,
        )
        return changes

    @api.model
    def _account_ids_query(self, after_id=0, limit=None):
        """Commercial entities to rank, by id: customers' companies and
        individuals (partners that are their own commercial entity)."""
        return SQL(
            """
            SELECT id FROM res_partner
             WHERE id = commercial_partner_id AND id > %s
             ORDER BY id
             %s
            """,
            after_id,
            SQL("LIMIT %s", limit) if limit else SQL(),
        )

    def action_recompute_tiers(self):
        """Rank every customer now (administrators), then show the result."""
        self.env["res.partner"].check_access("write")
        if not self.env.user.has_group(
            "customer_relations.group_customer_relations_manager"
        ):
            raise AccessError(
                self.env._("Only Customer Relations administrators may rank customers.")
            )
        self.env["res.partner"].sudo()._cron_customer_tier_recompute(all_batches=True)
        return self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.res_partner_action_key_accounts"
        )

    @api.readonly
    def action_view_partners(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.res_partner_action_key_accounts"
        )
        action["domain"] = [
            (
                "customer_tier_ranking_ids",
                "any",
                [("tier_id", "=", self.id), ("company_id", "=", self.env.company.id)],
            )
        ]
        action["context"] = {"default_customer_tier_id": self.id}
        return action
