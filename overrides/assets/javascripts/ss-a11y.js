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
