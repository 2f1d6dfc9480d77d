// Off-canvas parts of Material's layout are inert while they are off screen, so that the Tab key never
// lands on something the visitor cannot see (WCAG 2.4.3, 2.4.7). On narrow viewports (phones, and desktops
// at 200 % zoom: 1280 px become 640 CSS px) the navigation is a drawer: closed, it stays in the page,
// moved aside, with about forty links. Also off canvas there: the nested panels of the drawer until their
// section is opened, and the "Zurück nach oben" button while Material hides it by opacity.
(function () {
  var drawer = document.getElementById("__drawer");
  var primary = document.querySelector(".md-sidebar--primary");
  if (!drawer || !primary) return;
  // Material's drawer breakpoint: below 76.25em the primary sidebar is the drawer (main.css).
  var narrow = window.matchMedia("(max-width: 76.2344em)");
  var button = document.querySelector('label.md-header__button[for="__drawer"]');
  // While the drawer is open it works like a dialog: the page behind the overlay is inert.
  var behind = [".md-main__inner > .md-content", ".md-sidebar--secondary", ".md-footer", ".md-top"];
  var toggles = Array.prototype.slice.call(primary.querySelectorAll("input.md-nav__toggle"));

  function setInert(element, value) {
    if (!element) return;
    if (value) element.setAttribute("inert", "");
    else element.removeAttribute("inert");
  }

  function panelOf(toggle) {
    var item = toggle.parentElement;
    for (var child = item.firstElementChild; child; child = child.nextElementSibling) {
      if (child.tagName === "NAV") return child;
    }
    return null;
  }

  function sync() {
    var isDrawer = narrow.matches;
    var open = isDrawer && drawer.checked;
    setInert(primary, isDrawer && !open);
    behind.forEach(function (selector) {
      document.querySelectorAll(selector).forEach(function (element) { setInert(element, open); });
    });
    // Nested panels slide in from the side inside the drawer; on wide screens Material collapses them
    // with visibility, which already takes them out of the tab order.
    toggles.forEach(function (toggle) {
      setInert(panelOf(toggle), isDrawer && !toggle.checked);
    });
    if (button) button.setAttribute("aria-expanded", open ? "true" : "false");
    syncTop();
  }

  // Material opens and closes the drawer and the panels by setting `checked` from script (a click on a
  // link, Escape, a resize), which fires no event: watch the property itself.
  var checked = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "checked");
  [drawer].concat(toggles).forEach(function (input) {
    Object.defineProperty(input, "checked", {
      configurable: true,
      get: function () { return checked.get.call(this); },
      set: function (value) { checked.set.call(this, value); sync(); },
    });
    input.addEventListener("change", sync);
  });
  if (narrow.addEventListener) narrow.addEventListener("change", sync);
  else narrow.addListener(sync);

  // Opening the drawer by keyboard moves the focus into it; Escape closes it and returns to the button.
  drawer.addEventListener("change", function () {
    if (!narrow.matches) return;
    if (drawer.checked) {
      var first = primary.querySelector("a[href], label[tabindex], input:not([type=checkbox])");
      if (first && document.activeElement === button) first.focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !narrow.matches || !drawer.checked) return;
    drawer.checked = false;
    if (button) button.focus();
  });

  // "Zurück nach oben" (navigation.top) is transparent until the visitor scrolls up: inert meanwhile.
  var top = document.querySelector(".md-top");
  function syncTop() {
    if (!top) return;
    var open = narrow.matches && drawer.checked;
    setInert(top, open || top.classList.contains("md-top--hidden") || top.hidden);
  }
  if (top) new MutationObserver(syncTop).observe(top, { attributes: true, attributeFilter: ["class", "hidden"] });

  sync();
})();

// Material's colour-scheme toggle is a <label> for a visually hidden radio button: the radio button would
// take the focus invisibly, the label could not be reached. The label becomes the button (as in ss-a11y.js).
document.querySelectorAll('form[data-md-component="palette"]').forEach(function (form) {
  form.querySelectorAll("input.md-option").forEach(function (input) { input.setAttribute("tabindex", "-1"); });
  // Switching moves the focus to the (invisible) radio button, and the other scheme's label replaces the
  // one pressed: keep the keyboard on the toggle that is shown now.
  form.addEventListener("focusin", function (event) {
    if (!event.target.matches("input.md-option")) return;
    window.setTimeout(function () {
      var shown = Array.prototype.filter.call(form.querySelectorAll("label.md-header__button"), function (l) {
        return l.getClientRects().length > 0;
      });
      if (shown[0] && form.contains(document.activeElement)) shown[0].focus();
    }, 0);
  });
  form.querySelectorAll("label.md-header__button[for]").forEach(function (label) {
    label.setAttribute("role", "button");
    label.setAttribute("tabindex", "0");
    label.setAttribute("aria-label", label.getAttribute("title") || "Farbschema wechseln");
    // Material clicks a focused label on Enter; Space is added here, as for any button.
    label.addEventListener("keydown", function (event) {
      if (event.key !== " ") return;
      event.preventDefault();
      label.click();
    });
  });
});
