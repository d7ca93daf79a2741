from odoo import fields, models
from odoo.tools import SQL

# The column of customer_range_coverage whose accounts form a group: a family
# most of a group buys is white space for the group's accounts that do not.
# Groups are the market segments, per company and family; accounts outside
# every segment belong to no group.
WHITE_SPACE_GROUP = "segment_id"


class CustomerRangeWhiteSpace(models.Model):
    """The families an account does not buy although most accounts of its
    group (market segment) buy them: at least the company's threshold
    (Settings) of the segment's accounts bought the family in the last 12
    months.

    Read from the range coverage rows by one SQL query (a window over the
    accounts of each group and family): nothing stored, always as the
    coverage is.
    """

    _name = "customer.range.white.space"
    _description = "Customer Range White Space"
    _auto = False
    _rec_name = "category_id"
    _order = "group_share desc, partner_id, category_id"

    coverage_id = fields.Many2one(
        "customer.range.coverage", string="Range Row", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    category_id = fields.Many2one(
        "product.category", string="Product Family", readonly=True
    )
    tier_id = fields.Many2one("customer.tier", readonly=True)
    segment_id = fields.Many2one(
        "customer.segment", string="Market Segment", readonly=True
    )
    account_manager_id = fields.Many2one("res.users", readonly=True)
    last_order_date = fields.Date(
        string="Last Order",
        readonly=True,
        help="The account's last order of the family, more than 12 months ago; "
        "empty if it never bought it.",
    )
    group_size = fields.Integer(
        string="Accounts in Segment",
        readonly=True,
        aggregator="max",
        help="Accounts of the company in the same market segment.",
    )
    group_share = fields.Float(
        string="Segment Buying (%)",
        readonly=True,
        aggregator="max",
        help="Share of the segment's accounts that bought the family in the last "
        "12 months.",
    )

    @property
    def _table_query(self):
        # the rows are read from these tables: their pending writes first
        self.env["customer.range.coverage"].flush_model()
        self.env["res.company"].flush_model(["customer_range_white_space_threshold"])
        group = SQL.identifier("c", WHITE_SPACE_GROUP)
        return SQL(
            """
            SELECT s.*
              FROM (
                  SELECT c.id, c.id AS coverage_id, c.partner_id, c.company_id,
                         c.category_id, c.tier_id, c.segment_id,
                         c.account_manager_id,
                         c.last_order_date, c.is_missing,
                         count(*) OVER grp AS group_size,
                         ROUND(100.0 * count(*) FILTER (WHERE NOT c.is_missing)
                               OVER grp / count(*) OVER grp, 2) AS group_share
                    FROM customer_range_coverage c
                   WHERE %(group)s IS NOT NULL
                  WINDOW grp AS (PARTITION BY c.company_id, %(group)s, c.category_id)
              ) s
              JOIN res_company co ON co.id = s.company_id
             WHERE s.is_missing
               AND s.group_share >= co.customer_range_white_space_threshold
            """,
            group=group,
        )

    def action_offer(self):
        """Offer the family to the account (see the range row's Offer)."""
        self.ensure_one()
        self.check_access("read")
        return self.coverage_id.action_offer()
