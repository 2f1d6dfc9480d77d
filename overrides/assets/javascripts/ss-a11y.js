// Material's header toggles for the navigation drawer and the search are <label> elements: without this
// they cannot be reached with the Tab key and have no accessible name (WCAG 2.1.1, 4.1.2). Material
// itself clicks a focused label on Enter; Space is added here, as for any button.
document.querySelectorAll("label.md-header__button[for]").forEach(function (label) {
  var names = { __drawer: "Navigation öffnen", __search: "Suche öffnen" };
  if (!names[label.htmlFor] || !document.getElementById(label.htmlFor)) return;
  label.setAttribute("role", "button");
  label.setAttribute("tabindex", "0");
  label.setAttribute("aria-label", names[label.htmlFor]);
  label.addEventListener("keydown", function (event) {
    if (event.key === " ") {
      event.preventDefault();
      label.click();
    }
  });
});

// Material wraps tables in a box that scrolls sideways on narrow screens; without a tab stop a keyboard
// cannot scroll it (WCAG 2.1.1, axe scrollable-region-focusable). Material builds the box when its
// document$ emits, so this runs after that.
function ssFocusableTables() {
  document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", "Tabelle");
  });
}
if (window.document$) {
  window.document$.subscribe(ssFocusableTables);
} else {
  document.addEventListener("DOMContentLoaded", ssFocusableTables);
}
