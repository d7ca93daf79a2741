{
    "name": "Customer Relations",
    "summary": "Manage customer accounts and their key account managers",
    "version": "18.0.1.0.0",
    "category": "Sales/Customer Relations",
    "author": "Customer Relations Team",
    "maintainers": ["customer-relations-team"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": True,
    "installable": True,
    "depends": ["sale_management", "sale_crm"],
    "data": [
        "security/customer_relations_groups.xml",
        "security/ir.model.access.csv",
        "security/customer_relations_security.xml",
        "data/customer_tier_data.xml",
        "data/ir_cron_data.xml",
        "wizard/customer_tier_assign_views.xml",
        "views/customer_tier_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/customer_relations_menus.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/customer_tier_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "customer_relations/static/src/**/*",
        ],
        "web.assets_tests": [
            "customer_relations/static/tests/tours/*.js",
        ],
    },
}
