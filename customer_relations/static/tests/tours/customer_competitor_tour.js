import { registry } from "@web/core/registry";
import { openMenu } from "@customer_relations/../tests/tours/tour_utils";

registry.category("web_tour.tours").add("customer_relations_competitor_tour", {
    steps: () => [
        {
            content: "The opportunity is open",
            trigger: ".o_form_view .o_field_widget[name='name'] textarea:value('Tour Competitor Deal')",
        },
        {
            content: "Mark it as lost",
            trigger: ".o_form_view .o_statusbar_buttons button:contains('Lost')",
            run: "click",
        },
        {
            content: "The lost dialog asks who won it",
            trigger: ".modal .o_field_widget[name='lost_to_competitor_id'] input",
            run: "edit Tour Rival",
        },
        {
            content: "Choose the competitor",
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour Rival Furniture')",
            run: "click",
        },
        {
            content: "Mark as lost",
            trigger: ".modal button[name='action_lost_reason_apply']",
            run: "click",
        },
        {
            content: "The opportunity is lost",
            trigger: ".o_form_view .ribbon:contains('Lost')",
        },
        ...openMenu({
            app: "customer_relations.customer_relations_menu_root",
            section: "customer_relations.customer_competitor_menu_root",
            item: "customer_relations.customer_competitor_menu",
        }),
        {
            content: "Open the competitor",
            trigger: ".o_data_row:contains('Tour Rival Furniture') .o_data_cell",
            run: "click",
        },
        {
            content: "The lost deal is counted",
            trigger: ".o_form_view button[name='action_view_lost_leads'] .o_stat_value:contains('1')",
        },
        {
            content: "Open the deals lost to them",
            trigger: ".o_form_view button[name='action_view_lost_leads']",
            run: "click",
        },
        {
            content: "The lost deal is listed",
            trigger: ".o_kanban_record:contains('Tour Competitor Deal'), .o_data_row:contains('Tour Competitor Deal')",
        },
    ],
});
