from odoo import Command
from odoo.exceptions import ValidationError
from odoo.fields import Datetime
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import GROUP_CONTACTS, GROUP_OWN, create_referral_program


def load_italian(env):
    """Italian active, with the addon's Italian terms loaded into the database."""
    env["res.lang"]._activate_lang("it_IT")
    env["ir.module.module"]._load_module_terms(["customer_relations"], ["it_IT"])
    return env(context=dict(env.context, lang="it_IT"))


@tagged("post_install", "-at_install")
class TestItalian(TransactionCase):
    """What an Italian user reads of the addon outside the views: shipped data,
    menus, the reward email, the order's printed clause, server messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env_it = load_italian(cls.env)

    def test_shipped_data(self):
        ref = self.env_it.ref
        self.assertEqual(
            ref("customer_relations.customer_tier_strategic").name, "Strategica"
        )
        self.assertEqual(
            ref("customer_relations.customer_tier_key").name, "Key account"
        )
        self.assertIn(
            "Risposta a obiezioni e reclami entro 4 ore lavorative",
            ref("customer_relations.customer_tier_strategic").benefits,
        )
        self.assertEqual(
            ref("customer_relations.customer_objection_stage_new").name, "Nuova"
        )
        self.assertEqual(
            ref("customer_relations.customer_objection_category_price").name, "Prezzo"
        )
        self.assertEqual(
            ref("customer_relations.customer_relations_menu_root").name,
            "Relazioni clienti",
        )
        self.assertEqual(
            ref("customer_relations.group_customer_relations_manager").name,
            "Amministratore",
        )
        # the application's category, made in base by the manifest (i18n_extra)
        self.assertEqual(
            ref("base.module_category_sales_customer_relations").name,
            "Relazioni clienti",
        )

    def test_reward_email(self):
        template = self.env_it.ref(
            "customer_relations.mail_template_customer_referral_reward"
        )
        self.assertEqual(
            template.subject,
            "Grazie per averci segnalato {{ object.referred_id.name }}: "
            "il vostro buono sconto",
        )
        self.assertIn("grazie alla vostra segnalazione", template.body_html)
        self.assertIn("t-out=\"object.reward_code or ''\"", template.body_html)
        # English stays the source
        self.assertIn(
            "Thanks to your recommendation",
            template.with_context(lang="en_US").body_html,
        )

    def test_printed_referral_clause(self):
        program = create_referral_program(self.env)
        clause = self.env["customer.referral.clause"].create(
            {
                "name": "Segnalazione",
                "program_id": program.id,
                "text": "<p>Per ogni nuovo cliente che ci segnalate...</p>",
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Cliente Italiano", "lang": "it_IT", "is_company": True}
        )
        order = self.env["sale.order"].create(
            {"partner_id": customer.id, "referral_clause_id": clause.id}
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("sale.report_saleorder", order.ids)[0]
            .decode()
        )
        self.assertIn("<strong>Clausola di segnalazione</strong>", html)
        self.assertNotIn("Referral Clause", html)

    def test_server_message(self):
        customer = self.env["res.partner"].create({"name": "Cliente Italiano"})
        with self.assertRaisesRegex(
            ValidationError, "non può avere una data di ricezione futura"
        ):
            self.env_it["customer.objection"].create(
                {
                    "name": "Consegna in ritardo",
                    "partner_id": customer.id,
                    "date_received": Datetime.add(Datetime.now(), days=2),
                }
            )


@tagged("post_install", "-at_install")
class TestItalianTour(HttpCase):
    """An account manager whose language is Italian opens Customer Relations,
    the Key Accounts kanban and an objection: every label checked is Italian."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_italian(cls.env)
        cls.account_manager = new_test_user(
            cls.env,
            login="cr_tour_italian",
            password="cr_tour_italian",
            name="Responsabile Tour",
            groups=f"{GROUP_OWN},{GROUP_CONTACTS}",
            lang="it_IT",
            tour_enabled=False,
        )
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Azienda Tour Italiana",
                "is_company": True,
                "customer_rank": 1,
                "key_account_manager_id": cls.account_manager.id,
            }
        )
        cls.account.write(
            {
                "customer_tier_id": cls.env.ref(
                    "customer_relations.customer_tier_preferred"
                ).id,
                "customer_tier_locked": True,
                "customer_tier_lock_reason": "Accordo quadro",
            }
        )
        cls.objection = cls.env["customer.objection"].create(
            {
                "name": "Prezzo troppo alto per il budget",
                "partner_id": cls.account.id,
                "kind": "objection",
                "channel": "phone",
                "category_id": cls.env.ref(
                    "customer_relations.customer_objection_category_price"
                ).id,
                "action_ids": [
                    Command.create({"name": "Sconto a volume", "type": "corrective"}),
                ],
            }
        )

    def test_italian_tour(self):
        self.assertEqual(
            self.objection.stage_id.with_context(lang="it_IT").name, "Nuova"
        )
        self.start_tour(
            "/odoo", "customer_relations_italian_tour", login="cr_tour_italian"
        )
