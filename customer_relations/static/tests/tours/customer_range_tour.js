import { registry } from "@web/core/registry";
import { openMenu } from "@customer_relations/../tests/tours/tour_utils";

registry.category("web_tour.tours").add("customer_relations_range_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu({
            app: "customer_relations.customer_relations_menu_root",
            section: "customer_relations.customer_relations_menu_accounts",
            item: "customer_relations.res_partner_menu_my_accounts",
        }),
        {
            content: "Open the customer",
            trigger: ".o_kanban_record:contains('Tour Range Customer')",
            run: "click",
        },
        {
            content: "Open the Range tab",
            trigger: ".o_form_view .o_notebook a.nav-link:contains('Range')",
            run: "click",
        },
        {
            content: "The desks are bought",
            trigger:
                ".o_field_widget[name='customer_range_coverage_ids'] .o_data_row:contains('Tour Desks'):contains('800')",
        },
        {
            content: "Offer the garden family, which the customer does not buy",
            trigger:
                ".o_field_widget[name='customer_range_coverage_ids'] .o_data_row:contains('Tour Garden') button[name='action_offer']",
            run: "click",
        },
        {
            content: "The opportunity offers the garden family",
            trigger: ".o_form_view .o_field_widget[name='name']:contains('Tour Garden'), .o_form_view .o_field_widget[name='name'] textarea:value(Tour Garden for Tour Range Customer)",
        },
    ],
});
