import { registry } from "@web/core/registry";
import { openMenu } from "@customer_relations/../tests/tours/tour_utils";

registry.category("web_tour.tours").add("customer_relations_reliability_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu({ app: "crm.crm_menu_root" }),
        {
            content: "The risky prospect's card shows its grade",
            trigger:
                ".o_kanban_record:contains('Tour Risky Deal') .o_field_widget[name='reliability_grade']:contains('Risky')",
        },
        {
            content: "Open the risky prospect's opportunity",
            trigger: ".o_kanban_record:contains('Tour Risky Deal')",
            run: "click",
        },
        {
            content: "The opportunity shows the grade",
            trigger: ".o_form_view .o_field_widget[name='reliability_grade']:contains('Risky')",
        },
        {
            content: "and why: the red flags of the customer",
            trigger:
                ".o_form_view .o_field_widget[name='reliability_flag_ids'] .o_tag:contains('Bad payment trust')",
        },
        {
            content: "and the one ticked on the opportunity",
            trigger:
                ".o_form_view .o_field_widget[name='reliability_flag_ids'] .o_tag:contains('Refuses references')",
        },
        {
            content: "Check it again now",
            trigger: ".o_form_view button[name='action_reliability_check']",
            run: "click",
        },
        {
            content: "Still risky",
            trigger: ".o_form_view .o_field_widget[name='reliability_grade']:contains('Risky')",
        },
    ],
});
