import { registry } from "@web/core/registry";
import { openMenu } from "@customer_relations/../tests/tours/tour_utils";

registry.category("web_tour.tours").add("customer_relations_my_accounts_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu({
            app: "customer_relations.customer_relations_menu_root",
            section: "customer_relations.customer_relations_menu_accounts",
            item: "customer_relations.res_partner_menu_my_accounts",
        }),
        {
            content: "My Accounts is open",
            trigger: ".o_last_breadcrumb_item:contains('My Accounts')",
        },
        {
            content: "with its default filter",
            trigger: ".o_searchview_facet:contains('My Accounts')",
        },
        {
            content: "Open my account",
            trigger: ".o_kanban_record:contains('Tour Account Company')",
            run: "click",
        },
        {
            content: "Open the Customer Relations tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name='customer_relations']",
            run: "click",
        },
        {
            content: "The key account manager is shown",
            trigger:
                ".o_form_view .o_field_widget[name='key_account_manager_id']:contains('Tour Account Manager')",
        },
    ],
});

registry.category("web_tour.tours").add("customer_relations_assign_manager_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu({
            app: "customer_relations.customer_relations_menu_root",
            section: "customer_relations.customer_relations_menu_accounts",
            item: "customer_relations.res_partner_menu_all_accounts",
        }),
        {
            content: "All Accounts is open",
            trigger: ".o_last_breadcrumb_item:contains('All Accounts')",
        },
        {
            content: "Switch to the list",
            trigger: "button.o_switch_view.o_list",
            run: "click",
        },
        {
            // the list replaces the kanban and its control panel: a dropdown
            // opened before would close with it
            content: "The list is shown",
            trigger: ".o_view_controller.o_list_view .o_switch_view.o_list.active",
        },
        {
            content: "Open the filters",
            trigger: ".o_view_controller.o_list_view .o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Keep the accounts without key account manager",
            trigger: ".o_filter_menu .o_menu_item:contains('Without Key Account Manager')",
            run: "click",
        },
        {
            content: "Open the unassigned account",
            trigger: ".o_list_view .o_data_row:contains('Tour Unassigned Account') .o_data_cell",
            run: "click",
        },
        {
            content: "Open the Customer Relations tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name='customer_relations']",
            run: "click",
        },
        {
            content: "Choose a key account manager",
            trigger: ".o_field_widget[name='key_account_manager_id'] input",
            run: "edit Tour Account Manager",
        },
        {
            content: "Select the user",
            trigger: ".o_field_widget[name='key_account_manager_id'] ul li a:contains('Tour Account Manager')",
            run: "click",
        },
        {
            content: "Save the account",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The account is saved",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "Open the Configuration menu",
            trigger:
                ".o_menu_sections button[data-menu-xmlid='customer_relations.customer_relations_menu_configuration']",
            run: "click",
        },
        {
            content: "Open the Settings",
            trigger:
                ".dropdown-item[data-menu-xmlid='customer_relations.res_config_settings_menu']",
            run: "click",
        },
        {
            content: "The Customer Relations settings show the accounts to assign",
            trigger:
                ".app_settings_block[data-key='customer_relations'] #customer_relations_key_account_managers:contains('accounts without key account manager')",
        },
    ],
});
