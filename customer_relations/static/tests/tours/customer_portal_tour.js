import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("customer_relations_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the complaints from the portal's home",
            trigger: ".o_portal_index_card a[href='/my/complaints']",
            run: "click",
        },
        {
            content: "File a new complaint",
            trigger: "a.o_customer_complaint_new",
            run: "click",
        },
        {
            content: "Subject",
            trigger: "#complaint_name",
            run: "edit Tour hinge broken",
        },
        {
            content: "The order it concerns",
            trigger: "#complaint_order",
            run: "selectByIndex 1",
        },
        {
            content: "What went wrong",
            trigger: "#complaint_description",
            run: "edit The hinge of the cabinet broke on the first day.",
        },
        {
            content: "Attach a photo of it",
            trigger: "#complaint_attachment",
            run(helpers) {
                const input = helpers.anchor;
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File(["%PDF-1.4 tour"], "hinge.pdf", { type: "application/pdf" })
                );
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Send it",
            trigger: "button.o_customer_complaint_submit",
            run: "click",
        },
        {
            content: "The complaint is received",
            trigger: ".o_customer_complaint_created",
        },
        {
            content: "Its attachment is in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-AttachmentCard:contains('hinge.pdf'), #chatterRoot:shadow .o-mail-AttachmentImage, #chatterRoot:shadow [title='hinge.pdf']",
        },
        {
            content: "Back to the list",
            trigger: ".o_portal_submenu a[href^='/my/complaints']",
            run: "click",
        },
        {
            content: "The complaint is listed: open it",
            trigger: ".o_customer_complaint_row a:contains('Tour hinge broken')",
            run: "click",
        },
        {
            content: "Write to the team",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit Any news about the hinge?",
        },
        {
            content: "Send the message",
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The message is in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-Message-body:contains('Any news about the hinge?')",
        },
        {
            content: "Open the order the complaint concerns",
            trigger: "#complaint_content a[href^='/my/orders/']",
            run: "click",
        },
        {
            content: "Its follow-up shows the steps the customer may see",
            trigger: ".o_customer_support_follow_up .o_customer_support_step:contains('Kick-off call')",
        },
        {
            content: "Go to the recommendations",
            trigger: "body",
            run: "goToUrl /my/referrals",
        },
        {
            content: "The clause of the contract",
            trigger: ".o_customer_referral_clause:contains('10% off your next order')",
        },
        {
            content: "Company recommended",
            trigger: "#referral_company_name",
            run: "edit Tour Newcomer Ltd",
        },
        {
            content: "Its contact",
            trigger: "#referral_contact_name",
            run: "edit Nora Newcomer",
        },
        {
            content: "Their email",
            trigger: "#referral_email",
            run: "edit nora@tour-newcomer.example.com",
        },
        {
            content: "Recommend them",
            trigger: "button.o_customer_referral_submit",
            run: "click",
        },
        {
            content: "The recommendation is registered",
            trigger: ".o_customer_referral_done",
        },
        {
            content: "and listed as pending",
            trigger: ".o_customer_referral_row:contains('Tour Newcomer Ltd'):contains('Pending')",
        },
    ],
});
