import { registry } from "@web/core/registry";
import { openMenu } from "@customer_relations/../tests/tours/tour_utils";

registry.category("web_tour.tours").add("customer_relations_segment_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu({
            app: "customer_relations.customer_relations_menu_root",
            section: "customer_relations.customer_relations_menu_configuration",
            item: "customer_relations.customer_segment_menu",
        }),
        {
            content: "Open the segment",
            trigger: ".o_data_row td[name='name']:contains('Tour Italian Customers')",
            run: "click",
        },
        {
            content: "See its accounts",
            trigger: ".o_form_view button[name='action_view_accounts']:contains('2')",
            run: "click",
        },
        {
            content: "Open one of them",
            trigger: ".o_kanban_record:contains('Own KAM Inc')",
            run: "click",
        },
        {
            content: "Open the Customer Relations tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name='customer_relations']",
            run: "click",
        },
        {
            content: "The account shows its segment",
            trigger:
                ".o_form_view .o_field_widget[name='customer_segment_id']:contains('Tour Italian Customers')",
        },
    ],
});
