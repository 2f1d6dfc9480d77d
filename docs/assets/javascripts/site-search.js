/*
 * Site search: Pagefind's JavaScript API behind a dialog opened from the header.
 *
 * Nothing is fetched from pagefind/ until the dialog opens; then pagefind.js is imported relative
 * to the page, so the site works from any static host and under any base path. The markup and all
 * UI text live in overrides/partials/site-search-dialog.html.
 */
(() => {
  "use strict";

  const dialog = document.getElementById("ss-search");
  if (!dialog || typeof dialog.showModal !== "function") return; // the button stays hidden

  const text = JSON.parse(dialog.querySelector("[data-ss-search-text]").textContent);
  const form = dialog.querySelector("[data-ss-search-form]");
  const input = dialog.querySelector("#ss-search-input");
  const status = dialog.querySelector("#ss-search-status");
  const list = dialog.querySelector("#ss-search-results");
  const more = dialog.querySelector("[data-ss-search-more]");
  const demo = dialog.querySelector("[data-ss-search-demo]");
  const filterBox = dialog.querySelector("[data-ss-search-filters]");
  const activeCount = dialog.querySelector("[data-ss-search-active]");
  const selects = Array.from(dialog.querySelectorAll("[data-ss-search-filter]"));
  const openers = Array.from(document.querySelectorAll("[data-ss-search-open]"));
  const finderOffer = dialog.querySelector("[data-ss-search-finder]");

  const PAGE_SIZE = 10;
  // Hidden keywords from data/suchbegriffe.yaml: those a title calls for count like the title,
  // those only the body calls for like one word of text (hooks/schulerfolg/search/index.py).
  const RANKING = { metaWeights: { title: 5, title_terms: 5, terms: 1 } };
  const TYPING_PAUSE_MS = 150;
  // Result links carry the query as ?highlight=…; the page they open marks the terms (see the end).
  const HIGHLIGHT_PARAM = "highlight";

  let engine = null;    // promise of the configured Pagefind module
  let opener = null;    // element that had focus before the dialog opened
  let openedBefore = false;
  let generation = 0;   // each search gets a number; answers to older searches are dropped
  let asked = "";       // query and filters of the latest search, to skip asking twice
  let remaining = [];   // results not yet shown ("Weitere Treffer zeigen")
  let shown = 0;
  let shownQuery = "";  // the query whose results are listed
  let total = 0;
  let timer = 0;

  const format = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));

  class Unavailable extends Error {}

  function load() {
    if (!engine) {
      engine = (async () => {
        if (location.protocol === "file:") throw new Unavailable(text.file);
        let pagefind;
        try {
          pagefind = await import(new URL(dialog.dataset.bundle, document.baseURI).href);
        } catch (error) {
          throw new Unavailable(text.missing);
        }
        const root = new URL(dialog.dataset.root, document.baseURI).pathname;
        // noWorker: searching ~400 pages is quick on the main thread, and saves fetching the worker.
        await pagefind.options({ baseUrl: root, excerptLength: 22, ranking: RANKING, noWorker: true,
                                 highlightParam: HIGHLIGHT_PARAM });
        fillFilters(await pagefind.filters());
        return pagefind;
      })();
      engine.catch(() => { engine = null; }); // try again on the next opening
    }
    return engine;
  }

  function fillFilters(available) {
    for (const select of selects) {
      const values = Object.keys(available[select.dataset.ssSearchFilter] || {});
      values.sort((a, b) => a.localeCompare(b, "de"));
      const options = values.map((value) => new Option(value, value));
      select.replaceChildren(new Option(text.all, ""), ...options);
    }
  }

  function chosenFilters() {
    const filters = {};
    for (const select of selects) {
      if (select.value) filters[select.dataset.ssSearchFilter] = select.value;
    }
    const active = Object.keys(filters).length;
    activeCount.textContent = active ? format(text.active, { n: active }) : "";
    return filters;
  }

  function setStatus(message, state, query = "") {
    status.textContent = message;
    status.dataset.state = state;
    status.dataset.query = query;
  }

  async function update() {
    const query = input.value.trim();
    const filters = chosenFilters();
    const key = JSON.stringify([query, filters]);
    if (key === asked) return;
    asked = key;
    const id = ++generation;
    offerFinder(query, id);
    if (!query && Object.keys(filters).length === 0) {
      remaining = [];
      list.replaceChildren();
      more.hidden = true;
      demo.hidden = true;
      setStatus(text.prompt, "idle");
      return;
    }
    status.dataset.state = "busy";
    try {
      const pagefind = await load();
      const search = query
        ? await pagefind.search(query, { filters })
        : await pagefind.search(null, { filters, sort: { title: "asc" } });
      if (id !== generation) return;
      remaining = search.results;
      shownQuery = query;
      total = remaining.length;
      shown = 0;
      list.replaceChildren();
      demo.hidden = true;
      await showMore(id);
      if (id !== generation) return;
      const count = total === 0 ? text.none : format(total === 1 ? text.one : text.many, { n: total });
      setStatus(query && total ? `${count} ${format(text.for, { q: query })}` : count, "done", query);
    } catch (error) {
      if (id === generation) {
        asked = "";
        showError(error);
      }
    }
  }

  async function showMore(id) {
    const batch = remaining.slice(0, PAGE_SIZE);
    remaining = remaining.slice(PAGE_SIZE);
    const pages = await Promise.all(batch.map((result) => result.data()));
    if (id !== generation) return [];
    const withExcerpt = shownQuery !== ""; // browsing by filter: titles only, nothing to highlight
    const items = pages.map((page) => renderResult(page, withExcerpt));
    list.append(...items);
    shown += items.length;
    more.hidden = remaining.length === 0;
    return items;
  }

  // The section of a page that matches the query best: Pagefind's sub-results are the parts of a page
  // between headings, each with the URL of its heading (#id) and its hits with their scores. Ties go to
  // the earlier section; the part before the first heading has no anchor: the link opens the page's top.
  const sectionScore = (sub) => (sub.weighted_locations || []).reduce(
    (sum, hit) => sum + (hit.balanced_score || hit.weight || 1), 0) || (sub.locations || []).length;

  function bestSection(page) {
    let best = null;
    let bestScore = 0;
    for (const sub of page.sub_results || []) {
      const score = sectionScore(sub);
      if (score > bestScore) [best, bestScore] = [sub, score];
    }
    return best && best.url.includes("#") ? best : null;
  }

  function renderResult(page, withExcerpt) {
    const item = document.createElement("li");
    item.className = "ss-search__result";
    const kind = (page.filters.kind || [])[0] || "";
    const section = withExcerpt ? bestSection(page) : null;
    const link = document.createElement("a");
    link.className = "ss-search__link";
    link.href = section ? section.url : page.url;
    const badge = document.createElement("span");
    badge.className = "ss-search__badge";
    badge.dataset.kind = kind;
    badge.textContent = kind;
    const title = document.createElement("span");
    title.className = "ss-search__result-title";
    title.textContent = page.meta.title || page.url;
    link.append(badge, " ", title);
    item.append(link);
    const where = [...(page.filters.school_type || []), ...(page.filters.district || [])];
    if (where.length) {
      const line = document.createElement("p");
      line.className = "ss-search__where";
      line.textContent = where.join(" · ");
      item.append(line);
    }
    if (section && section.title && section.title !== title.textContent) {
      const where = document.createElement("span");
      where.className = "ss-search__section";
      where.textContent = format(text.section, { title: section.title });
      link.append(where);
    }
    const excerptHtml = section ? section.excerpt : page.excerpt;
    if (withExcerpt && excerptHtml) {
      const excerpt = document.createElement("p");
      excerpt.className = "ss-search__excerpt";
      excerpt.append(...safeExcerpt(excerptHtml));
      item.append(excerpt);
    }
    if (kind === "Schule") demo.hidden = false;
    return item;
  }

  // Pagefind's excerpt is HTML with <mark> around the hits: keep the text and the marks, nothing else.
  function safeExcerpt(html) {
    const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html").body.firstChild;
    return Array.from(parsed.childNodes, (node) => {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        return mark;
      }
      return document.createTextNode(node.textContent);
    });
  }

  // A postcode or a place typed into the search: the contact finder answers that better. The finder's
  // list of places (the same file the finder page loads) is fetched once, when a query is first typed.
  let places = null;
  const fold = (value) => value.toLocaleLowerCase("de").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/ß/g, "ss").replace(/[^a-z0-9]+/g, " ").trim();

  function loadPlaces() {
    if (!places) {
      places = fetch(new URL(dialog.dataset.places, document.baseURI))
        .then((response) => (response.ok ? response.json() : null))
        .then((index) => {
          const names = new Set();
          const codes = new Set();
          if (!index) return { names, codes };
          for (const [name] of index.districts || []) names.add(fold(name));
          for (const [name, , postcodes, aliases] of index.municipalities || []) {
            names.add(fold(name));
            for (const alias of aliases || []) names.add(fold(alias));
            for (const code of String(postcodes).split(" ")) codes.add(code);
          }
          for (const [name, , postcode] of index.localities || []) {
            names.add(fold(name));
            codes.add(String(postcode));
          }
          for (const office of index.offices || []) names.add(fold(String(office[3] || "")));
          return { names, codes };
        })
        .catch(() => ({ names: new Set(), codes: new Set() }));
    }
    return places;
  }

  async function offerFinder(query, id) {
    const q = query.trim();
    const looksLikePlace = /^\d{5}$/.test(q) || (/^[^\d]{2,}$/.test(q) && q.length <= 60);
    if (!looksLikePlace) {
      finderOffer.hidden = true;
      return;
    }
    const { names, codes } = await loadPlaces();
    if (id !== generation) return;
    const known = /^\d{5}$/.test(q) ? codes.has(q) : names.has(fold(q)) || names.has(fold(q.replace(/\s*\(.*\)$/, "")));
    finderOffer.hidden = !known;
    if (!known) return;
    const link = finderOffer.querySelector("a");
    const target = new URL(dialog.dataset.finderPage, document.baseURI);
    target.searchParams.set("suche", q);
    link.href = target.pathname + target.search;
    link.textContent = format(text.finder, { q });
  }

  function showError(error) {
    remaining = [];
    list.replaceChildren();
    more.hidden = true;
    setStatus(error instanceof Unavailable ? error.message : text.failed, "error");
  }

  function open() {
    if (dialog.open) return;
    opener = document.activeElement;
    if (!openedBefore) filterBox.open = window.matchMedia("(min-width: 45em)").matches; // phones: folded
    openedBefore = true;
    dialog.showModal();
    document.documentElement.classList.add("ss-search-is-open");
    input.focus();
    input.select();
    if (!status.textContent) setStatus(text.loading, "busy");
    load().then(update, showError);
  }

  function close() {
    if (dialog.open) dialog.close();
  }

  dialog.addEventListener("close", () => {
    document.documentElement.classList.remove("ss-search-is-open");
    if (opener && opener.isConnected && typeof opener.focus === "function") opener.focus();
    opener = null;
  });

  // Escape closes the dialog at once, even while the search field still holds text. Tab wraps
  // around inside the dialog (a modal <dialog> alone would let focus leave for the browser's UI).
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      const focusable = Array.from(dialog.querySelectorAll("a[href], button, input, select, summary"))
        .filter((element) => !element.disabled && element.getClientRects().length > 0);
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) close(); // a click on the backdrop
    if (event.target.closest("a[href]")) close(); // a result, possibly on this very page
  });
  dialog.querySelector("[data-ss-search-close]").addEventListener("click", close);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    update();
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, TYPING_PAUSE_MS);
  });
  for (const select of selects) select.addEventListener("change", update);

  more.addEventListener("click", async () => {
    const id = generation;
    const items = await showMore(id);
    if (id !== generation || !items.length) return;
    items[0].querySelector("a").focus();
    setStatus(format(text.showing, { shown, n: total }), "done", shownQuery);
  });

  const editable = (element) =>
    element instanceof HTMLElement &&
    (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));

  document.addEventListener("keydown", (event) => {
    if (dialog.open || event.defaultPrevented || event.altKey) return;
    const ctrlK = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k";
    const slash = event.key === "/" && !event.ctrlKey && !event.metaKey && !editable(event.target);
    if (ctrlK || slash) {
      event.preventDefault();
      open();
    }
  });

  for (const button of openers) {
    button.addEventListener("click", open);
    button.hidden = false;
  }

  // A page opened from a result (?highlight=…) marks the search terms with Pagefind's own highlight
  // script from this site's bundle, loaded only then. Its inline <style> is switched off (the CSP allows
  // none): the marks are styled in site-search.css. Without #section in the URL, the first mark is shown.
  const terms = new URLSearchParams(location.search).getAll(HIGHLIGHT_PARAM).filter((term) => term.trim());
  if (terms.length && location.protocol !== "file:") {
    const script = new URL(dialog.dataset.bundle.replace(/pagefind\.js$/, "pagefind-highlight.js"), document.baseURI);
    import(script.href).then((module) => {
      const PagefindHighlight = module.default || window.PagefindHighlight;
      new PagefindHighlight({
        highlightParam: HIGHLIGHT_PARAM,
        addStyles: false,
        markOptions: { className: "ss-highlight", exclude: ["[data-pagefind-ignore]", "[data-pagefind-ignore] *", ".headerlink"] },
      });
      const first = document.querySelector("mark.ss-highlight");
      if (first && !location.hash) first.scrollIntoView({ block: "center" });
    }).catch(() => {}); // no index (e.g. PORTAL_SKIP=search): the page simply has no marks
  }
})();
