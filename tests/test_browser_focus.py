"""Focus always on screen (WCAG 2.4.3, 2.4.7): Tab through every kind of page (tests/page_kinds.py) on a
phone (390 px) and on a desktop at 200 % zoom, and check that each element that takes the focus can be seen
there: inside the viewport, not transparent or hidden, not under another element. The closed navigation
drawer and every other off-canvas part must therefore be out of the tab order (inert).

200 % zoom: a 1280 × 800 window at 200 % lays out like a 640 × 400 CSS px viewport drawn at twice the
pixel density, which is what Chromium's zoom does; Playwright's viewport with device_scale_factor=2 gives
that layout (Material switches to its drawer below 1220 CSS px).
"""

from __future__ import annotations

import pytest

from page_kinds import PAGE_KINDS, PageKind

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
ZOOM_200 = {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}
SCREENS = {"phone-390": PHONE, "desktop-1280-zoom-200": ZOOM_200}
TAB_STOPS = 50  # past the header (and, without inert, the drawer's forty links) well into the content

_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const box = el.getBoundingClientRect(), w = innerWidth, h = innerHeight;
  const what = el.outerHTML.replace(/\\s+/g, ' ').slice(0, 100);
  const problems = [];
  if (box.width < 1 || box.height < 1) problems.push('no size');
  else if (box.right <= 0 || box.bottom <= 0 || box.left >= w || box.top >= h)
    problems.push(`off screen at ${Math.round(box.left)},${Math.round(box.top)}`);
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.visibility !== 'visible' || s.display === 'none') { problems.push('hidden by ' + e.tagName); break; }
    if (parseFloat(s.opacity) < 0.2) { problems.push('transparent: ' + e.className); break; }
  }
  if (!problems.length) {
    // Covered: the point at the element's first visible line shows a fixed or sticky layer (the header,
    // an overlay, a drawer) that the element is not part of.
    const line = [...el.getClientRects()].find(r => r.bottom > 0 && r.top < h && r.width > 0) || box;
    const x = Math.min(Math.max(line.left + Math.min(line.width / 2, 20), 0), w - 1);
    const y = Math.min(Math.max(line.top + line.height / 2, 0), h - 1);
    const layer = e => { for (; e && e.nodeType === 1; e = e.parentElement) {
      const p = getComputedStyle(e).position; if (p === 'fixed' || p === 'sticky') return e; } return null; };
    const hit = document.elementFromPoint(x, y);
    if (hit && hit !== el && !el.contains(hit) && layer(hit) !== layer(el))
      problems.push('covered by ' + hit.outerHTML.replace(/\s+/g, ' ').slice(0, 80));
  }
  return {what, problems};
}"""


def hidden_focus(page, stops: int = TAB_STOPS) -> list[str]:
    """Press Tab up to ``stops`` times; every focused element that cannot be seen, and why."""
    found, seen = [], set()
    for _ in range(stops):
        page.keyboard.press("Tab")
        state = page.evaluate(_FOCUS)
        if state is None:  # past the last element: the focus left the page
            break
        if state["what"] in seen and len(seen) > 3 and state["what"] == next(iter(seen)):
            break  # the tab order wrapped around (a modal dialog)
        seen.add(state["what"])
        if state["problems"]:  # perhaps still moving into view (a transition, a scroll): look again when settled
            page.wait_for_timeout(400)
            state = page.evaluate(_FOCUS) or state
        if state["problems"]:
            found.append(f"{state['what']}: {', '.join(state['problems'])}")
    return found


@pytest.fixture(params=list(SCREENS), ids=list(SCREENS))
def screen_page(request, browser):
    context = browser.new_context(locale="de-DE", **SCREENS[request.param])
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=str)
def test_every_element_reached_with_tab_is_on_screen(kind: PageKind, screen_page, site_url: str) -> None:
    screen_page.goto(site_url + kind.path)
    screen_page.wait_for_load_state("load")
    if kind.prepare is not None:
        kind.prepare(screen_page)
    else:
        screen_page.evaluate("document.activeElement && document.activeElement.blur()")
    assert hidden_focus(screen_page) == [], kind.name


def test_the_open_drawer_is_used_like_a_dialog_and_escape_closes_it(screen_page, site_url: str) -> None:
    screen_page.goto(site_url + "qualitaetsstandards/05-schulabsentismus/")
    button = screen_page.locator('label[for="__drawer"][role="button"]')
    button.focus()
    screen_page.keyboard.press("Enter")
    assert screen_page.locator("#__drawer").is_checked()
    assert button.get_attribute("aria-expanded") == "true"
    for _ in range(12):
        screen_page.keyboard.press("Tab")
        inside = screen_page.evaluate("""() => !!document.activeElement.closest('.md-sidebar--primary, .md-header')""")
        assert inside, screen_page.evaluate("document.activeElement.outerHTML.slice(0, 100)")
    assert hidden_focus(screen_page, 30) == []
    screen_page.keyboard.press("Escape")
    assert not screen_page.locator("#__drawer").is_checked()
    assert screen_page.evaluate("document.activeElement.getAttribute('for')") == "__drawer"
    assert screen_page.locator(".md-sidebar--primary").get_attribute("inert") is not None


def test_at_full_width_the_navigation_is_in_place_and_not_inert(page, site_url: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + "qualitaetsstandards/05-schulabsentismus/")
    assert page.locator(".md-sidebar--primary").get_attribute("inert") is None
    assert hidden_focus(page) == []


def test_the_check_reports_focus_that_is_off_screen_or_transparent(page) -> None:
    page.set_content('<!doctype html><html lang="de"><body><a href="#a" style="position:absolute;left:-999px">weg</a>'
                     '<a href="#b" style="opacity:0">durchsichtig</a><a href="#c">da</a>'
                     '<div style="position:fixed;inset:0;background:#fff"></div></body></html>')
    problems = hidden_focus(page, 5)
    assert len(problems) == 3
    assert "off screen" in problems[0] and "transparent" in problems[1] and "covered" in problems[2]


def test_in_forced_colours_the_focus_and_the_header_buttons_stay_visible(browser, site_url: str) -> None:
    """Windows high contrast (forced-colors: active): the system draws the colours; focus outlines and
    icons must not vanish with them."""
    context = browser.new_context(locale="de-DE", viewport=PHONE["viewport"], forced_colors="active")
    page = context.new_page()
    page.goto(site_url + "qualitaetsstandards/05-schulabsentismus/")
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    outlines = []
    for _ in range(12):
        page.keyboard.press("Tab")
        outlines.append(page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"""))
    assert all(style != "none" and width >= 2 for _, style, width in outlines), outlines
    icon = page.evaluate("""() => getComputedStyle(document.querySelector('label[for="__drawer"] svg')).fill""")
    background = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
    assert icon != background
    assert hidden_focus(page, 20) == []
    context.close()
