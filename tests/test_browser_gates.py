"""Browser gates over every kind of page (tests/page_kinds.py) in Debian's Chromium:
axe-core finds no WCAG 2.0/2.1 A/AA violation, the page asks no other host for anything, sets no
cookie, breaks no rule of its Content-Security-Policy, and can be used with the keyboard alone.
Each gate is also run once on a page that breaks its rule, to show that it catches it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from conftest import ROOT
from page_kinds import PAGE_KINDS, PageKind

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # pinned in package.json, installed by `npm ci`
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


# --- accessibility: axe-core ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def axe_browser(browser):
    """Contexts that let the axe script in: it is injected inline, which the site's CSP forbids."""
    if not AXE.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{AXE} fehlt: `npm ci` installiert axe-core (package-lock.json)")
        pytest.skip("axe-core is not installed (npm ci)")

    contexts = []

    def new_page(viewport: dict[str, int] = DESKTOP):
        context = browser.new_context(bypass_csp=True, locale="de-DE", viewport=viewport)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {n['target']}: {n['failureSummary'].splitlines()[-1].strip()}" for n in v["nodes"][:5]]
    return "\n".join(lines)


def open_kind(page, site_url: str, kind: PageKind) -> None:
    page.goto(site_url + kind.path)
    if kind.prepare is not None:
        kind.prepare(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("kind", PAGE_KINDS, ids=str)
def test_axe_finds_no_wcag_violation(kind: PageKind, viewport: dict[str, int], axe_browser, site_url: str) -> None:
    page = axe_browser(viewport)
    open_kind(page, site_url, kind)
    violations = axe_violations(page)
    assert violations == [], f"{kind.name} ({kind.path}, {viewport['width']} px):\n{describe(violations)}"


BAD_PAGE = """<!doctype html><html><head><title>x</title></head><body>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text">
<button class="icon"></button>
<p style="color:#aaa;background:#fff">Kaum lesbar</p>
</body></html>"""


def test_axe_reports_a_page_that_breaks_the_rules(axe_browser) -> None:
    page = axe_browser(DESKTOP)
    page.set_content(BAD_PAGE)
    found = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "label", "button-name", "color-contrast", "html-has-lang"} <= found


# --- privacy and CSP: what a page asks for, and what it is refused ------------------------------

_WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


@dataclass
class Visit:
    """What happened while a page was loaded and used: every request, cookie and CSP complaint."""

    origin: str
    requests: list[str] = field(default_factory=list)
    set_cookie: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    console_csp: list[str] = field(default_factory=list)
    cookies: list[dict] = field(default_factory=list)
    document_cookie: str = ""
    storage: dict[str, list[str]] = field(default_factory=dict)

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if urlsplit(u).scheme not in ("data", "blob", "about")
                and f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" != self.origin]


def visit(browser, origin: str, load) -> Visit:
    """Load a page in a fresh context; requests to other hosts are recorded and refused (never sent)."""
    record = Visit(origin)
    context = browser.new_context(locale="de-DE", viewport=DESKTOP)
    try:
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort())
        page = context.new_page()
        page.add_init_script(_WATCH_CSP)
        page.on("request", lambda r: record.requests.append(r.url))
        page.on("response", lambda r: record.set_cookie.append(r.url) if "set-cookie" in r.headers else None)
        page.on("console", lambda m: record.console_csp.append(m.text) if "Content Security Policy" in m.text else None)
        load(page)
        page.wait_for_load_state("networkidle")
        record.csp_violations = page.evaluate("window.__cspViolations")
        record.document_cookie = page.evaluate("document.cookie")
        record.storage = page.evaluate("({local: Object.keys(localStorage), session: Object.keys(sessionStorage)})")
        record.cookies = context.cookies()
    finally:
        context.close()
    return record


@pytest.fixture(scope="module")
def visits(browser, site_url: str) -> dict[str, Visit]:
    """Each kind of page visited once; the privacy and CSP tests read the records."""
    origin = site_url.rstrip("/")
    return {kind.name: visit(browser, origin, lambda page, k=kind: open_kind(page, site_url, k)) for kind in PAGE_KINDS}


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=str)
def test_page_asks_no_other_host(kind: PageKind, visits: dict[str, Visit]) -> None:
    record = visits[kind.name]
    assert len(record.requests) > 1  # the page and at least its style sheet were seen
    assert record.foreign_requests() == []


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=str)
def test_page_sets_no_cookie(kind: PageKind, visits: dict[str, Visit]) -> None:
    record = visits[kind.name]
    assert (record.cookies, record.document_cookie, record.set_cookie) == ([], "", [])


@pytest.mark.parametrize("kind", PAGE_KINDS, ids=str)
def test_page_keeps_its_content_security_policy(kind: PageKind, visits: dict[str, Visit]) -> None:
    record = visits[kind.name]
    assert (record.csp_violations, record.console_csp) == ([], [])


def test_browser_storage_stays_empty_as_the_privacy_page_says(visits: dict[str, Visit], site) -> None:
    """Datenschutz promises that nothing is put into the browser's storage. If a feature needs it
    (Material keeps e.g. a chosen colour scheme there), the page must say what and why, and this test changes."""
    stored = {kind: record.storage for kind, record in visits.items() if any(record.storage.values())}
    assert stored == {}
    text = (site / "datenschutz" / "index.html").read_text(encoding="utf-8")
    assert "Sie legt keine Daten im Speicher Ihres Browsers ab" in text


def test_recorder_catches_foreign_requests_and_csp_violations(browser, site_url: str) -> None:
    origin = site_url.rstrip("/")
    bad = ('<!doctype html><html lang="de"><head><meta http-equiv="Content-Security-Policy" '
           "content=\"default-src 'self'\"><title>x</title></head><body>"
           '<img src="https://tracker.example.net/pixel.gif" alt=""><script>document.title = "inline";</script>'
           "</body></html>")

    def load(page) -> None:
        page.route(site_url + "boese.html", lambda route: route.fulfill(body=bad, content_type="text/html"))
        page.goto(site_url + "boese.html")

    record = visit(browser, origin, load)
    assert record.foreign_requests() == ["https://tracker.example.net/pixel.gif"]
    assert any("script-src" in v or "default-src" in v for v in record.csp_violations + record.console_csp)


# --- keyboard only ---------------------------------------------------------------------------------


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement, box = el.getBoundingClientRect();
        return {tag: el.tagName.toLowerCase(), id: el.id, text: (el.innerText || el.value || '').trim(),
                label: el.getAttribute('aria-label') || '', inArticle: !!el.closest('article'),
                visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight};
    }""")


def tab_until(page, selector: str, limit: int = 150) -> int:
    """Press Tab until the element matching ``selector`` has focus; the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


def test_tab_from_the_top_reaches_the_skip_link_and_the_content(page, site_url: str) -> None:
    page.goto(site_url)
    page.keyboard.press("Tab")
    first = focused(page)
    assert (first["tag"], first["text"]) == ("a", "Zum Inhalt springen")
    assert first["visible"]  # the skip link appears when it has focus
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "inhalt"
    page.keyboard.press("Tab")
    assert focused(page)["inArticle"]


def test_finder_page_works_with_the_keyboard(page, site_url: str) -> None:
    page.goto(site_url + "kontakt-finden/")
    # skip link, logo, header finder link, search, then the sidebar nav (8 entries since
    # "Neu in der Schulsozialarbeit" joined it, 2 section toggles)
    assert tab_until(page, "#ss-finder-input") < 16
    page.keyboard.type("Stendal")
    page.locator("[data-finder-results] [data-field=office-link]").first.wait_for(state="visible")
    tab_until(page, '[data-finder-results] a[href$="netzwerkstellen/stendal/"]', limit=10)
    page.keyboard.press("Enter")
    page.wait_for_url("**/netzwerkstellen/stendal/")


def test_menu_and_search_buttons_work_with_the_keyboard_on_a_phone(page, site_url: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(site_url)
    tab_until(page, 'label[for="__drawer"][role="button"]', limit=5)
    assert focused(page)["label"] == "Navigation öffnen"
    page.keyboard.press("Enter")
    assert page.locator("#__drawer").is_checked()
    page.goto(site_url)
    tab_until(page, "button[data-ss-search-open]", limit=8)
    page.keyboard.press("Space")
    page.get_by_role("dialog", name="Suche im Wissensportal").wait_for()
    assert page.evaluate("document.activeElement.id") == "ss-search-input"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", ["", "programm/", "schulen/"])
def test_keyboard_focus_is_always_visible(page, site_url: str, path: str, viewport: dict[str, int]) -> None:
    """WCAG 2.4.7: every element reached with Tab shows a focus outline."""
    page.set_viewport_size(viewport)
    page.goto(site_url + path)
    hidden = []
    for _ in range(40):
        page.keyboard.press("Tab")
        style = page.evaluate("""() => { const e = document.activeElement, c = getComputedStyle(e);
            return {what: e.outerHTML.slice(0, 80), style: c.outlineStyle, width: c.outlineWidth}; }""")
        at_end = style["what"].startswith("<body")  # past the last element, focus leaves the page
        if not at_end and (style["style"] == "none" or style["width"] == "0px"):
            hidden.append(style["what"])
    assert hidden == []
