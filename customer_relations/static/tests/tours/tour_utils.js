/**
 * Steps that open an app the way a user does in Community 18, which has no
 * home screen: the navbar's apps menu, the app, then, when given, a menu of
 * the app's top bar and one of its items (all by XML id).
 */
export function openMenu({ app, section, item }) {
    const steps = [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button:enabled",
            run: "click",
        },
        {
            content: `Open the app ${app}`,
            trigger: `.o_app[data-menu-xmlid='${app}']`,
            run: "click",
        },
    ];
    if (section) {
        steps.push({
            content: `Open the menu ${section}`,
            trigger: `.o_menu_sections button[data-menu-xmlid='${section}']`,
            run: "click",
        });
    }
    if (item) {
        steps.push({
            content: `Open ${item}`,
            trigger: `.dropdown-item[data-menu-xmlid='${item}']`,
            run: "click",
        });
    }
    return steps;
}
