import { registry } from "@web/core/registry";
import { openMenu } from "@customer_relations/../tests/tours/tour_utils";

const column = (tier) => `.o_kanban_group:has(.o_column_title:contains('${tier}'))`;

registry.category("web_tour.tours").add("customer_relations_tier_tour", {
    url: "/odoo",
    steps: () => [
        ...openMenu({
            app: "customer_relations.customer_relations_menu_root",
            section: "customer_relations.customer_relations_menu_configuration",
            item: "customer_relations.customer_tier_menu",
        }),
        {
            content: "Open the Tour Gold tier",
            trigger: ".o_data_row td[name='name']:contains('Tour Gold')",
            run: "click",
        },
        {
            content: "Lower its threshold",
            trigger: ".o_field_widget[name='min_annual_revenue'] input",
            run: "edit 500",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Rank every customer now",
            trigger: "button[name='action_recompute_tiers']",
            run: "click",
        },
        {
            content: "The customer moved to Tour Gold in the Key Accounts kanban",
            trigger: `${column("Tour Gold")} .o_kanban_record:contains('Tour Tier Customer')`,
        },
        {
            content: "Drag it to Tour Silver",
            trigger: `${column("Tour Gold")} .o_kanban_record:contains('Tour Tier Customer')`,
            async run(helpers) {
                await helpers.drag_and_drop(column("Tour Silver"), {
                    position: "center",
                    relative: true,
                });
            },
        },
        {
            content: "The reason is asked",
            trigger: ".modal .o_field_widget[name='reason'] input",
            run: "edit Agreed at the annual review",
        },
        {
            content: "Set the tier",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The customer is in Tour Silver, locked",
            trigger: `${column("Tour Silver")} .o_kanban_record:contains('Tour Tier Customer') .fa-lock`,
        },
    ],
});
