// Material for MkDocs 9.8.2, partials/javascripts/palette.html (MIT licence), moved from an inline script
// into a file for the Content-Security-Policy: applies the stored colour scheme before the page paints.
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}

// The portal stores nothing in the browser unless the visitor asks for it (see Datenschutz): Material
// would store the colour scheme on every page view. Here it is stored only once the visitor has switched
// the scheme with the toggle (or had switched it before); otherwise the page follows the system setting.
(function () {
  var store = window.__md_set;
  var chosen = false;
  try { chosen = __md_get("__palette") !== null; } catch (error) { chosen = false; }
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest('form[data-md-component="palette"]')) chosen = true;
  }, true);
  window.__md_set = function (key) {
    if (key === "__palette" && !chosen) return;
    return store.apply(this, arguments);
  };
})();
