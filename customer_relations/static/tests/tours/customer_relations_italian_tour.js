import { registry } from "@web/core/registry";
import { openMenu } from "@customer_relations/../tests/tours/tour_utils";

// An Italian account manager meets the addon in Italian: the app's menus, the
// Key Accounts kanban with its shipped tiers, and an objection's form.
const section = (xmlid) => `.o_menu_sections [data-menu-xmlid='customer_relations.${xmlid}']`;
const item = (xmlid) => `.dropdown-item[data-menu-xmlid='customer_relations.${xmlid}']`;
const column = (tier) => `.o_kanban_group .o_column_title:contains('${tier}')`;

registry.category("web_tour.tours").add("customer_relations_italian_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu({ app: "customer_relations.customer_relations_menu_root" }),
        {
            content: "The app is Relazioni clienti",
            trigger: ".o_main_navbar .o_menu_brand:contains('Relazioni clienti')",
        },
        {
            content: "Its menus are in Italian",
            trigger: `${section("customer_objection_menu")}:contains('Obiezioni')`,
        },
        {
            content: "Referrals are Segnalazioni",
            trigger: `${section("customer_referral_menu")}:contains('Segnalazioni')`,
        },
        {
            content: "Follow-ups are Assistenza post-vendita",
            trigger: `${section("customer_support_menu")}:contains('Assistenza post-vendita')`,
        },
        {
            content: "Open the accounts",
            trigger: `${section("customer_relations_menu_accounts")}:contains('Account')`,
            run: "click",
        },
        {
            content: "My Accounts is I miei account",
            trigger: `${item("res_partner_menu_my_accounts")}:contains('I miei account')`,
        },
        {
            content: "Open the key accounts",
            trigger: `${item("res_partner_menu_key_accounts")}:contains('Key account')`,
            run: "click",
        },
        {
            content: "The Key Accounts kanban, in Italian",
            trigger: ".o_last_breadcrumb_item:contains('Key account')",
        },
        {
            content: "Its default filter is Con una fascia",
            trigger: ".o_searchview_facet:contains('Con una fascia')",
        },
        {
            content: "The shipped tiers are translated: Strategica",
            trigger: column("Strategica"),
        },
        {
            content: "and Preferenziale, with the account and its figures",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Preferenziale')) " +
                ".o_kanban_record:contains('Azienda Tour Italiana'):contains('in 12 mesi,'):contains('ordini')",
        },
        {
            content: "Its tier is locked",
            trigger: ".o_kanban_record:contains('Azienda Tour Italiana') i.fa-lock[title='Fascia bloccata']",
        },
        {
            content: "Open the objections",
            trigger: `${section("customer_objection_menu")}`,
            run: "click",
        },
        {
            content: "The objections, in Italian",
            trigger: ".o_last_breadcrumb_item:contains('Obiezioni')",
        },
        {
            content: "The shipped stages are translated",
            trigger: `${column("Nuova")}`,
        },
        {
            content: "Open the objection",
            trigger: ".o_kanban_record:contains('Prezzo troppo alto per il budget')",
            run: "click",
        },
        {
            content: "It is in the stage Nuova",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Nuova')",
        },
        {
            content: "Its groups are in Italian",
            trigger: ".o_form_view .o_horizontal_separator:contains('Presa in carico')",
        },
        {
            content: "Its kind: Obiezione or Reclamo",
            trigger:
                ".o_form_view .o_field_widget[name='kind']:contains('Obiezione'):contains('Reclamo')",
        },
        {
            content: "Its category is the shipped Prezzo",
            trigger: ".o_form_view .o_field_widget[name='category_id'] input:value('Prezzo')",
        },
        {
            content: "Its smart button counts Misure aperte",
            trigger: ".o_form_view .oe_stat_button .o_stat_text:contains('Misure aperte')",
        },
        {
            content: "Its tabs are Descrizione, Misure and Risoluzione",
            trigger:
                ".o_form_view .o_notebook a.nav-link[name='description']:contains('Descrizione')",
        },
        {
            content: "Open the measures",
            trigger: ".o_form_view .o_notebook a.nav-link[name='measures']:contains('Misure')",
            run: "click",
        },
        {
            content: "The measure is Correttiva and Aperta",
            trigger:
                ".o_field_widget[name='action_ids'] .o_data_row:contains('Sconto a volume'):contains('Correttiva'):contains('Aperta')",
        },
        {
            content: "Open the resolution",
            trigger: ".o_form_view .o_notebook a.nav-link[name='resolution']:contains('Risoluzione')",
            run: "click",
        },
        {
            content: "Its labels are in Italian",
            trigger: ".o_form_view label.o_form_label:contains('Causa principale')",
        },
    ],
});
