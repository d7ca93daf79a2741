from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.customer_relations.hooks import post_init_hook

from .test_customer_tier import TODAY, CustomerTierCommon

PROTECTED = "set by Customer Relations"


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestInstallHistory(CustomerTierCommon):
    """Installation into a database with years of orders: the hook ranks
    every account and fills the tier of the orders confirmed before the
    addon existed, marked as filled at installation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.company_ids |= cls.company_2
        cls.tier_2 = cls.env["customer.tier"].create(
            {
                "name": "Company 2 Top",
                "company_id": cls.company_2.id,
                "min_annual_revenue": 100,
            }
        )
        # Gold: 12,000 over two orders, one of them by a contact
        cls.order_gold = cls._order(cls.customer, 6000, days_ago=400)
        cls.order_gold_contact = cls._order(cls.customer_contact, 6000, days_ago=30)
        cls.order_gold_2 = cls._order(cls.customer, 6000, days_ago=20)
        # the same account in the second company: its tier there
        cls.order_company_2 = cls._order(
            cls.customer, 200, days_ago=10, company_id=cls.company_2.id
        )
        # Silver, sold by user_own
        cls.order_silver = cls._order(
            cls.account_own_kam, 1500, days_ago=5, user_id=cls.user_own.id
        )
        # an account under every threshold: no tier to fill
        cls.order_no_tier = cls._order(cls.account_unassigned, 500, days_ago=5)
        # orders that are not confirmed
        cls.order_draft = cls._order(cls.customer, 3000, confirm=False)
        cls.order_cancelled = cls._order(cls.customer, 3000)
        cls.order_cancelled._action_cancel()
        # an order confirmed after the installation: its tier was known
        cls.order_known = cls._order(
            cls.customer, 100, days_ago=2, user_id=cls.user_own.id
        )
        history = (
            cls.order_gold
            + cls.order_gold_contact
            + cls.order_gold_2
            + cls.order_company_2
            + cls.order_silver
            + cls.order_no_tier
            + cls.order_draft
            + cls.order_cancelled
        )
        cls.env.flush_all()
        # Before the addon existed: no tier on those orders, no account ranked.
        cls.env.cr.execute(
            SQL(
                "UPDATE sale_order SET customer_tier_id = NULL, "
                "customer_tier_backfilled = NULL WHERE id = ANY(%s)",
                history.ids,
            )
        )
        cls.env.cr.execute(
            SQL(
                "UPDATE sale_order SET customer_tier_id = %s WHERE id = %s",
                cls.tier_silver.id,
                cls.order_known.id,
            )
        )
        cls.env.cr.execute("DELETE FROM customer_tier_ranking")
        cls.env.invalidate_all()
        cls.orders = history + cls.order_known

    def test_accounts_ranked_and_orders_filled(self):
        self.assertFalse(self.customer.customer_tier_id, "not ranked yet")
        post_init_hook(self.env)
        self.assertEqual(self.customer.customer_tier_id, self.tier_gold)
        self.assertEqual(self.account_own_kam.customer_tier_id, self.tier_silver)
        self.assertEqual(
            self.customer.with_company(self.company_2).customer_tier_id, self.tier_2
        )
        filled = (
            self.order_gold
            + self.order_gold_contact
            + self.order_gold_2
            + self.order_company_2
            + self.order_silver
        )
        self.assertEqual(
            self.orders.filtered("customer_tier_backfilled"),
            filled,
            "only the confirmed orders that had no tier are marked",
        )
        # the account's tier at installation, also for an order of last year
        # and for the order of a contact
        self.assertEqual(
            (self.order_gold + self.order_gold_contact + self.order_gold_2).mapped(
                "customer_tier_id"
            ),
            self.tier_gold,
        )
        self.assertEqual(self.order_silver.customer_tier_id, self.tier_silver)

    def test_second_company_gets_its_own_ranking(self):
        post_init_hook(self.env)
        self.assertEqual(self.order_company_2.customer_tier_id, self.tier_2)
        self.assertTrue(self.order_company_2.customer_tier_backfilled)

    def test_orders_left_alone(self):
        post_init_hook(self.env)
        for order in self.order_draft + self.order_cancelled + self.order_no_tier:
            with self.subTest(order=order.name, state=order.state):
                self.assertFalse(order.customer_tier_id)
                self.assertFalse(order.customer_tier_backfilled)
        # a tier known at confirmation is kept, even if the account moved
        self.assertEqual(self.order_known.customer_tier_id, self.tier_silver)
        self.assertFalse(self.order_known.customer_tier_backfilled)

    def test_twice_fills_nothing_more(self):
        filled = post_init_hook(self.env)
        self.assertGreaterEqual(filled, 5)
        self.assertEqual(post_init_hook(self.env), 0)
        self.assertEqual(self.order_gold.customer_tier_id, self.tier_gold)
        self.assertTrue(self.order_gold.customer_tier_backfilled)

    def test_in_batches(self):
        Order = self.env["sale.order"]
        filled = Order._backfill_customer_tier()
        self.assertEqual(filled, 0, "no account ranked yet: no tier to fill")
        self.env["res.partner"]._cron_customer_tier_recompute(all_batches=True)
        [(candidates,)] = self.env.execute_query(
            SQL(
                "SELECT count(*) FROM sale_order "
                "WHERE state = 'sale' AND customer_tier_id IS NULL"
            )
        )
        # one query for the orders, then one per batch, whatever their size
        with self.assertQueryCount(1 + (candidates + 1) // 2):
            filled = Order._backfill_customer_tier(batch_size=2)
        self.assertGreaterEqual(filled, 5)
        self.assertEqual(self.order_silver.customer_tier_id, self.tier_silver)
        self.assertTrue(self.order_silver.customer_tier_backfilled)

    def test_revenue_by_tier_report(self):
        post_init_hook(self.env)
        Report = self.env["sale.report"]
        accounts = [("commercial_partner_id", "in", self.customer.ids)]
        groups = Report._read_group(
            [*accounts, ("state", "=", "sale")],
            ["customer_tier_backfilled", "customer_tier_id"],
            ["__count"],
        )
        self.assertEqual(
            sorted(
                (backfilled, tier.name, count) for backfilled, tier, count in groups
            ),
            [(False, "Silver", 1), (True, "Company 2 Top", 1), (True, "Gold", 3)],
        )
        self.assertEqual(
            Report.search_count([*accounts, ("customer_tier_backfilled", "=", True)]),
            4,
        )
        search = Report.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn('name="customer_tier_backfilled"', search)
        self.assertIn('name="group_customer_tier_backfilled"', search)

    def test_marker_shown_on_the_order_form(self):
        post_init_hook(self.env)
        form = (
            self.env["sale.order"]
            .with_user(self.user_own)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="customer_tier_backfilled"', form)
        self.assertIn("Tier filled at installation", form)

    @mute_logger("odoo.models")
    def test_marker_cannot_be_set_by_users(self):
        post_init_hook(self.env)
        order = self.order_silver.with_user(self.user_own)
        self.assertTrue(order.customer_tier_backfilled, "user_own reads it")
        order.write({"customer_tier_backfilled": True})  # what the form sends back
        with self.assertRaisesRegex(AccessError, PROTECTED):
            order.write({"customer_tier_backfilled": False})
        with self.assertRaisesRegex(AccessError, PROTECTED):
            self.order_known.with_user(self.user_own).write(
                {"customer_tier_backfilled": True}
            )
        with self.assertRaisesRegex(AccessError, PROTECTED):
            self.env["sale.order"].with_user(self.user_own).create(
                {
                    "partner_id": self.account_own_kam.id,
                    "customer_tier_backfilled": True,
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )
        self.assertTrue(self.order_silver.customer_tier_backfilled)
        self.assertFalse(self.order_known.customer_tier_backfilled)
