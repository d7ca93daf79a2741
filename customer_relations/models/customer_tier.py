from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

# The figures the ranking keeps per company on every partner of an account.
FIGURES = ("annual_revenue", "annual_order_count", "year_revenue", "last_order_date")


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

    # ------------------------------------------------------------------
    # Ranking
    # ------------------------------------------------------------------

    @api.model
    def _get_ranked_tiers(self, company):
        """Active tiers usable in ``company``, the highest first."""
        tiers = self.search([("company_id", "in", [company.id, False])])
        return tiers.sorted(lambda t: t._rank_key(), reverse=True)

    @api.model
    def _tier_for(self, ranked_tiers, revenue, order_count):
        """The highest of ``ranked_tiers`` whose conditions are met, or none."""
        for tier in ranked_tiers:
            if revenue >= tier.min_annual_revenue and (
                order_count >= tier.min_order_count
            ):
                return tier
        return self.browse()

    @api.model
    def _next_review_date(self, tier, today):
        if not tier or not tier.review_interval_months:
            return False
        return today + relativedelta(months=tier.review_interval_months)

    @api.model
    def _read_account_figures(self, account_ids, today):
        """Revenue figures of the given commercial entities, per company.

        One query for the whole batch: confirmed orders of each entity and all
        its contacts, untaxed amounts converted into the company's currency at
        each order's own rate. Returns ``{(account_id, company_id): figures}``.
        """
        since = fields.Datetime.to_datetime(today - timedelta(days=365))
        year_start = fields.Datetime.to_datetime(today.replace(month=1, day=1))
        amount = SQL(
            "so.amount_untaxed / CASE COALESCE(so.currency_rate, 0) "
            "WHEN 0 THEN 1.0 ELSE so.currency_rate END"
        )
        self.env["sale.order"].flush_model(
            ["state", "partner_id", "company_id", "date_order", "amount_untaxed"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, so.company_id,
                       COALESCE(SUM(%(amount)s)
                                FILTER (WHERE so.date_order >= %(since)s), 0),
                       COUNT(*) FILTER (WHERE so.date_order >= %(since)s),
                       COALESCE(SUM(%(amount)s)
                                FILTER (WHERE so.date_order >= %(year_start)s), 0),
                       MAX(so.date_order)
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state = 'sale'
                   AND p.commercial_partner_id = ANY(%(ids)s)
                 GROUP BY p.commercial_partner_id, so.company_id
                """,
                amount=amount,
                since=since,
                year_start=year_start,
                ids=list(account_ids),
            )
        )
        return {
            (account_id, company_id): {
                "annual_revenue": round(revenue, 2),
                "annual_order_count": count,
                "year_revenue": round(year, 2),
                "last_order_date": last and fields.Date.to_string(last.date()),
            }
            for account_id, company_id, revenue, count, year, last in rows
        }

    @api.model
    def _recompute_accounts(self, account_ids, today=None):
        """Rank the given commercial entities in every company.

        Reads the orders of the whole batch in one query and the partners' current
        values in another; writes, in a few queries per company, only the
        partners whose figures or tier changed (an account and its contacts
        alike); records each tier change in the history. Upgrades apply at once,
        downgrades wait for the account's review date, locked tiers are left
        alone. Returns the number of accounts whose tier changed.
        """
        if not account_ids:
            return 0
        today = today or fields.Date.context_today(self)
        account_ids = list(account_ids)
        figures = self._read_account_figures(account_ids, today)
        Partner = self.env["res.partner"]
        Partner.flush_model(
            [*FIGURES, "customer_tier_id", "customer_tier_locked", "next_review_date"]
        )
        current = {
            row[0]: row[1:]
            for row in self.env.execute_query(
                SQL(
                    """
                    SELECT id, annual_revenue, annual_order_count, year_revenue,
                           last_order_date, customer_tier_id, customer_tier_locked,
                           next_review_date
                      FROM res_partner
                     WHERE id = ANY(%s)
                    """,
                    account_ids,
                )
            )
        }
        zero = {
            "annual_revenue": 0.0,
            "annual_order_count": 0,
            "year_revenue": 0.0,
            "last_order_date": None,
        }
        history = []
        for company in self.env["res.company"].sudo().search([]):
            key = str(company.id)
            ranked = self._get_ranked_tiers(company)
            tiers_by_id = {tier.id: tier for tier in ranked}
            reviews = {
                tier.id: fields.Date.to_string(self._next_review_date(tier, today))
                if tier.review_interval_months
                else None
                for tier in ranked
            }
            updates = []
            for account_id in account_ids:
                if account_id not in current:
                    continue
                revenue, count, year, last, tier, locked, review = current[account_id]
                new = figures.get((account_id, company.id), zero)
                old = {
                    "annual_revenue": (revenue or {}).get(key) or 0.0,
                    "annual_order_count": (count or {}).get(key) or 0,
                    "year_revenue": (year or {}).get(key) or 0.0,
                    "last_order_date": (last or {}).get(key) or None,
                }
                old_tier_id = (tier or {}).get(key) or False
                review_date = (review or {}).get(key) or None
                new_tier_id, new_review = old_tier_id, review_date
                if not (locked or {}).get(key):
                    new_tier = self._tier_for(
                        ranked, new["annual_revenue"], new["annual_order_count"]
                    )
                    if new_tier.id != old_tier_id and self._may_change_tier(
                        tiers_by_id.get(old_tier_id), new_tier, review_date, today
                    ):
                        new_tier_id = new_tier.id
                        new_review = reviews.get(new_tier_id)
                        history.append(
                            (account_id, company.id, old_tier_id, new_tier_id, new)
                        )
                if new != old or new_tier_id != old_tier_id:
                    updates.append((account_id, new, new_tier_id, new_review))
            self._write_accounts(company, updates)
        self._write_history(history)
        Partner.invalidate_model(
            [*FIGURES, "customer_tier_id", "next_review_date"], flush=False
        )
        return len(history)

    @api.model
    def _may_change_tier(self, old_tier, new_tier, review_date, today):
        """Upgrades apply at once; a downgrade (to a lower tier or to none)
        waits for the account's review date. A tier that is no longer in use
        (archived, another company's) is replaced at once."""
        if not old_tier:
            return True
        if new_tier and new_tier._rank_key() > old_tier._rank_key():
            return True
        return not review_date or fields.Date.to_date(review_date) <= today

    @api.model
    def _write_accounts(self, company, updates):
        """Store figures, tiers and review dates of accounts and their
        contacts in one UPDATE per company and batch."""
        if not updates:
            return
        values = SQL(", ").join(
            SQL(
                "(%s, %s::float8, %s::int, %s::float8, %s::text, %s::int, %s::text)",
                account_id,
                new["annual_revenue"],
                new["annual_order_count"],
                new["year_revenue"],
                new["last_order_date"],
                tier_id or None,
                review or None,
            )
            for account_id, new, tier_id, review in updates
        )

        def merge(column, value):
            return SQL(
                "%(column)s = COALESCE(p.%(column)s, '{}'::jsonb) "
                "|| jsonb_build_object(%(key)s, v.%(value)s)",
                column=SQL.identifier(column),
                key=str(company.id),
                value=SQL.identifier(value),
            )

        self.env.execute_query(
            SQL(
                """
                UPDATE res_partner p
                   SET %(assignments)s
                  FROM (VALUES %(values)s)
                       AS v(account_id, revenue, order_count, year_revenue,
                            last_order_date, tier_id, review)
                 WHERE p.commercial_partner_id = v.account_id
                """,
                assignments=SQL(", ").join(
                    [
                        merge("annual_revenue", "revenue"),
                        merge("annual_order_count", "order_count"),
                        merge("year_revenue", "year_revenue"),
                        merge("last_order_date", "last_order_date"),
                        merge("customer_tier_id", "tier_id"),
                        merge("next_review_date", "review"),
                    ]
                ),
                values=values,
            )
        )

    @api.model
    def _write_history(self, changes):
        """One history row per automatic tier change, in one INSERT (the first
        ranking of a large customer base makes thousands)."""
        if not changes:
            return
        upgrade, downgrade = self.env._("Upgrade"), self.env._("Downgrade at review")
        tier_ids = {tier_id for change in changes for tier_id in change[2:4] if tier_id}
        rank = {tier.id: tier._rank_key() for tier in self.browse(tier_ids).exists()}
        now = fields.Datetime.now()
        values = []
        for account_id, company_id, old_id, new_id, new in changes:
            up = old_id not in rank or bool(new_id and rank[new_id] > rank[old_id])
            values.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, TRUE, %s, %s, %s, %s, %s, %s)",
                    account_id,
                    company_id,
                    old_id or None,
                    new_id or None,
                    new["annual_revenue"],
                    new["annual_order_count"],
                    upgrade if up else downgrade,
                    now,
                    self.env.uid,
                    now,
                    self.env.uid,
                    now,
                )
            )
        History = self.env["customer.tier.history"]
        History.flush_model()
        self.env.execute_query(
            SQL(
                """
                INSERT INTO customer_tier_history (partner_id, company_id,
                    old_tier_id, new_tier_id, annual_revenue, annual_order_count,
                    automatic, reason, date, create_uid, create_date, write_uid,
                    write_date)
                VALUES %s
                """,
                SQL(", ").join(values),
            )
        )
        History.invalidate_model()
        self.env["res.partner"].invalidate_model(["customer_tier_history_ids"])

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

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_relations.res_partner_action_key_accounts"
        )
        action["domain"] = [("customer_tier_id", "=", self.id)]
        action["context"] = {"default_customer_tier_id": self.id}
        return action
