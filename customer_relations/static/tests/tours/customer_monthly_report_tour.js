import { registry } from "@web/core/registry";
import { openMenu } from "@customer_relations/../tests/tours/tour_utils";

registry.category("web_tour.tours").add("customer_relations_monthly_report_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu({
            app: "customer_relations.customer_relations_menu_root",
            section: "customer_relations.customer_results_menu",
            item: "customer_relations.customer_manager_kpi_menu_my",
        }),
        {
            content: "My results of the month, with their trend",
            trigger: ".o_kanban_record:contains('Tour Report Manager') .fa-arrow-up",
        },
        ...openMenu({
            app: "customer_relations.customer_relations_menu_root",
            section: "customer_relations.customer_results_menu",
            item: "customer_relations.customer_monthly_report_menu",
        }),
        {
            content: "Open the draft report of last month",
            trigger: ".o_data_row:contains('Tour Report Manager') .o_data_cell",
            run: "click",
        },
        {
            content: "Write the analysis",
            trigger: ".o_form_view .o_field_widget[name='analysis'] .odoo-editor-editable",
            run: "editor Two accounts ordered again; next month: call the lost account.",
        },
        {
            content: "Submit it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_submit']",
            run: "click",
        },
        {
            content: "The report is submitted",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Submitted')",
        },
    ],
});
