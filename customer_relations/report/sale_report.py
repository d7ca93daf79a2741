from odoo import fields, models
from odoo.tools import SQL

GROUP_USER = "customer_relations.group_customer_relations_user"


class SaleReport(models.Model):
    _inherit = "sale.report"

    customer_tier_id = fields.Many2one("customer.tier", readonly=True)
    customer_tier_backfilled = fields.Boolean(
        string="Tier Filled at Installation",
        readonly=True,
        help="The order was confirmed before Customer Relations was installed: "
        "its tier was filled at the addon's installation from the tier its "
        "account had then, not known at confirmation.",
    )
    key_account_manager_id = fields.Many2one("res.users", readonly=True)
    customer_segment_id = fields.Many2one(
        "customer.segment", string="Market Segment", readonly=True, groups=GROUP_USER
    )
    # Counted distinct: the account (commercial entity) of the line, and the
    # account again when the order is its first confirmed one in the company.
    customer_account_count = fields.Integer(
        string="Accounts",
        readonly=True,
        aggregator="count_distinct",
        groups=GROUP_USER,
        help="Number of customer accounts (commercial entities) that bought.",
    )
    customer_new_account_count = fields.Integer(
        string="New Accounts",
        readonly=True,
        aggregator="count_distinct",
        groups=GROUP_USER,
        help="Accounts whose first confirmed order in the company is among these.",
    )
    customer_revenue_per_account = fields.Float(
        string="Revenue per Account",
        readonly=True,
        aggregator="avg",
        groups=GROUP_USER,
        help="Untaxed total divided by the number of accounts that bought.",
    )
    account_manager_id = fields.Many2one(
        "res.users",
        string="Sold by Account Manager",
        readonly=True,
        help="Who looked after the account when the order was confirmed.",
    )

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["customer_tier_id"] = "s.customer_tier_id"
        res["customer_tier_backfilled"] = "COALESCE(s.customer_tier_backfilled, FALSE)"
        res["key_account_manager_id"] = "partner.key_account_manager_id"
        res["customer_segment_id"] = "s.customer_segment_id"
        res["customer_account_count"] = "partner.commercial_partner_id"
        res["customer_new_account_count"] = """CASE WHEN s.state = 'sale'
            AND NOT EXISTS (
                SELECT 1 FROM sale_order first_so
                  JOIN res_partner first_p ON first_p.id = first_so.partner_id
                 WHERE first_p.commercial_partner_id = partner.commercial_partner_id
                   AND first_so.company_id = s.company_id
                   AND first_so.state = 'sale'
                   AND (first_so.date_order, first_so.id) < (s.date_order, s.id))
            THEN partner.commercial_partner_id END"""
        res["customer_revenue_per_account"] = "0.0"
        res["account_manager_id"] = "s.account_manager_id"
        return res

    def _read_group_select(self, aggregate_spec, query):
        """The revenue per account of a group: its untaxed total divided by
        the number of its accounts (as purchase.report averages prices)."""
        if aggregate_spec != "customer_revenue_per_account:avg":
            return super()._read_group_select(aggregate_spec, query)
        self.check_field_access_rights("read", ["customer_revenue_per_account"])
        return SQL(
            "COALESCE(SUM(%(total)s) / NULLIF(COUNT(DISTINCT %(account)s), 0), 0)",
            total=self._field_to_sql(self._table, "price_subtotal", query),
            account=self._field_to_sql(self._table, "commercial_partner_id", query),
        )

    def _group_by_sale(self):
        return (
            super()._group_by_sale()
            + """,
            s.customer_tier_id,
            s.customer_tier_backfilled,
            s.customer_segment_id,
            partner.key_account_manager_id,
            s.account_manager_id"""
        )
