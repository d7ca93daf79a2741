from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import GROUP_ALL, GROUP_MANAGER, GROUP_OWN, CustomerRelationsCommon

MUTED_ACCESS_LOGGERS = (
    "odoo.addons.base.models.ir_model",
    "odoo.addons.base.models.ir_rule",
    "odoo.models",
)
MENU_ROOT = "customer_relations.customer_relations_menu_root"
MENU_MY_ACCOUNTS = "customer_relations.res_partner_menu_my_accounts"
MENU_ALL_ACCOUNTS = "customer_relations.res_partner_menu_all_accounts"
MENU_REPORTING = "customer_relations.customer_relations_menu_reporting"
MENU_CONFIGURATION = "customer_relations.customer_relations_menu_configuration"
MENU_SETTINGS = "customer_relations.res_config_settings_menu"
ACTION_MY_ACCOUNTS = "customer_relations.res_partner_action_my_accounts"
ACTION_ALL_ACCOUNTS = "customer_relations.res_partner_action_all_accounts"


@tagged("post_install", "-at_install")
class TestAccessRights(CustomerRelationsCommon):
    # ------------------------------------------------------------------
    # Helpers: what the current user gets from the web client
    # ------------------------------------------------------------------

    def _visible_menus(self, *xmlids):
        """Return the subset of ``xmlids`` whose menus the current user sees: the
        menu and all its parents are visible to them."""
        visible_ids = self.env["ir.ui.menu"]._visible_menu_ids()
        return {
            xmlid
            for xmlid in xmlids
            if all(
                int(menu_id) in visible_ids
                for menu_id in self.env.ref(xmlid).sudo().parent_path.split("/")[:-1]
            )
        }

    def _action_records(self, xmlid):
        """Search the records an action shows to the current user, with the
        filters of its ``search_default_*`` context keys, as the web client does."""
        action = self.env["ir.actions.actions"]._for_xml_id(xmlid)
        eval_context = {"uid": self.env.uid}
        context = safe_eval(action["context"], eval_context)
        domain = safe_eval(action["domain"] or "[]", eval_context)
        Model = self.env[action["res_model"]].with_context(**context)
        search_view_id = action["search_view_id"] and action["search_view_id"][0]
        arch = Model.get_views([(search_view_id, "search")])["views"]["search"]["arch"]
        search_view = etree.fromstring(arch)
        for key in context:
            if key.startswith("search_default_"):
                name = key.removeprefix("search_default_")
                [node] = search_view.xpath(f"//filter[@name='{name}']")
                domain += safe_eval(node.get("domain"), eval_context)
        return Model.search(domain)

    def _arch(self, model, view_type, view_id=False):
        views = self.env[model].get_views([(view_id, view_type)])
        return views["views"][view_type]["arch"]

    def _assert_cannot_set_key_account_manager(self):
        """Our own check refuses, not the access rights on contacts."""
        account = self.account_unassigned.with_env(self.env)
        self.assertTrue(account.has_access("write"))
        with self.assertRaisesRegex(AccessError, "change the key account manager"):
            account.write({"key_account_manager_id": self.env.uid})
        with self.assertRaisesRegex(AccessError, "change the key account manager"):
            self.env["res.partner"].create(
                {"name": "Self-assigned", "key_account_manager_id": self.env.uid}
            )
        self.assertFalse(account.can_edit_key_account_manager)

    def _assert_can_set_key_account_manager(self):
        account = self.account_unassigned.with_env(self.env)
        self.assertTrue(account.can_edit_key_account_manager)
        account.key_account_manager_id = self.user_own
        self.assertEqual(account.key_account_manager_id, self.user_own)
        account.key_account_manager_id = False
        new_account = self.env["res.partner"].create(
            {"name": "New Account", "key_account_manager_id": self.user_own.id}
        )
        self.assertTrue(new_account.is_customer_account)

    # ------------------------------------------------------------------
    # Groups
    # ------------------------------------------------------------------

    def test_groups_form_a_chain_on_the_user_form(self):
        own = self.env.ref(GROUP_OWN)
        all_ = self.env.ref(GROUP_ALL)
        manager = self.env.ref(GROUP_MANAGER)
        self.assertIn(self.env.ref("sales_team.group_sale_salesman"), own.implied_ids)
        self.assertIn(own, all_.implied_ids)
        self.assertIn(
            self.env.ref("sales_team.group_sale_salesman_all_leads"), all_.implied_ids
        )
        self.assertIn(all_, manager.implied_ids)
        self.assertIn(self.env.ref("base.user_admin"), manager.users)
        self.assertTrue(all(group.comment for group in own + all_ + manager))

        # like the Sales groups, one selection on the user form, in "Sales"
        category = own.category_id
        self.assertEqual(category, all_.category_id)
        self.assertEqual(category, manager.category_id)
        self.assertEqual(category.parent_id, self.env.ref("base.module_category_sales"))
        group_ids = sorted((own + all_ + manager).ids)
        field_name = "sel_groups_" + "_".join(map(str, group_ids))
        field = self.env["res.users"].fields_get([field_name])[field_name]
        self.assertEqual(field["type"], "selection")
        self.assertEqual(field["string"], category.name)

        user = self.user_none.with_context(active_test=False)
        user.write({field_name: all_.id})
        self.assertTrue(user.has_group(GROUP_OWN))
        self.assertFalse(user.has_group(GROUP_MANAGER))

    # ------------------------------------------------------------------
    # One test per role
    # ------------------------------------------------------------------

    @users("cr_none")
    def test_role_without_customer_relations(self):
        """An employee without our groups sees no menu and opens contacts as
        before, without our tab."""
        self.assertFalse(self._visible_menus(MENU_ROOT, MENU_MY_ACCOUNTS))

        form_arch = self._arch("res.partner", "form")
        self.assertNotIn("key_account_manager_id", form_arch)
        self.assertNotIn('name="customer_relations"', form_arch)
        self.assertNotIn("my_accounts", self._arch("res.partner", "search"))

        account = self.account_own_kam.with_env(self.env)
        self.assertEqual(Form(account).name, "Own KAM Inc")
        # the stored field stays readable (exports, other modules)
        self.assertEqual(account.key_account_manager_id, self.user_own)
        self.assertFalse(account.can_edit_key_account_manager)

    @users("salesman")
    def test_role_salesman_without_customer_relations(self):
        """A salesperson without our groups still uses partners and orders."""
        self.assertFalse(self._visible_menus(MENU_ROOT))
        partner_form = Form(self.account_own_kam.with_env(self.env))
        self.assertEqual(partner_form.name, "Own KAM Inc")
        with Form(self.env["sale.order"]) as order_form:
            order_form.partner_id = self.account_unassigned
            with order_form.order_line.new() as line:
                line.product_id = self.product
        self.assertEqual(order_form.record.partner_id, self.account_unassigned)

    @users("cr_own")
    def test_role_own_accounts(self):
        self.assertEqual(
            self._visible_menus(
                MENU_ROOT,
                MENU_MY_ACCOUNTS,
                MENU_ALL_ACCOUNTS,
                MENU_REPORTING,
                MENU_CONFIGURATION,
            ),
            {MENU_ROOT, MENU_MY_ACCOUNTS, MENU_ALL_ACCOUNTS},
        )

        my_accounts = self._action_records(ACTION_MY_ACCOUNTS)
        self.assertEqual(
            my_accounts & self.test_partners,
            self.account_own_kam + self.account_own_sales + self.account_individual,
        )
        all_accounts = self._action_records(ACTION_ALL_ACCOUNTS)
        self.assertEqual(all_accounts & self.test_partners, self.accounts)
        self.assertLessEqual(my_accounts, all_accounts)

        self.assertIn("key_account_manager_id", self._arch("res.partner", "form"))

        # works on its accounts, but may not choose who manages them
        account = self.account_own_kam.with_env(self.env)
        account.phone = "+32 2 290 34 90"
        account.write({"key_account_manager_id": self.user_own.id})  # unchanged
        self._assert_cannot_set_key_account_manager()
        with self.assertRaisesRegex(AccessError, "change the key account manager"):
            account.key_account_manager_id = False

    @users("cr_all")
    def test_role_all_accounts(self):
        self.assertEqual(
            self._visible_menus(MENU_ROOT, MENU_REPORTING, MENU_CONFIGURATION),
            {MENU_ROOT, MENU_REPORTING},
        )
        self.assertEqual(
            self._action_records(ACTION_MY_ACCOUNTS) & self.test_partners,
            self.account_other_kam,
        )
        self.assertEqual(
            self._action_records(ACTION_ALL_ACCOUNTS) & self.test_partners,
            self.accounts,
        )
        self._assert_can_set_key_account_manager()

    @users("cr_manager")
    def test_role_administrator(self):
        """The settings also need the Settings access right, like Sales."""
        self.assertEqual(
            self._visible_menus(MENU_ROOT, MENU_REPORTING, MENU_SETTINGS),
            {MENU_ROOT, MENU_REPORTING},
        )
        self.assertFalse(self._action_records(ACTION_MY_ACCOUNTS) & self.test_partners)
        self._assert_can_set_key_account_manager()

    @users("admin")
    def test_role_settings_administrator(self):
        self.assertTrue(self.env.user.has_group(GROUP_MANAGER))
        self.assertEqual(
            self._visible_menus(MENU_CONFIGURATION, MENU_SETTINGS),
            {MENU_CONFIGURATION, MENU_SETTINGS},
        )
        action = self.env["ir.actions.actions"]._for_xml_id(
            "customer_relations.res_config_settings_action"
        )
        self.assertEqual(safe_eval(action["context"])["module"], "customer_relations")
        arch = self._arch("res.config.settings", "form", action["view_id"][0])
        self.assertIn('name="customer_relations"', arch)

        unassigned = self.env["res.partner"].search_count(
            [("is_customer_account", "=", True), ("key_account_manager_id", "=", False)]
        )
        self.assertGreaterEqual(unassigned, 2)  # account_own_sales, account_unassigned
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.customer_account_unassigned_count, unassigned)
        self.account_unassigned.key_account_manager_id = self.user_own
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.customer_account_unassigned_count, unassigned - 1)

    @users("cr_portal")
    def test_role_portal(self):
        # the portal has no back-end menus at all
        with self.assertRaises(AccessError), mute_logger(*MUTED_ACCESS_LOGGERS):
            self.env["ir.ui.menu"]._visible_menu_ids()
        root = self.env.ref(MENU_ROOT).sudo()
        self.assertFalse(root.groups_id & self.env.user.groups_id)
        with self.assertRaises(AccessError), mute_logger(*MUTED_ACCESS_LOGGERS):
            self.account_own_kam.with_env(self.env).read(["key_account_manager_id"])
        mine = self.env["res.partner"].search([("is_my_account", "=", True)])
        self.assertFalse(mine & self.test_partners)
        # a customer may know their own key account manager
        self.env.user.partner_id.read(["key_account_manager_id"])
