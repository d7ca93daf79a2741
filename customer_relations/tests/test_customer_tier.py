import importlib.util
from datetime import timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools import SQL, file_path, mute_logger, sql

from .common import CustomerRelationsCommon

TODAY = "2026-06-15"


class CustomerTierCommon(CustomerRelationsCommon):
    """Two tiers of our own (the shipped ones are archived) and a helper that
    makes confirmed orders of a given untaxed amount and age."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tier = cls.env["customer.tier"]
        Tier.search([]).active = False
        cls.tier_gold = Tier.create(
            {
                "name": "Gold",
                "sequence": 1,
                "min_annual_revenue": 10000,
                "min_order_count": 2,
                "bonus_rate": 2.0,
                "review_interval_months": 6,
            }
        )
        cls.tier_silver = Tier.create(
            {
                "name": "Silver",
                "sequence": 2,
                "min_annual_revenue": 1000,
                "review_interval_months": 12,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tiered Customer", "is_company": True}
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Tia Contact", "parent_id": cls.customer.id}
        )
        cls.product.taxes_id = False

    @classmethod
    def _order(cls, partner, amount, days_ago=1, confirm=True, **values):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
                **values,
            }
        )
        if confirm:
            order.action_confirm()
        order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    def _rank(self, partners=None):
        accounts = (partners or self.customer).commercial_partner_id
        self.env["customer.tier"]._recompute_accounts(accounts.ids)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCustomerTierRanking(CustomerTierCommon):
    def test_threshold_boundaries(self):
        self._order(self.customer, 999.99)
        self._rank()
        self.assertFalse(self.customer.customer_tier_id, "under every threshold")
        self._order(self.customer, 0.01)
        self._rank()
        self.assertEqual(self.customer.annual_revenue, 1000.0)
        self.assertEqual(self.customer.customer_tier_id, self.tier_silver)
        # Gold needs 10,000 and 2 orders: the revenue alone is not enough
        self._order(self.customer, 9000)
        self._rank()
        self.assertEqual(self.customer.annual_order_count, 3)
        self.assertEqual(self.customer.customer_tier_id, self.tier_gold)

    def test_order_count_condition(self):
        self._order(self.customer, 20000)
        self._rank()
        self.assertEqual(
            self.customer.customer_tier_id, self.tier_silver, "one order is not two"
        )

    def test_365_day_window(self):
        self._order(self.customer, 1000, days_ago=365)
        self._rank()
        self.assertEqual(self.customer.annual_revenue, 1000.0, "day 365 counts")
        self.customer.customer_tier_locked = False
        with freeze_time(fields.Date.from_string(TODAY) + timedelta(days=1)):
            self.env.invalidate_all()
            self._rank()
            self.assertEqual(self.customer.annual_revenue, 0.0, "day 366 does not")
            self.assertEqual(self.customer.annual_order_count, 0)
            self.assertEqual(
                self.customer.last_order_date,
                fields.Date.from_string(TODAY) - timedelta(days=365),
            )

    def test_draft_and_cancelled_orders_excluded(self):
        self._order(self.customer, 5000, confirm=False)
        cancelled = self._order(self.customer, 5000)
        cancelled._action_cancel()
        self._rank()
        self.assertEqual(self.customer.annual_revenue, 0.0)
        self.assertFalse(self.customer.customer_tier_id)

    def test_contacts_orders_count_for_their_company(self):
        self._order(self.customer, 600)
        self._order(self.customer_contact, 600)
        self._rank(self.customer_contact)
        self.assertEqual(self.customer.annual_revenue, 1200.0)
        self.assertEqual(self.customer.annual_order_count, 2)
        self.assertEqual(self.customer.customer_tier_id, self.tier_silver)
        self.assertEqual(
            self.customer_contact.customer_tier_id,
            self.tier_silver,
            "contacts show their company's tier",
        )
        self.assertEqual(self.customer_contact.annual_revenue, 1200.0)

    def test_two_currencies(self):
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR", "currency_id": eur.id}
        )
        order = self._order(self.customer, 1500, pricelist_id=pricelist.id)
        self.assertEqual(order.currency_id, eur)
        self._order(self.customer, 250)
        self._rank()
        # 1,500 EUR at 2 EUR per USD is 750 USD, plus 250 USD
        self.assertAlmostEqual(self.customer.annual_revenue, 1000.0)
        self.assertEqual(self.customer.customer_tier_id, self.tier_silver)

    def test_year_revenue_and_bonus(self):
        self._order(self.customer, 8000, days_ago=200)  # last year
        self._order(self.customer, 4000, days_ago=10)  # this year
        self._rank()
        self.assertEqual(self.customer.customer_tier_id, self.tier_gold)
        self.assertEqual(self.customer.year_revenue, 4000.0)
        self.assertAlmostEqual(self.customer.customer_bonus_accrued, 80.0)

    def test_upgrade_at_once_downgrade_waits_for_review(self):
        self._order(self.customer, 6000, days_ago=300)
        self._order(self.customer, 6000, days_ago=100)
        self._rank()
        self.assertEqual(self.customer.customer_tier_id, self.tier_gold)
        review = fields.Date.from_string(TODAY) + timedelta(days=183)
        self.assertEqual(self.customer.next_review_date, review)
        # 120 days later the first order left the window: Silver, but not yet
        later = fields.Date.from_string(TODAY) + timedelta(days=120)
        with freeze_time(later):
            self._rank()
            self.assertEqual(self.customer.annual_order_count, 1)
            self.assertEqual(
                self.customer.customer_tier_id, self.tier_gold, "waits for review"
            )
        with freeze_time(review):
            self._rank()
            self.assertEqual(self.customer.customer_tier_id, self.tier_silver)
        history = self.customer.customer_tier_history_ids
        self.assertEqual(
            history.mapped("new_tier_id"), self.tier_silver + self.tier_gold
        )
        self.assertTrue(all(history.mapped("automatic")))
        self.assertEqual(history[0].old_tier_id, self.tier_gold)
        self.assertEqual(history[0].annual_revenue, 6000.0)
        self.assertEqual(history[1].annual_revenue, 12000.0)

    def test_locked_tier_is_left_alone(self):
        self.customer.with_user(self.user_manager).write(
            {
                "customer_tier_id": self.tier_gold.id,
                "customer_tier_locked": True,
                "customer_tier_lock_reason": "Framework contract",
            }
        )
        self._order(self.customer, 50)
        self._rank()
        self.assertEqual(self.customer.customer_tier_id, self.tier_gold)
        self.assertEqual(self.customer.annual_revenue, 50.0, "figures still follow")
        history = self.customer.customer_tier_history_ids
        self.assertEqual(len(history), 1)
        self.assertFalse(history.automatic)
        self.assertEqual(history.user_id, self.user_manager)
        self.assertEqual(history.reason, "Framework contract")
        # unlocked, the ranking takes over again (a downgrade waits for the review)
        self.customer.with_user(self.user_manager).customer_tier_locked = False
        self._rank()
        self.assertFalse(self.customer.customer_tier_id)

    def test_manual_tier_needs_lock_and_reason(self):
        customer = self.customer.with_user(self.user_manager)
        with self.assertRaisesRegex(UserError, "locked"):
            customer.customer_tier_id = self.tier_gold
        with self.assertRaisesRegex(ValidationError, "reason"):
            customer.write(
                {"customer_tier_id": self.tier_gold.id, "customer_tier_locked": True}
            )
        self.assertFalse(self.customer.customer_tier_id, "nothing half-saved")

    def test_set_tier_wizard(self):
        wizard = Form(
            self.env["customer.tier.assign"]
            .with_user(self.user_manager)
            .with_context(
                default_partner_id=self.customer_contact.id,
                default_tier_id=self.tier_silver.id,
            )
        )
        self.assertEqual(
            wizard.partner_id, self.customer, "the account, not the contact"
        )
        wizard.reason = "Agreed at the annual review"
        wizard.save().action_apply()
        self.assertEqual(self.customer.customer_tier_id, self.tier_silver)
        self.assertTrue(self.customer.customer_tier_locked)
        self.assertEqual(self.customer_contact.customer_tier_id, self.tier_silver)

    def test_per_company_ranking(self):
        company_2 = self.company_2
        self.env.user.company_ids |= company_2
        tier_2 = self.env["customer.tier"].create(
            {
                "name": "Company 2 Top",
                "company_id": company_2.id,
                "min_annual_revenue": 100,
            }
        )
        self._order(self.customer, 20000, days_ago=5)
        self._order(self.customer, 20000, days_ago=4)
        self._order(self.customer, 200, company_id=company_2.id)
        self._rank()
        self.assertEqual(self.customer.customer_tier_id, self.tier_gold)
        self.assertEqual(self.customer.annual_revenue, 40000.0)
        customer_2 = self.customer.with_company(company_2)
        self.assertEqual(customer_2.customer_tier_id, tier_2)
        self.assertEqual(customer_2.annual_revenue, 200.0)
        self.assertEqual(
            self.env["res.partner"]
            .with_company(company_2)
            .search([("customer_tier_id", "=", tier_2.id)]),
            self.customer + self.customer_contact,
        )

    def test_kanban_columns_are_the_tiers(self):
        self._order(self.customer, 2000)
        self._rank()
        groups = self.env["res.partner"].web_read_group(
            [("id", "in", self.customer.ids)],
            ["customer_tier_id"],
            ["customer_tier_id"],
        )["groups"]
        counts = {
            group["customer_tier_id"] and group["customer_tier_id"][0]: group[
                "customer_tier_id_count"
            ]
            for group in groups
        }
        self.assertEqual(counts[self.tier_gold.id], 0, "empty tiers are columns too")
        self.assertEqual(counts[self.tier_silver.id], 1)

    def test_cron_in_batches(self):
        customers = self.env["res.partner"].create(
            [{"name": f"Batch {i}", "is_company": True} for i in range(3)]
        )
        for customer in customers:
            self._order(customer, 1500)
        Partner = self.env["res.partner"]
        params = self.env["ir.config_parameter"].sudo()
        params.set_param(
            "customer_relations.tier_recompute_last_id", customers[0].id - 1
        )
        remaining = Partner._cron_customer_tier_recompute(batch_size=2)
        self.assertEqual(customers.mapped("customer_tier_id.name"), ["Silver"])
        self.assertFalse(customers[2].customer_tier_id, "not in the first batch")
        self.assertGreater(remaining, 0)
        while remaining:
            remaining = Partner._cron_customer_tier_recompute(batch_size=2)
        self.assertEqual(customers[2].customer_tier_id, self.tier_silver)
        self.assertEqual(
            params.get_param("customer_relations.tier_recompute_last_id"), "0"
        )
        # once everyone is ranked, another full run changes nothing
        Partner._cron_customer_tier_recompute(all_batches=True)
        history = self.env["customer.tier.history"].search_count([])
        Partner._cron_customer_tier_recompute(all_batches=True)
        self.assertEqual(self.env["customer.tier.history"].search_count([]), history)

    def test_batch_queries_do_not_grow_with_orders(self):
        customers = self.env["res.partner"].create(
            [{"name": f"Q {i}", "is_company": True} for i in range(4)]
        )
        self._order(customers[0], 1500)
        self.env.flush_all()
        Tier = self.env["customer.tier"]
        with self.assertQueryCount(__system__=10):
            Tier._recompute_accounts(customers[:2].ids)
        for customer in customers[2:]:
            for _i in range(3):
                self._order(customer, 1500)
        self.env.flush_all()
        with self.assertQueryCount(__system__=10):
            Tier._recompute_accounts(customers[2:].ids)

    def test_reading_tier_fields_of_many_partners(self):
        partners = self.env["res.partner"].create(
            [{"name": f"R {i}", "is_company": True} for i in range(20)]
        )
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=3):
            partners.read(
                [
                    "customer_tier_id",
                    "annual_revenue",
                    "annual_order_count",
                    "customer_bonus_accrued",
                    "next_review_date",
                ]
            )


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCustomerTierRankingStorage(CustomerTierCommon):
    """The tier and figures live on one narrow ranking row per account and
    company; the partner reads, searches, groups and sorts them through it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.big = Partner.create({"name": "Big Buyer", "is_company": True})
        cls.small = Partner.create({"name": "Small Buyer", "is_company": True})
        cls.unranked = Partner.create({"name": "Never Bought", "is_company": True})
        cls.partners = cls.big + cls.small + cls.unranked
        cls._order(cls.big, 8000, days_ago=30)
        cls._order(cls.big, 7000, days_ago=20)
        cls._order(cls.small, 1200)
        cls.env["customer.tier"]._recompute_accounts((cls.big + cls.small).ids)

    def test_one_row_per_account_and_company(self):
        self._order(self.customer_contact, 1500)
        self._rank()
        rankings = self.env["customer.tier.ranking"].search(
            [("partner_id", "in", (self.customer | self.customer_contact).ids)]
        )
        self.assertEqual(rankings.partner_id, self.customer, "none for contacts")
        self.assertEqual(rankings.company_id, self.env.company)
        self.assertEqual(rankings.tier_id, self.tier_silver)
        self.assertEqual(self.customer_contact.customer_tier_id, self.tier_silver)
        self.assertEqual(self.customer_contact.annual_revenue, 1500.0)

    def test_search(self):
        Partner = self.env["res.partner"]

        def found(domain):
            return Partner.search([("id", "in", self.partners.ids), *domain])

        self.assertEqual(
            found([("customer_tier_id", "=", self.tier_gold.id)]), self.big
        )
        self.assertEqual(
            found([("customer_tier_id", "=", False)]),
            self.unranked,
            "an account without ranking has no tier",
        )
        self.assertEqual(
            found([("customer_tier_id", "!=", False)]), self.big + self.small
        )
        self.assertEqual(found([("customer_tier_id.name", "=", "Silver")]), self.small)
        self.assertEqual(found([("annual_revenue", ">", 1000)]), self.big + self.small)
        self.assertEqual(
            found([("annual_revenue", "=", 0)]),
            self.unranked,
            "no ranking reads as zero",
        )
        self.assertEqual(found([("annual_order_count", ">=", 2)]), self.big)
        self.assertEqual(found([("customer_tier_locked", "=", True)]), Partner)
        self.assertEqual(found([("customer_tier_locked", "=", False)]), self.partners)
        with freeze_time(fields.Date.from_string(TODAY) + timedelta(days=400)):
            self.assertEqual(
                found([("customer_tier_to_review", "=", True)]), self.big + self.small
            )
        self.assertFalse(found([("customer_tier_to_review", "=", True)]))

    def test_group_sort_and_sum(self):
        Partner = self.env["res.partner"]
        domain = [("id", "in", self.partners.ids)]
        groups = dict(
            Partner._read_group(domain, ["customer_tier_id"], ["annual_revenue:sum"])
        )
        self.assertEqual(groups[self.tier_gold], 15000.0)
        self.assertEqual(groups[self.tier_silver], 1200.0)
        self.assertEqual(groups[self.env["customer.tier"]], 0.0)
        self.assertEqual(
            Partner.search(domain, order="annual_revenue desc, id"), self.partners
        )
        self.assertEqual(
            Partner.search(domain, order="last_order_date, id").ids[:2],
            [self.big.id, self.small.id],
        )
        fields_info = Partner.fields_get(
            ["customer_tier_id", "annual_revenue"], ["groupable", "sortable"]
        )
        self.assertTrue(fields_info["customer_tier_id"]["groupable"])
        self.assertTrue(fields_info["annual_revenue"]["sortable"])

    def test_every_path_through_the_ranking_row(self):
        """The ranking's fields as the web client and the exports reach them:
        list order, grouping (lazy and not), pivot, export, contacts."""
        Partner = self.env["res.partner"]
        domain = [("id", "in", self.partners.ids)]
        # the list, sorted by a ranking field (and through a many2one)
        self.assertEqual(
            Partner.web_search_read(
                domain, {"annual_revenue": {}}, order="annual_revenue desc"
            )["records"][0]["id"],
            self.big.id,
        )
        self.assertEqual(
            Partner.search(domain, order="customer_tier_id, id")[:1], self.big
        )
        # the kanban and the list grouped by tier (lazy read_group of the
        # web client), with the sum of revenue per group
        lazy = Partner.read_group(
            domain, ["annual_revenue:sum"], ["customer_tier_id"], lazy=True
        )
        sums = {
            group["customer_tier_id"] and group["customer_tier_id"][0]: group[
                "annual_revenue"
            ]
            for group in lazy
        }
        self.assertEqual(sums[self.tier_gold.id], 15000.0)
        self.assertEqual(sums[self.tier_silver.id], 1200.0)
        self.assertEqual(sums[False], 0.0)
        # the pivot: grouped by tier and key account manager at once (not lazy)
        pivot = Partner.read_group(
            domain,
            ["annual_revenue:sum", "annual_order_count:sum"],
            ["customer_tier_id", "key_account_manager_id"],
            lazy=False,
        )
        gold = next(
            group
            for group in pivot
            if group["customer_tier_id"]
            and group["customer_tier_id"][0] == self.tier_gold.id
        )
        self.assertEqual(
            (gold["annual_revenue"], gold["annual_order_count"], gold["__count"]),
            (15000.0, 2, 1),
        )
        self.assertEqual(sum(group["__count"] for group in pivot), 3)
        # grouped by a ranking field that is not a many2one
        by_lock = dict(
            Partner._read_group(domain, ["customer_tier_locked"], ["__count"])
        )
        self.assertEqual(by_lock, {False: 3})
        # the export
        rows = self.big.export_data(
            ["name", "customer_tier_id/name", "annual_revenue", "last_order_date"]
        )["datas"]
        self.assertEqual(rows[0][1:3], ["Gold", 15000.0])
        # contacts show, sort and group as their company
        contact = Partner.create({"name": "Big's buyer", "parent_id": self.big.id})
        self.assertEqual(contact.annual_revenue, 15000.0)
        groups = dict(
            Partner._read_group(
                [("id", "in", (contact | self.small).ids)],
                ["customer_tier_id"],
                ["annual_revenue:sum"],
            )
        )
        self.assertEqual(groups[self.tier_gold], 15000.0)
        self.assertEqual(
            Partner.search(
                [("id", "in", (contact | self.small).ids)], order="annual_revenue"
            ),
            self.small | contact,
        )

    def test_unlocking_keeps_the_tier_until_the_next_ranking(self):
        big = self.big.with_user(self.user_manager)
        big.write(
            {
                "customer_tier_id": self.tier_silver.id,
                "customer_tier_locked": True,
                "customer_tier_lock_reason": "Trial year",
            }
        )
        big.customer_tier_locked = False
        self.assertEqual(big.customer_tier_id, self.tier_silver, "not written")
        self.assertEqual(big.customer_tier_lock_reason, "Trial year")
        self.assertEqual(big.annual_revenue, 15000.0)
        self._rank(self.big)
        self.assertEqual(self.big.customer_tier_id, self.tier_gold, "an upgrade")

    def test_manual_tier_is_tracked(self):
        # the test commons disable tracking, and records created in this
        # transaction are not tracked: start afresh, with tracking
        self.env.flush_all()
        self.env.cr.precommit.clear()
        tracked = {"tracking_disable": False, "mail_notrack": False}
        self.big.with_user(self.user_manager).with_context(**tracked).write(
            {
                "customer_tier_id": self.tier_silver.id,
                "customer_tier_locked": True,
                "customer_tier_lock_reason": "Board decision",
            }
        )
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracking = self.big.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "customer_tier_id"
        )
        self.assertEqual(tracking.old_value_char, "Gold")
        self.assertEqual(tracking.new_value_char, "Silver")

    def test_lock_needs_a_reason_on_the_ranking_too(self):
        ranking = self.env["customer.tier.ranking"].search(
            [("partner_id", "=", self.big.id)]
        )
        with self.assertRaisesRegex(ValidationError, "give the reason"):
            ranking.write({"locked": True, "lock_reason": " "})

    def test_upgrade_moves_the_company_dependent_values(self):
        """Before 18.0.1.1.0 the values were jsonb columns of res_partner."""
        path = file_path("customer_relations/migrations/18.0.1.1.0/post-migrate.py")
        spec = importlib.util.spec_from_file_location("cr_post_migrate", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        cr = self.env.cr
        self.env.flush_all()
        for column in migration.COLUMNS:
            cr.execute(
                SQL(
                    "ALTER TABLE res_partner ADD COLUMN %s jsonb",
                    SQL.identifier(column),
                )
            )
        key = str(self.env.company.id)
        cr.execute(
            SQL(
                """
                UPDATE res_partner
                   SET customer_tier_id = jsonb_build_object(%(key)s, %(tier)s),
                       customer_tier_locked = jsonb_build_object(%(key)s, TRUE),
                       customer_tier_lock_reason = jsonb_build_object(%(key)s, 'Deal'),
                       annual_revenue = jsonb_build_object(%(key)s, 123.45),
                       annual_order_count = jsonb_build_object(%(key)s, 3),
                       next_review_date = jsonb_build_object(%(key)s, '2026-12-31')
                 WHERE id IN %(ids)s
                """,
                key=key,
                tier=self.tier_gold.id,
                ids=(self.customer.id, self.customer_contact.id, self.small.id),
            )
        )
        migration.migrate(cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(self.customer.customer_tier_id, self.tier_gold)
        self.assertTrue(self.customer.customer_tier_locked)
        self.assertEqual(self.customer.customer_tier_lock_reason, "Deal")
        self.assertEqual(self.customer.annual_revenue, 123.45)
        self.assertEqual(self.customer.annual_order_count, 3)
        self.assertEqual(str(self.customer.next_review_date), "2026-12-31")
        self.assertEqual(
            self.env["customer.tier.ranking"].search_count(
                [("partner_id", "=", self.customer_contact.id)]
            ),
            0,
            "contacts had copies of their company's values",
        )
        self.assertEqual(
            self.small.customer_tier_id, self.tier_silver, "rankings already made stay"
        )
        for column in migration.COLUMNS:
            self.assertFalse(sql.column_exists(cr, "res_partner", column))

    def test_partner_form_buttons_and_review(self):
        self._order(self.big, 100000)
        big = self.big.with_user(self.user_manager)
        self.assertTrue(big.action_customer_tier_recompute())
        self.assertEqual(big.annual_revenue, 115000.0)
        action = self.customer_contact.with_user(
            self.user_manager
        ).action_customer_tier_set()
        self.assertEqual(action["res_model"], "customer.tier.assign")
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
        self.assertFalse(self.big.customer_tier_to_review)
        with freeze_time(fields.Date.from_string(TODAY) + timedelta(days=400)):
            self.env.invalidate_all()
            self.assertTrue(self.big.customer_tier_to_review)

    def test_first_ranking_of_a_new_company(self):
        company = self._create_company(name="Customer Relations Company 3")
        self.env["customer.tier"]._recompute_accounts(self.big.ids)
        big = self.big.with_company(company)
        self.assertFalse(big.customer_tier_id, "no sale in that company")
        self.assertEqual(big.annual_revenue, 0.0)
        self.assertEqual(self.big.customer_tier_id, self.tier_gold)


@tagged("post_install", "-at_install")
class TestCustomerTierConfiguration(CustomerTierCommon):
    def test_bad_input_refused(self):
        Tier = self.env["customer.tier"]
        for values in (
            {"min_annual_revenue": -1},
            {"min_order_count": -1},
            {"bonus_rate": 101},
            {"bonus_rate": -0.5},
        ):
            with (
                self.subTest(values=values),
                mute_logger("odoo.sql_db"),
                self.assertRaises(IntegrityError),
                self.cr.savepoint(),
            ):
                Tier.create({"name": "Bad", **values})
        with self.assertRaisesRegex(ValidationError, "same thresholds"):
            Tier.create(
                {"name": "Gold twin", "min_annual_revenue": 10000, "min_order_count": 2}
            )
        # an archived twin is fine
        Tier.create(
            {
                "name": "Old gold",
                "min_annual_revenue": 10000,
                "min_order_count": 2,
                "active": False,
            }
        )

    def test_partner_count_smart_button(self):
        self._order(self.customer, 1500)
        self._rank()
        self.assertEqual(
            self.tier_silver.partner_count, 1, "accounts count, not their contacts"
        )
        action = self.tier_silver.action_view_partners()
        self.assertEqual(
            self.env["res.partner"].search(action["domain"]), self.customer
        )


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCustomerTierSaleOrder(CustomerTierCommon):
    def test_tier_pricelist_on_new_quotations(self):
        self._enable_pricelists()
        self.user_own.groups_id += self.env.ref("product.group_product_pricelist")
        pricelist = self.env["product.pricelist"].create(
            {"name": "Silver prices", "company_id": False}
        )
        self.tier_silver.pricelist_id = pricelist
        self._order(self.customer, 1500)
        self._rank()
        with Form(self.env["sale.order"].with_user(self.user_own)) as order_form:
            order_form.partner_id = self.customer_contact
            self.assertEqual(order_form.pricelist_id, pricelist)
            other = self.env["product.pricelist"].create({"name": "Other"})
            order_form.pricelist_id = other
        self.assertEqual(
            order_form.record.pricelist_id, other, "the salesperson may change it"
        )

    def test_tier_frozen_on_confirmation(self):
        self._order(self.customer, 1500)
        self._rank()
        order = self._order(self.customer_contact, 100)
        self.assertEqual(order.customer_tier_id, self.tier_silver)
        self.customer.with_user(self.user_manager).write(
            {
                "customer_tier_id": self.tier_gold.id,
                "customer_tier_locked": True,
                "customer_tier_lock_reason": "Promoted",
            }
        )
        self.assertEqual(order.customer_tier_id, self.tier_silver, "kept as it was")
        quotation = self._order(self.customer, 100, confirm=False)
        self.assertFalse(quotation.customer_tier_id)

    def test_revenue_by_tier_report(self):
        self._order(self.customer, 1500)
        self._rank()
        self._order(self.customer, 700)
        self.env.flush_all()
        groups = self.env["sale.report"]._read_group(
            [("partner_id", "=", self.customer.id), ("state", "=", "sale")],
            ["customer_tier_id"],
            ["price_subtotal:sum"],
        )
        self.assertEqual(
            dict(groups),
            {self.env["customer.tier"]: 1500.0, self.tier_silver: 700.0},
        )


@tagged("post_install", "-at_install")
class TestCustomerTierAccess(CustomerTierCommon):
    @users("cr_own")
    @mute_logger("odoo.addons.base.models.ir_model", "odoo.models")
    def test_own_accounts_user(self):
        tiers = self.env["customer.tier"].search([])
        self.assertIn(self.tier_gold, tiers, "account managers read tiers")
        with self.assertRaises(AccessError):
            self.tier_gold.with_user(self.env.user).min_annual_revenue = 1
        partner = self.account_own_kam.with_user(self.env.user)
        self.assertEqual(partner.name, "Own KAM Inc")
        self.assertFalse(partner.customer_tier_id)
        for values in (
            {"customer_tier_locked": True, "customer_tier_lock_reason": "Mine"},
            {
                "customer_tier_id": self.tier_gold.id,
                "customer_tier_locked": True,
                "customer_tier_lock_reason": "Mine",
            },
        ):
            with self.assertRaises(AccessError):
                partner.write(values)
        with self.assertRaises(AccessError):
            self.env["customer.tier.assign"].create(
                {"partner_id": partner.id, "reason": "x"}
            )
        with self.assertRaises(AccessError):
            self.env["customer.tier"].action_recompute_tiers()
        with self.assertRaises(AccessError):
            partner.action_customer_tier_recompute()

    @users("cr_all")
    @mute_logger("odoo.addons.base.models.ir_model", "odoo.models")
    def test_all_accounts_user(self):
        with self.assertRaises(AccessError):
            self.env["customer.tier"].create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.account_other_kam.with_user(self.env.user).write(
                {"customer_tier_locked": True, "customer_tier_lock_reason": "x"}
            )

    @users("cr_manager")
    def test_administrator(self):
        tier = self.env["customer.tier"].create(
            {"name": "Platinum", "min_annual_revenue": 500000}
        )
        tier.bonus_rate = 4
        partner = self.account_own_kam.with_user(self.env.user)
        partner.write(
            {
                "customer_tier_id": tier.id,
                "customer_tier_locked": True,
                "customer_tier_lock_reason": "Board decision",
            }
        )
        self.assertEqual(partner.customer_tier_id, tier)
        self.assertEqual(partner.customer_tier_history_ids.new_tier_id, tier)
        action = self.env["customer.tier"].action_recompute_tiers()
        self.assertEqual(action["res_model"], "res.partner")

    @users("cr_portal")
    @mute_logger("odoo.addons.base.models.ir_model", "odoo.models")
    def test_portal_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.env["customer.tier"].search([])
        with self.assertRaises(AccessError):
            self.env["customer.tier.history"].search([])

    @users("cr_none")
    def test_user_without_our_groups_reads_partners_and_orders(self):
        partner = self.account_own_kam.with_user(self.env.user)
        self.assertFalse(partner.customer_tier_id)
        self.env["res.partner"].get_views([(False, "form")])
