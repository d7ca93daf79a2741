from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.sale.tests.common import SaleCommon

GROUP_OWN = "customer_relations.group_customer_relations_user"
GROUP_ALL = "customer_relations.group_customer_relations_user_all"
GROUP_MANAGER = "customer_relations.group_customer_relations_manager"
# New internal users get "Contact Creation" by default: account managers need it
# to edit their accounts.
GROUP_CONTACTS = "base.group_partner_manager"


def create_referral_program(env, name="Referral: 10% on your next order"):
    """A coupon program rewarding a referral with 10% off the next order, the
    only active one (no other program changes the orders' amounts)."""
    env["loyalty.program"].search([]).write({"active": False})
    return env["loyalty.program"].create(
        {
            "name": name,
            "program_type": "coupons",
            "trigger": "with_code",
            "applies_on": "current",
            "company_id": env.company.id,
            "rule_ids": [Command.clear()],
            "reward_ids": [
                Command.clear(),
                Command.create(
                    {
                        "reward_type": "discount",
                        "discount_mode": "percent",
                        "discount": 10,
                        "discount_applicability": "order",
                        "required_points": 1,
                    }
                ),
            ],
        }
    )


class CustomerRelationsCommon(SaleCommon):
    """Users for each role and accounts owned in each way.

    ==========================  ====================  ===========  ==============
    account                     key account manager   salesperson  mine for
    ==========================  ====================  ===========  ==============
    account_own_kam (+contact)  user_own              user_all     user_own
    account_own_sales (+cont.)  -                     user_own     user_own
    account_other_kam           user_all              user_own     user_all
    account_unassigned          -                     -            nobody
    account_individual          user_own              -            user_own
    ==========================  ====================  ===========  ==============
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls._create_company(name="Customer Relations Company 2")

        cls.user_none = new_test_user(
            cls.env,
            login="cr_none",
            name="Nora No Access",
            groups="base.group_user",
        )
        cls.user_own = new_test_user(
            cls.env,
            login="cr_own",
            name="Oscar Own Accounts",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
        )
        cls.user_all = new_test_user(
            cls.env,
            login="cr_all",
            name="Alice All Accounts",
            groups=f"{GROUP_ALL},{GROUP_CONTACTS}",
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="cr_manager",
            name="Max Administrator",
            groups=f"{GROUP_MANAGER},{GROUP_CONTACTS}",
        )
        cls.user_portal = new_test_user(
            cls.env,
            login="cr_portal",
            name="Paula Portal",
            groups="base.group_portal",
        )

        Partner = cls.env["res.partner"]
        cls.account_own_kam = Partner.create(
            {
                "name": "Own KAM Inc",
                "is_company": True,
                "customer_rank": 1,
                "key_account_manager_id": cls.user_own.id,
                "user_id": cls.user_all.id,
            }
        )
        cls.contact_own_kam = Partner.create(
            {"name": "Olivia Contact", "parent_id": cls.account_own_kam.id}
        )
        cls.account_own_sales = Partner.create(
            {
                "name": "Own Salesperson Ltd",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.user_own.id,
            }
        )
        cls.contact_own_sales = Partner.create(
            {"name": "Sam Contact", "parent_id": cls.account_own_sales.id}
        )
        cls.account_other_kam = Partner.create(
            {
                "name": "Other KAM SA",
                "is_company": True,
                "customer_rank": 1,
                "key_account_manager_id": cls.user_all.id,
                "user_id": cls.user_own.id,
            }
        )
        cls.account_unassigned = Partner.create(
            {"name": "Unassigned GmbH", "is_company": True, "customer_rank": 1}
        )
        cls.account_individual = Partner.create(
            {
                "name": "Ivan Individual",
                "key_account_manager_id": cls.user_own.id,
            }
        )
        cls.accounts = (
            cls.account_own_kam
            + cls.account_own_sales
            + cls.account_other_kam
            + cls.account_unassigned
            + cls.account_individual
        )
        cls.contacts = cls.contact_own_kam + cls.contact_own_sales
        cls.test_partners = cls.accounts + cls.contacts
