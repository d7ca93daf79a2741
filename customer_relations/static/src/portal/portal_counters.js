/** @odoo-module */

import { PortalHomeCounters } from "@portal/js/portal";

PortalHomeCounters.include({
    /**
     * Customers file their first complaint from the portal's home: its card
     * shows even when they have none.
     *
     * @override
     */
    _getCountersAlwaysDisplayed() {
        return this._super(...arguments).concat(["complaint_count"]);
    },

    /**
     * Show how many complaints the customer filed on its card.
     *
     * @override
     */
    async _updateCounters() {
        const result = await this._super(...arguments);
        const counterEl = this.el.querySelector("[data-placeholder_count='complaint_count']");
        if (counterEl) {
            counterEl.classList.remove("d-none");
            counterEl.classList.add("badge", "rounded-pill", "text-bg-secondary");
        }
        return result;
    },
});
