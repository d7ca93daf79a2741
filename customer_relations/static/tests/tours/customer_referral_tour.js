import { registry } from "@web/core/registry";
import { openMenu } from "@customer_relations/../tests/tours/tour_utils";

registry.category("web_tour.tours").add("customer_relations_referral_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu({
            app: "customer_relations.customer_relations_menu_root",
            section: "customer_relations.customer_relations_menu_accounts",
            item: "customer_relations.res_partner_menu_my_accounts",
        }),
        {
            content: "Open the referrer",
            trigger: ".o_kanban_record:contains('Tour Referrer')",
            run: "click",
        },
        {
            content: "Open the Customer Relations tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name='customer_relations']",
            run: "click",
        },
        {
            content: "Register a customer it recommended",
            trigger: ".o_form_view button[name='action_register_customer_referral']",
            run: "click",
        },
        {
            content: "The referral clause of the referrer's contract is found",
            trigger: ".modal .o_field_widget[name='clause_id']:contains('Tour clause')",
        },
        {
            content: "Choose the new customer",
            trigger: ".modal .o_field_widget[name='referred_id'] input",
            run: "edit Tour Newcomer",
        },
        {
            content: "Select it",
            trigger: ".modal .o_field_widget[name='referred_id'] ul li a:contains('Tour Newcomer')",
            run: "click",
        },
        {
            content: "Register the referral",
            trigger: ".modal button[name='action_register']",
            run: "click",
        },
        {
            content: "The referral is pending",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Pending')",
        },
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button:enabled",
            run: "click",
        },
        {
            content: "Open Sales",
            trigger: ".o_app[data-menu-xmlid='sale.sale_menu_root']",
            run: "click",
        },
        {
            content: "Open the new customer's quotation",
            trigger: ".o_list_view .o_data_row:contains('Tour Newcomer') .o_data_cell",
            run: "click",
        },
        {
            content: "Confirm it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button:enabled",
            run: "click",
        },
        {
            content: "Open the Customer Relations app",
            trigger: ".o_app[data-menu-xmlid='customer_relations.customer_relations_menu_root']",
            run: "click",
        },
        {
            content: "Open the referrals",
            trigger: ".o_menu_sections [data-menu-xmlid='customer_relations.customer_referral_menu']",
            run: "click",
        },
        {
            content: "The referral is rewarded",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Rewarded')) .o_kanban_record:contains('Tour Referrer')",
            run: "click",
        },
        {
            content: "The coupon is shown",
            trigger: ".o_form_view button[name='action_view_reward_card'] .o_stat_value:contains('044')",
        },
        {
            content: "Open the referrer",
            trigger: ".o_form_view .o_field_widget[name='referrer_id'] a",
            run: "click",
        },
        {
            content: "Show the smart buttons that do not fit (the More menu)",
            trigger:
                ".o_form_view .o-form-buttonbox:has(button[name='action_view_customer_referrals'], .o_button_more)",
            async run(helpers) {
                const box = this.anchor;
                if (!box.querySelector("button[name='action_view_customer_referrals']")) {
                    await helpers.click(box.querySelector(".o_button_more"));
                }
            },
        },
        {
            content: "Open its referrals",
            trigger: ".o-form-buttonbox button[name='action_view_customer_referrals']",
            run: "click",
        },
        {
            content: "The referrer's coupon is listed",
            trigger: ".o_kanban_record:contains('Tour Newcomer'):contains('044')",
        },
    ],
});
