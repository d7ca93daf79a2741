from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .access_coverage import covers
from .common import CustomerRelationsCommon

TODAY = date(2026, 3, 16)
# the first instant of the 12 months: an order then still counts
SINCE = datetime(2025, 3, 16, 0, 0, 0)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCustomerRange(CustomerRelationsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Coverage = cls.env["customer.range.coverage"]
        cls.WhiteSpace = cls.env["customer.range.white.space"]
        Category = cls.env["product.category"]
        root = cls.env.ref("product.product_category_all")
        cls.furniture = Category.create(
            {"name": "Range Furniture", "parent_id": root.id}
        )
        cls.chairs = Category.create(
            {"name": "Range Chairs", "parent_id": cls.furniture.id}
        )
        cls.services = Category.create({"name": "Range Services", "parent_id": root.id})
        cls.garden = Category.create({"name": "Range Garden", "parent_id": root.id})
        Product = cls.env["product.product"]
        cls.chair = Product.create(
            {"name": "Range Chair", "categ_id": cls.chairs.id, "list_price": 100}
        )
        cls.study = Product.create(
            {"name": "Range Study", "categ_id": cls.services.id, "type": "service"}
        )
        cls.bench = Product.create({"name": "Range Bench", "categ_id": cls.garden.id})
        cls.families = cls.furniture + cls.services + cls.garden
        cls.env.company.customer_range_category_ids = cls.families
        cls.company_2.customer_range_category_ids = cls.furniture
        # the test accounts are a tier and a market segment of their own (the
        # segment is the white space's group)
        cls.tier = cls.env["customer.tier"].create(
            {"name": "Range Tier", "min_annual_revenue": 10**9}
        )
        cls.segment = cls.env["customer.segment"].create(
            {"name": "Range Segment", "rule_domain": "[('id', '=', 0)]"}
        )
        cls.env["customer.tier.ranking"].create(
            [
                {
                    "partner_id": account.id,
                    "tier_id": cls.tier.id,
                    "locked": True,
                    "lock_reason": "Range test",
                    "segment_id": cls.segment.id,
                    "segment_locked": True,
                    "segment_lock_reason": "Range test",
                }
                for account in cls.accounts
            ]
        )

    @classmethod
    def _order(cls, partner, product, amount, when, company=None):
        company = company or cls.env.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": 1,
                                "price_unit": amount,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        order.date_order = when
        return order

    def _recompute(self, partners=None, today=TODAY):
        accounts = partners.commercial_partner_id.ids if partners else None
        self.Coverage._recompute_accounts(accounts, today=today)

    def _rows(self, partner, company=None):
        rows = self.Coverage.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", (company or self.env.company).id),
            ]
        )
        return {row.category_id: row for row in rows}

    def test_12_month_boundary(self):
        """Bought on the first day of the 12 months: bought; the day before:
        no longer bought; never: missing without date. A product of a
        subcategory counts for its family; a contact's order for its company."""
        self._order(self.contact_own_kam, self.chair, 300.0, SINCE)
        self._order(
            self.account_own_kam, self.study, 500.0, SINCE - timedelta(seconds=1)
        )
        self._recompute(self.account_own_kam)
        rows = self._rows(self.account_own_kam)
        self.assertEqual(set(rows), set(self.families))
        furniture, services, garden = (
            rows[self.furniture],
            rows[self.services],
            rows[self.garden],
        )
        self.assertFalse(furniture.is_missing)
        self.assertEqual(furniture.revenue, 300.0)
        self.assertEqual(furniture.last_order_date, SINCE.date())
        self.assertTrue(services.is_missing)
        self.assertEqual(services.revenue, 0.0)
        self.assertEqual(services.last_order_date, SINCE.date() - timedelta(days=1))
        self.assertTrue(garden.is_missing)
        self.assertFalse(garden.last_order_date)
        self.assertEqual(furniture.account_manager_id, self.user_own)
        partner = self.account_own_kam.with_user(self.user_own)
        self.assertEqual(partner.customer_range_missing_count, 2)
        self.assertEqual(
            self.contact_own_kam.with_user(self.user_own).customer_range_coverage_ids,
            furniture + services + garden,
        )
        # a day later, the chair is 12 months and a day old
        self._recompute(self.account_own_kam, today=TODAY + timedelta(days=1))
        self.assertTrue(furniture.is_missing)
        self.assertEqual(furniture.revenue, 0.0)

    def test_confirmation_and_cancellation_update_the_range(self):
        order = self._order(
            self.account_own_sales, self.bench, 80.0, SINCE + timedelta(days=30)
        )
        # confirming computed the range already (dated today then)
        self.assertFalse(self._rows(self.account_own_sales)[self.garden].is_missing)
        order._action_cancel()
        self.assertFalse(self._rows(self.account_own_sales))

    def test_families_from_settings_or_root_children(self):
        self._order(self.account_own_kam, self.chair, 300.0, SINCE + timedelta(days=1))
        # no families chosen: the children of the root categories
        self.env.company.customer_range_category_ids = False
        self._recompute(self.account_own_kam)
        rows = self._rows(self.account_own_kam)
        self.assertTrue(set(self.families) <= set(rows))
        self.assertNotIn(self.chairs, rows)
        self.assertTrue(
            all(category.parent_id.parent_id.id is False for category in rows)
        )
        self.assertFalse(rows[self.furniture].is_missing)
        # families chosen, one inside another: a product counts for the nearest
        self.env.company.customer_range_category_ids = self.furniture + self.chairs
        self._recompute(self.account_own_kam)
        rows = self._rows(self.account_own_kam)
        self.assertEqual(set(rows), {self.furniture, self.chairs})
        self.assertFalse(rows[self.chairs].is_missing)
        self.assertTrue(rows[self.furniture].is_missing)

    def test_settings_threshold_refused_out_of_range(self):
        for value in (0, -5, 150):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                self.env.company.customer_range_white_space_threshold = value
        cron = self.env.ref("customer_relations.ir_cron_customer_range_recompute")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        settings = self.env["res.config.settings"].create(
            {"customer_range_category_ids": [Command.set(self.garden.ids)]}
        )
        settings.execute()
        self.assertEqual(self.env.company.customer_range_category_ids, self.garden)
        # the range of every account is computed again at once
        self.assertGreater(Trigger.search_count([("cron_id", "=", cron.id)]), triggers)

    @covers("customer.range.coverage", "action_offer")
    def test_offer_not_duplicated(self):
        self._order(self.account_own_kam, self.chair, 300.0, SINCE + timedelta(days=1))
        self._recompute(self.account_own_kam)
        rows = self._rows(self.account_own_kam)
        garden = rows[self.garden].with_user(self.user_own)
        action = garden.action_offer()
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(lead.type, "opportunity")
        self.assertIn("Range Garden", lead.name)
        self.assertEqual(lead.partner_id, self.account_own_kam)
        self.assertEqual(lead.user_id, self.user_own)
        self.assertEqual(lead.customer_range_category_id, self.garden)
        # again, also by another user: the open opportunity
        self.assertEqual(garden.action_offer()["res_id"], lead.id)
        other = rows[self.garden].with_user(self.user_all).action_offer()
        self.assertEqual(other["res_id"], lead.id)
        # lost: a new offer is a new opportunity
        lead.action_set_lost()
        new = garden.action_offer()["res_id"]
        self.assertNotEqual(new, lead.id)
        # a family the account buys is not offered
        with self.assertRaises(UserError):
            rows[self.furniture].with_user(self.user_own).action_offer()
        # nor the range of another manager's account, nor by portal or
        # other users
        self._order(
            self.account_other_kam, self.chair, 300.0, SINCE + timedelta(days=1)
        )
        self._recompute(self.account_other_kam)
        theirs = self._rows(self.account_other_kam)[self.garden]
        for user in (self.user_own, self.user_none, self.user_portal):
            with (
                self.subTest(user=user.login),
                self.assertRaises(AccessError),
                mute_logger("odoo.addons.base.models.ir_rule"),
            ):
                theirs.with_user(user).action_offer()
        self.assertFalse(
            self.env["crm.lead"].search(
                [
                    ("partner_id", "=", self.account_other_kam.id),
                    ("customer_range_category_id", "!=", False),
                ]
            )
        )

    @covers("customer.range.white.space", "action_offer")
    def test_white_space_threshold(self):
        """Three accounts of four (same segment) buy services: white space
        for the fourth up to a threshold of 75%."""
        buyers = self.account_own_kam + self.account_own_sales + self.account_other_kam
        for account in buyers:
            self._order(account, self.study, 100.0, SINCE + timedelta(days=10))
        self._order(
            self.account_unassigned, self.chair, 100.0, SINCE + timedelta(days=10)
        )
        self._recompute(buyers + self.account_unassigned)
        domain = [("partner_id", "in", (buyers + self.account_unassigned).ids)]
        spaces = self.WhiteSpace.search(domain)
        # furniture: 1 in 4 buy it (25%); garden: nobody; services: 75%
        self.assertEqual(spaces.partner_id, self.account_unassigned)
        self.assertEqual(spaces.category_id, self.services)
        self.assertEqual(spaces.group_share, 75.0)
        self.assertEqual(spaces.group_size, 4)
        self.assertEqual(spaces.segment_id, self.segment)
        self.assertEqual(
            self.Coverage.search([("segment_id", "=", self.segment.id)]).partner_id,
            buyers + self.account_unassigned,
        )
        self.env.company.customer_range_white_space_threshold = 75
        self.assertEqual(len(self.WhiteSpace.search(domain)), 1)
        self.env.company.customer_range_white_space_threshold = 76
        self.assertFalse(self.WhiteSpace.search(domain))
        self.env.company.customer_range_white_space_threshold = 20
        spaces = self.WhiteSpace.search(domain)
        self.assertEqual(len(spaces), 4)  # 3 furniture + 1 services
        # Offer from the list: the "all accounts" user may, the owner of
        # other accounts may not see it
        space = spaces.filtered(lambda s: s.category_id == self.services)
        action = space.with_user(self.user_all).action_offer()
        self.assertEqual(
            self.env["crm.lead"].browse(action["res_id"]).partner_id,
            self.account_unassigned,
        )
        with (
            self.assertRaises(AccessError),
            mute_logger("odoo.addons.base.models.ir_rule"),
        ):
            space.with_user(self.user_own).action_offer()
        own = self.WhiteSpace.with_user(self.user_own).search(domain)
        self.assertEqual(own.partner_id, self.account_own_kam + self.account_own_sales)
        # outside every segment: no group, no white space
        self.env["customer.tier.ranking"].search(
            [("partner_id", "=", self.account_unassigned.id)]
        ).write({"segment_id": False, "segment_locked": False})
        self._recompute(self.account_unassigned)
        self.assertFalse(
            self.WhiteSpace.search([("partner_id", "=", self.account_unassigned.id)])
        )

    @covers("customer.range.coverage", "action_recompute")
    def test_access_by_role(self):
        self._order(self.account_own_kam, self.chair, 300.0, SINCE + timedelta(days=1))
        self._order(
            self.account_other_kam, self.chair, 300.0, SINCE + timedelta(days=1)
        )
        self._recompute()
        accounts = self.account_own_kam + self.account_other_kam
        domain = [("partner_id", "in", accounts.ids)]
        own = self.Coverage.with_user(self.user_own).search(domain)
        self.assertEqual(own.partner_id, self.account_own_kam)
        self.assertEqual(
            self.account_other_kam.with_user(self.user_own).customer_range_coverage_ids,
            self.Coverage,
        )
        for user in (self.user_all, self.user_manager):
            self.assertEqual(
                self.Coverage.with_user(user).search(domain).partner_id, accounts
            )
        for user in (self.user_none, self.user_portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Coverage.with_user(user).search_read(domain, ["revenue"])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.WhiteSpace.with_user(user).search_read([], ["partner_id"])
        row = own[:1]
        # figures are the computation's: nobody writes, creates or deletes them
        for user in (self.user_own, self.user_all, self.user_manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                row.with_user(user).write({"revenue": 1.0, "is_missing": False})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Coverage.with_user(user).create(
                    {
                        "partner_id": self.account_own_kam.id,
                        "company_id": self.env.company.id,
                        "category_id": self.chairs.id,
                    }
                )
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                row.with_user(user).unlink()
        # only administrators recompute everything
        for user in (self.user_own, self.user_all, self.user_none, self.user_portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Coverage.with_user(user).action_recompute()
        self.env["sale.order"].search(
            [("partner_id", "=", self.account_other_kam.id)]
        )._action_cancel()
        self.Coverage.with_user(self.user_manager).action_recompute()
        self.assertEqual(self.Coverage.search(domain).partner_id, self.account_own_kam)
        # the families and the threshold are the company's settings
        for user in (self.user_own, self.user_all):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env.company.with_user(user).write(
                    {"customer_range_category_ids": [Command.set(self.garden.ids)]}
                )

    def test_multi_company(self):
        self._order(self.account_own_kam, self.chair, 300.0, SINCE + timedelta(days=1))
        self._order(
            self.account_own_kam,
            self.bench,
            200.0,
            SINCE + timedelta(days=1),
            company=self.company_2,
        )
        self._recompute(self.account_own_kam)
        rows_2 = self._rows(self.account_own_kam, self.company_2)
        # company 2 offers furniture only: the bench of company 2 is no family
        self.assertEqual(set(rows_2), {self.furniture})
        self.assertTrue(rows_2[self.furniture].is_missing)
        self.assertFalse(self._rows(self.account_own_kam)[self.furniture].is_missing)
        # a user of the first company only does not see company 2's range
        user = self.user_own.with_user(self.user_own)
        self.assertNotIn(self.company_2, user.company_ids)
        seen = self.Coverage.with_user(self.user_own).search(
            [("partner_id", "=", self.account_own_kam.id)]
        )
        self.assertEqual(seen.company_id, self.env.company)
        # in company 2, the tab shows company 2's families
        self.user_own.company_ids |= self.company_2
        partner = self.account_own_kam.with_user(self.user_own).with_company(
            self.company_2
        )
        self.assertEqual(
            partner.customer_range_coverage_ids.category_id, self.furniture
        )
        self.assertEqual(partner.customer_range_missing_count, 1)

    def test_range_tab_reads_in_constant_queries(self):
        """The Range tab of an account with many families reads in as many
        queries as the one of an account with one."""
        Category = self.env["product.category"]
        root = self.env.ref("product.product_category_all")
        many = Category.create(
            [{"name": f"Range Family {i}", "parent_id": root.id} for i in range(20)]
        )
        self._order(self.account_own_kam, self.chair, 300.0, SINCE + timedelta(days=1))
        self._order(
            self.account_own_sales, self.chair, 300.0, SINCE + timedelta(days=1)
        )
        spec = {
            "customer_range_missing_count": {},
            "customer_range_coverage_ids": {
                "fields": {
                    "category_id": {"fields": {"display_name": {}}},
                    "revenue": {},
                    "last_order_date": {},
                    "is_missing": {},
                }
            },
        }

        def queries(partner, families):
            self.env.company.customer_range_category_ids = families
            self._recompute(partner)
            self.env.invalidate_all()
            partner = partner.with_user(self.user_own)
            before = self.env.cr.sql_log_count
            result = partner.web_read(spec)
            return self.env.cr.sql_log_count - before, result

        queries(self.account_own_kam, self.furniture)  # warm the caches
        few, small = queries(self.account_own_kam, self.furniture)
        more, big = queries(self.account_own_sales, self.furniture + many)
        self.assertEqual(len(small[0]["customer_range_coverage_ids"]), 1)
        self.assertEqual(len(big[0]["customer_range_coverage_ids"]), 21)
        self.assertEqual(few, more)

    def test_cron_in_batches(self):
        self._order(self.account_own_kam, self.chair, 300.0, SINCE + timedelta(days=1))
        self._order(
            self.account_other_kam, self.study, 300.0, SINCE + timedelta(days=1)
        )
        self.Coverage.search([]).sudo().unlink()
        self.Coverage._cron_customer_range_recompute(batch_size=2, all_batches=True)
        self.assertEqual(
            len(self._rows(self.account_own_kam))
            + len(self._rows(self.account_other_kam)),
            6,
        )
        self.assertEqual(
            self.env["ir.config_parameter"].get_param(
                "customer_relations.range_recompute_last_id"
            ),
            "0",
        )

    def test_new_account_manager_sees_the_range(self):
        """The rows follow the account's manager at once, not at the next
        computation."""
        self._order(self.account_own_kam, self.chair, 300.0, SINCE + timedelta(days=1))
        domain = [("partner_id", "=", self.account_own_kam.id)]
        self.assertTrue(self.Coverage.with_user(self.user_own).search(domain))
        self.account_own_kam.key_account_manager_id = self.user_all
        rows = self.Coverage.search(domain)
        self.assertEqual(rows.account_manager_id, self.user_all)
        self.assertFalse(self.Coverage.with_user(self.user_own).search(domain))
