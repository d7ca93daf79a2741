import { registry } from "@web/core/registry";
import { openMenu } from "@customer_relations/../tests/tours/tour_utils";

registry.category("web_tour.tours").add("customer_relations_objection_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu({ app: "sale.sale_menu_root" }),
        {
            content: "Open the tour's quotation",
            trigger: ".o_data_row:contains('Tour Objection Company') .o_data_cell",
            run: "click",
        },
        {
            content: "Record an objection from the order",
            trigger: ".o_form_view button[name='action_record_objection']",
            run: "click",
        },
        {
            content: "The customer comes from the order",
            trigger:
                ".o_form_view .o_field_widget[name='partner_id'] input:value('Tour Objection Company')",
        },
        {
            content: "Write the subject",
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: "edit Too expensive for this year's budget",
        },
        {
            content: "Open the measures",
            trigger: ".o_form_view .o_notebook a.nav-link[name='measures']",
            run: "click",
        },
        {
            content: "Add a measure",
            trigger: ".o_field_widget[name='action_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Describe the measure",
            trigger: ".o_field_widget[name='action_ids'] .o_data_row .o_field_widget[name='name'] input",
            run: "edit Offer a volume discount",
        },
        {
            content: "Save the objection",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The objection is saved with its reference",
            trigger: ".o_form_view .o_field_widget[name='reference']:contains('OBJ/')",
        },
        {
            content: "Mark the measure done",
            trigger: ".o_field_widget[name='action_ids'] .o_data_row button[name='action_done']",
            run: "click",
        },
        {
            content: "The measure is done",
            trigger: ".o_field_widget[name='action_ids'] .o_data_row .o_field_widget[name='state']:contains('Done')",
        },
        {
            content: "Open the resolution",
            trigger: ".o_form_view .o_notebook a.nav-link[name='resolution']",
            run: "click",
        },
        {
            content: "Write the resolution",
            trigger: ".o_form_view .o_field_widget[name='resolution'] .odoo-editor-editable",
            run: "editor Volume discount of 5% accepted by the customer.",
        },
        {
            content: "Resolve it",
            trigger: ".o_form_view .o_statusbar_status button[data-value]:contains('Resolved')",
            run: "click",
        },
        {
            content: "The objection is resolved",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Resolved')",
        },
        {
            content: "and saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
