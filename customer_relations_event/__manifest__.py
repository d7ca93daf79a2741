{
    "name": "Customer Relations: Events",
    "summary": "Invite accounts to events, follow who came, turn the fair into "
    "follow-up",
    "version": "18.0.1.0.0",
    "category": "Sales/Customer Relations",
    "author": "Customer Relations Team",
    "maintainers": ["customer-relations-team"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "installable": True,
    "auto_install": True,
    "depends": ["customer_relations", "event_crm"],
    "data": [
        "security/ir.model.access.csv",
        "security/customer_relations_event_security.xml",
        "data/mail_activity_type_data.xml",
        "data/mail_template_data.xml",
        "data/event_lead_rule_data.xml",
        "data/ir_cron_data.xml",
        "wizard/customer_event_invite_views.xml",
        "views/customer_event_invitation_views.xml",
        "views/customer_event_invitation_templates.xml",
        "views/event_event_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/customer_relations_event_menus.xml",
    ],
    "demo": [
        "demo/customer_event_demo.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "assets": {
        "web.assets_tests": [
            "customer_relations_event/static/tests/tours/*.js",
        ],
    },
}
