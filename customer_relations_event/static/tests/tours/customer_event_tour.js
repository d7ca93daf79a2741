import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("customer_relations_event_tour", {
    steps: () => [
        {
            content: "Invite accounts to the event",
            trigger: ".o_form_view button[name='action_customer_invite_accounts']",
            run: "click",
        },
        {
            content: "Choose a tier",
            trigger: ".modal .o_field_widget[name='tier_ids'] input",
            run: "edit Strategic",
        },
        {
            content: "The Strategic tier",
            trigger: ".modal .o_field_widget[name='tier_ids'] ul li a:contains('Strategic')",
            run: "click",
        },
        {
            content: "The Strategic account is to be invited",
            trigger: ".modal .o_field_widget[name='account_ids'] td:contains('Tour Fair Account')",
        },
        {
            content: "Invite",
            trigger: ".modal button[name='action_invite']",
            run: "click",
        },
        {
            content: "One account invited",
            trigger: ".modal .o_field_widget[name='report']:contains('1 accounts invited')",
        },
        {
            content: "Close",
            trigger: ".modal button[name='action_close']",
            run: "click",
        },
        {
            content: "Open the event's invitations",
            trigger: ".o_form_view button[name='action_view_customer_invitations']",
            run: "click",
        },
        {
            content: "Open the account's invitation",
            trigger: ".o_list_view td.o_data_cell:contains('Tour Fair Account')",
            run: "click",
        },
        {
            content: "The contact answered by phone: register them",
            trigger: ".o_form_view button[name='action_register']",
            run: "click",
        },
        {
            content: "The invitation is registered",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Registered')",
        },
        {
            content: "At the fair: mark the registration attended",
            trigger: ".o_form_view button[name='action_mark_attended']",
            run: "click",
        },
        {
            content: "The invitation is attended",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Attended')",
        },
        {
            content: "The account manager has the follow-up activity",
            trigger: ".o_form_view .o_field_widget[name='activity_summary']:contains('Thank Tour Fair Account')",
        },
    ],
});
