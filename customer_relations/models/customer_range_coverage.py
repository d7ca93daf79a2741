from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .customer_tier import _pg_array

GROUP_MANAGER = "customer_relations.group_customer_relations_manager"
RANGE_CRON_CURSOR = "customer_relations.range_recompute_last_id"
# Accounts per batch of the nightly cron: one set-based statement each.
RANGE_BATCH_SIZE = 50000
# From this many accounts, the computation gets more memory for its
# aggregation of the order lines (for the rest of the transaction).
LARGE_BATCH = 10000
LARGE_BATCH_WORK_MEM = "64MB"


class CustomerRangeCoverage(models.Model):
    """What an account buys of each product family in one company: the
    revenue of the last 12 months, the last order, and whether the family is
    missing (never bought, or nothing in the last 12 months).

    One narrow row per account (commercial entity) with confirmed orders in
    the company, per family of the company. The rows are written set-based
    in SQL from the confirmed order lines: for the accounts of confirmed or
    cancelled orders at once, for every account by the nightly cron (the
    12-month window moves) and by "Recompute Now". A table rather than an SQL
    view: an account's Range tab reads its rows by index, where a view would
    aggregate the order lines of every account at each read of a row by id
    (see the README for the figures).
    """

    _name = "customer.range.coverage"
    _inherit = ["customer.account.mixin"]
    _description = "Customer Range Coverage"
    _account_field = "partner_id"
    _rec_name = "category_id"
    _order = "company_id, partner_id, is_missing desc, category_id"
    _check_company_auto = True
    # Rewritten by the computation, never by hand.
    _log_access = False

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
        help="The commercial entity: a company, or an individual without company.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, ondelete="cascade"
    )
    category_id = fields.Many2one(
        "product.category",
        string="Product Family",
        required=True,
        readonly=True,
        ondelete="cascade",
        help="A family of products: its products are those of the category and "
        "of its subcategories.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    revenue = fields.Monetary(
        string="Revenue (12 months)",
        readonly=True,
        help="Untaxed amount of the family's lines in the confirmed sale orders "
        "of the customer and its contacts over the last 365 days, in the "
        "company's currency.",
    )
    last_order_date = fields.Date(
        string="Last Order",
        readonly=True,
        help="Date of the last confirmed order with a product of the family.",
    )
    is_missing = fields.Boolean(
        string="Missing",
        readonly=True,
        help="The customer never bought this family, or not in the last 12 months.",
    )
    tier_id = fields.Many2one(
        "customer.tier",
        readonly=True,
        ondelete="set null",
        help="The customer's tier in the company when the range was computed.",
    )
    segment_id = fields.Many2one(
        "customer.segment",
        string="Market Segment",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The customer's market segment in the company when the range was "
        "computed.",
    )

    _sql_constraints = [
        (
            "partner_company_category_unique",
            "UNIQUE(partner_id, company_id, category_id)",
            "A customer has one range row per product family and company.",
        ),
    ]

    # ------------------------------------------------------------------
    # Families
    # ------------------------------------------------------------------

    @api.model
    def _families(self, companies=None):
        """``{company: product.category}``: the families chosen in the
        company's Settings, else the children of the root categories."""
        companies = companies or self.env["res.company"].sudo().search([])
        Category = self.env["product.category"].sudo()
        default = Category.search(
            [("parent_id", "!=", False), ("parent_id.parent_id", "=", False)]
        )
        return {
            company: company.sudo().customer_range_category_ids or default
            for company in companies
        }

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    @api.model
    def _recompute_accounts(self, account_ids=None, today=None):
        """Write the range of the given commercial entities (all of them when
        ``account_ids`` is None) in every company, in one statement.

        It sums the lines of the confirmed orders of each entity and its
        contacts by family (a line's family is the family that is its
        product's category or the nearest ancestor of it), converted into the
        company's currency at each order's own rate, inserts the rows that are
        new, updates those whose figures changed and deletes those of families
        no longer chosen or of accounts without confirmed orders left.
        Returns the number of rows written.
        """
        if account_ids is not None and not account_ids:
            return 0
        today = today or fields.Date.context_today(self)
        since = fields.Datetime.to_datetime(today - timedelta(days=365))
        self.env["sale.order.line"].flush_model(
            ["order_id", "product_id", "price_subtotal"]
        )
        self.env["sale.order"].flush_model(
            ["state", "partner_id", "company_id", "date_order", "currency_rate"]
        )
        self.env["res.partner"].flush_model(
            ["commercial_partner_id", "key_account_manager_id", "user_id"]
        )
        self.env["product.template"].flush_model(["categ_id"])
        self.env["product.category"].flush_model(["parent_path"])
        self.env["customer.tier.ranking"].flush_model(
            ["partner_id", "company_id", "tier_id", "segment_id"]
        )
        self.flush_model()
        family_company, family_id = [], []
        for company, families in self._families().items():
            family_company += [company.id] * len(families)
            family_id += families.ids
        if account_ids is None or len(account_ids) >= LARGE_BATCH:
            # grouping millions of order lines: in memory, not on disk
            self.env.cr.execute(SQL("SET LOCAL work_mem = %s", LARGE_BATCH_WORK_MEM))
        if account_ids is None:
            accounts = SQL("TRUE")
            rows = SQL("TRUE")
        else:
            ids = _pg_array(account_ids)
            accounts = SQL("p.commercial_partner_id = ANY(%s::int[])", ids)
            rows = SQL("c.partner_id = ANY(%s::int[])", ids)
        [(written,)] = self.env.execute_query(
            SQL(
                """
                WITH families AS (
                    SELECT f.company_id, f.category_id, pc.parent_path
                      FROM unnest(%(family_company)s::int[], %(family_id)s::int[])
                           AS f(company_id, category_id)
                      JOIN product_category pc ON pc.id = f.category_id
                ), category_family AS (
                    -- each category's nearest family (itself or an ancestor)
                    SELECT DISTINCT ON (f.company_id, pc.id)
                           f.company_id, pc.id AS categ_id, f.category_id
                      FROM product_category pc
                      JOIN families f ON starts_with(pc.parent_path, f.parent_path)
                     ORDER BY f.company_id, pc.id, length(f.parent_path) DESC
                ), product_family AS (
                    SELECT pp.id AS product_id, cf.company_id, cf.category_id
                      FROM product_product pp
                      JOIN product_template pt ON pt.id = pp.product_tmpl_id
                      JOIN category_family cf ON cf.categ_id = pt.categ_id
                ), orders AS (
                    SELECT so.id, so.company_id, so.date_order,
                           p.commercial_partner_id AS partner_id,
                           CASE COALESCE(so.currency_rate, 0)
                                WHEN 0 THEN 1.0 ELSE so.currency_rate END AS rate
                      FROM sale_order so
                      JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.state = 'sale' AND %(accounts)s
                ), figures AS (
                    SELECT o.partner_id, o.company_id, pf.category_id,
                           SUM(sol.price_subtotal / o.rate)
                               FILTER (WHERE o.date_order >= %(since)s) AS revenue,
                           MAX(o.date_order) AS last_order
                      FROM orders o
                      JOIN sale_order_line sol ON sol.order_id = o.id
                      JOIN product_family pf ON pf.product_id = sol.product_id
                                            AND pf.company_id = o.company_id
                     GROUP BY o.partner_id, o.company_id, pf.category_id
                ), account_company AS (
                    SELECT DISTINCT partner_id, company_id FROM orders
                ), computed AS (
                    SELECT a.partner_id, a.company_id, f.category_id,
                           ROUND(COALESCE(fg.revenue, 0), 2) AS revenue,
                           fg.last_order::date AS last_order_date,
                           fg.last_order IS NULL
                               OR fg.last_order < %(since)s AS is_missing,
                           COALESCE(acc.key_account_manager_id, acc.user_id)
                               AS account_manager_id,
                           r.tier_id, r.segment_id
                      FROM account_company a
                      JOIN families f ON f.company_id = a.company_id
                      JOIN res_partner acc ON acc.id = a.partner_id
                      LEFT JOIN figures fg ON fg.partner_id = a.partner_id
                                          AND fg.company_id = a.company_id
                                          AND fg.category_id = f.category_id
                      LEFT JOIN customer_tier_ranking r
                             ON r.partner_id = a.partner_id
                            AND r.company_id = a.company_id
                ), updated AS (
                    UPDATE customer_range_coverage c
                       SET revenue = n.revenue,
                           last_order_date = n.last_order_date,
                           is_missing = n.is_missing,
                           account_manager_id = n.account_manager_id,
                           tier_id = n.tier_id,
                           segment_id = n.segment_id
                      FROM computed n
                     WHERE c.partner_id = n.partner_id
                       AND c.company_id = n.company_id
                       AND c.category_id = n.category_id
                       AND (c.revenue, c.last_order_date, c.is_missing,
                            c.account_manager_id, c.tier_id, c.segment_id)
                           IS DISTINCT FROM
                           (n.revenue, n.last_order_date, n.is_missing,
                            n.account_manager_id, n.tier_id, n.segment_id)
                    RETURNING 1
                ), inserted AS (
                    -- new rows only: an INSERT … ON CONFLICT of every row
                    -- would use up an id of the sequence per row and run
                    INSERT INTO customer_range_coverage AS c
                           (partner_id, company_id, category_id, revenue,
                            last_order_date, is_missing, account_manager_id,
                            tier_id, segment_id)
                    SELECT n.partner_id, n.company_id, n.category_id, n.revenue,
                           n.last_order_date, n.is_missing, n.account_manager_id,
                           n.tier_id, n.segment_id
                      FROM computed n
                     WHERE NOT EXISTS (
                           SELECT 1 FROM customer_range_coverage c
                            WHERE c.partner_id = n.partner_id
                              AND c.company_id = n.company_id
                              AND c.category_id = n.category_id)
                        ON CONFLICT (partner_id, company_id, category_id) DO NOTHING
                    RETURNING 1
                ), deleted AS (
                    DELETE FROM customer_range_coverage c
                     WHERE %(rows)s
                       AND NOT EXISTS (
                           SELECT 1 FROM computed n
                            WHERE n.partner_id = c.partner_id
                              AND n.company_id = c.company_id
                              AND n.category_id = c.category_id)
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM updated)
                     + (SELECT count(*) FROM inserted)
                     + (SELECT count(*) FROM deleted)
                """,
                family_company=_pg_array(family_company),
                family_id=_pg_array(family_id),
                since=since,
                accounts=accounts,
                rows=rows,
            )
        )
        self.invalidate_model()
        self.env["res.partner"].invalidate_model(
            ["customer_range_coverage_ids", "customer_range_missing_count"],
            flush=False,
        )
        return written

    @api.model
    def _cron_customer_range_recompute(
        self, batch_size=RANGE_BATCH_SIZE, all_batches=False
    ):
        """Compute the range of one batch of accounts per call; the cron is
        called again while accounts remain."""
        Coverage = self.sudo()
        Partner = self.env["res.partner"].sudo()
        while True:
            remaining = Partner._process_account_batch(
                RANGE_CRON_CURSOR,
                batch_size,
                lambda accounts: Coverage._recompute_accounts(accounts.ids),
                self.env._("Range coverage"),
            )
            if not (all_batches and remaining):
                return remaining

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_recompute(self):
        """Compute the range of every account now (administrators)."""
        self.env["res.partner"].check_access("read")
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                self.env._(
                    "Only Customer Relations administrators may recompute the "
                    "range of every customer."
                )
            )
        self.sudo()._recompute_accounts()
        return {
            "type": "ir.actions.client",
            "tag": "soft_reload",
        }

    def action_offer(self):
        """Open the opportunity offering this missing family to the account:
        the open one if there is one, else a new one for the account manager.
        """
        self.ensure_one()
        self.check_access("read")
        Lead = self.env["crm.lead"].with_company(self.company_id)
        Lead.check_access("create")
        if not self.is_missing:
            raise UserError(
                self.env._(
                    "%(account)s already buys %(family)s: there is nothing to offer.",
                    account=self.partner_id.display_name,
                    family=self.category_id.display_name,
                )
            )
        # one offer at a time per account and family (a double click, two
        # users): the second waits for the first and finds its opportunity
        self.env.cr.execute(
            SQL(
                "SELECT id FROM customer_range_coverage WHERE id = %s FOR UPDATE",
                self.id,
            )
        )
        lead = self._open_offer()
        if not lead:
            manager = self.partner_id._get_account_manager()
            lead = Lead.create(
                {
                    "name": self.env._(
                        "%(family)s for %(account)s",
                        family=self.category_id.name,
                        account=self.partner_id.name,
                    ),
                    "type": "opportunity",
                    "partner_id": self.partner_id.id,
                    "user_id": manager.id,
                    "company_id": self.company_id.id,
                    "customer_range_category_id": self.category_id.id,
                }
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Opportunity"),
            "res_model": "crm.lead",
            "res_id": lead.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {"default_type": "opportunity"},
        }

    def _open_offer(self):
        """The open opportunity of the account for the family, whoever may
        see it (the offer must not be duplicated), if any."""
        self.ensure_one()
        return (
            self.env["crm.lead"]
            .sudo()
            .search(
                [
                    ("type", "=", "opportunity"),
                    ("partner_id", "child_of", self.partner_id.id),
                    ("customer_range_category_id", "=", self.category_id.id),
                    ("company_id", "in", [self.company_id.id, False]),
                    ("stage_id.is_won", "=", False),
                ],
                order="id",
                limit=1,
            )
            .with_env(self.env)
        )
