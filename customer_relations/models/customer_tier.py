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
        changed_accounts = 0
        for company in self.env["res.company"].sudo().search([]):
            key = str(company.id)
            ranked = self._get_ranked_tiers(company)
            tiers_by_id = {tier.id: tier for tier in ranked}
            figure_updates = []
            tier_updates = {}
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
                if new != old:
                    figure_updates.append((account_id, new))
                if (locked or {}).get(key):
                    continue
                old_tier_id = (tier or {}).get(key) or False
                old_tier = self.browse(old_tier_id)
                new_tier = self._tier_for(
                    ranked, new["annual_revenue"], new["annual_order_count"]
                )
                if new_tier == old_tier:
                    continue
                old_rank = (
                    tiers_by_id[old_tier_id]._rank_key()
                    if old_tier_id in tiers_by_id
                    else None
                )
                upgrade = bool(new_tier) and (
                    old_rank is None or new_tier._rank_key() > old_rank
                )
                review_date = (review or {}).get(key)
                if (
                    old_tier_id in tiers_by_id
                    and not upgrade
                    and review_date
                    and (fields.Date.to_date(review_date) > today)
                ):
                    continue  # downgrades wait for the review date
                next_review = self._next_review_date(new_tier, today)
                tier_updates.setdefault((new_tier.id, next_review), []).append(
                    account_id
                )
                history.append(
                    {
                        "partner_id": account_id,
                        "company_id": company.id,
                        "old_tier_id": old_tier_id,
                        "new_tier_id": new_tier.id,
                        "annual_revenue": new["annual_revenue"],
                        "annual_order_count": new["annual_order_count"],
                        "automatic": True,
                        "user_id": False,
                        "reason": self.env._("Upgrade")
                        if upgrade
                        else self.env._("Downgrade at review"),
                    }
                )
                changed_accounts += 1
            self._write_figures(company, figure_updates)
            self._write_tiers(company, tier_updates)
        if history:
            self.env["customer.tier.history"].sudo().create(history)
        Partner.invalidate_model(
            [*FIGURES, "customer_tier_id", "next_review_date"], flush=False
        )
        return changed_accounts

    @api.model
    def _write_figures(self, company, updates):
        """Store the figures of accounts and their contacts in one UPDATE."""
        if not updates:
            return
        values = SQL(", ").join(
            SQL(
                "(%s, %s::float8, %s::int, %s::float8, %s::text)",
                account_id,
                new["annual_revenue"],
                new["annual_order_count"],
                new["year_revenue"],
                new["last_order_date"],
            )
            for account_id, new in updates
        )
        key = str(company.id)
        self.env.execute_query(
            SQL(
                """
                UPDATE res_partner p
                   SET annual_revenue = COALESCE(p.annual_revenue, '{}'::jsonb)
                           || jsonb_build_object(%(key)s, v.revenue),
                       annual_order_count = COALESCE(p.annual_order_count, '{}'::jsonb)
                           || jsonb_build_object(%(key)s, v.order_count),
                       year_revenue = COALESCE(p.year_revenue, '{}'::jsonb)
                           || jsonb_build_object(%(key)s, v.year_revenue),
                       last_order_date = COALESCE(p.last_order_date, '{}'::jsonb)
                           || jsonb_build_object(%(key)s, v.last_order_date)
                  FROM (VALUES %(values)s)
                       AS v(account_id, revenue, order_count, year_revenue,
                            last_order_date)
                 WHERE p.commercial_partner_id = v.account_id
                """,
                key=key,
                values=values,
            )
        )

    @api.model
    def _write_tiers(self, company, updates):
        """Store new tiers (and review dates) of accounts and their contacts:
        one UPDATE per distinct (tier, review date)."""
        key = str(company.id)
        for (tier_id, review), account_ids in updates.items():
            self.env.execute_query(
                SQL(
                    """
                    UPDATE res_partner p
                       SET customer_tier_id = COALESCE(p.customer_tier_id, '{}'::jsonb)
                               || jsonb_build_object(%(key)s, %(tier)s::int),
                           next_review_date = COALESCE(p.next_review_date, '{}'::jsonb)
                               || jsonb_build_object(%(key)s, %(review)s::text)
                     WHERE p.commercial_partner_id = ANY(%(ids)s)
                    """,
                    key=key,
                    tier=tier_id or None,
                    review=fields.Date.to_string(review) if review else None,
                    ids=account_ids,
                )
            )

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
