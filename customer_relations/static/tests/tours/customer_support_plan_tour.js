import { registry } from "@web/core/registry";
import { openMenu } from "@customer_relations/../tests/tours/tour_utils";

registry.category("web_tour.tours").add("customer_relations_support_plan_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu({ app: "sale.sale_menu_root" }),
        {
            content: "Open the tour's quotation",
            trigger: ".o_data_row:contains('Tour Support Company') .o_data_cell",
            run: "click",
        },
        {
            content: "Confirm the order",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Open its support plan",
            trigger: ".o_form_view button[name='action_view_support_plan']",
            run: "click",
        },
        {
            content: "The plan lists its steps",
            trigger: ".o_form_view .o_field_widget[name='step_ids'] .o_data_row:contains('Kick-off call')",
        },
        {
            content: "Mark the kick-off call done",
            trigger:
                ".o_field_widget[name='step_ids'] .o_data_row:contains('Kick-off call') button[name='action_done']",
            run: "click",
        },
        {
            content: "The kick-off call is done",
            trigger:
                ".o_field_widget[name='step_ids'] .o_data_row:contains('Kick-off call') .o_field_widget[name='state']:contains('Done')",
        },
    ],
});
