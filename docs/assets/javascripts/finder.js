/* Kontakt finden: the search box on the finder page (progressive enhancement; without JavaScript
 * the page's list of every office with its places still works).
 *
 * Written for this project, no dependencies. The lookup is the same algorithm as
 * hooks/schulerfolg/site/finder.py (FinderIndex); the tests run both over every place and compare them,
 * so change the two together. All HTML comes from <template> elements in the page; data text is
 * only ever inserted with textContent.
 */
(function () {
  "use strict";

  // --- normalisation (finder.py: fold, compact, name_keys, query_keys, school_tokens, school_words) ---

  var FOLD = { "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss" };
  var NOT_ALNUM = /[^a-z0-9]/g;
  var PARENTHESISED = /\([^)]*\)?/g;
  var TOKEN_SPLIT = /[\s\-/.,]+/;
  var POSTCODE = /(^|[^0-9])([0-9]{5})(?![0-9])/;
  var DIGITS_ONLY = /^\s*[0-9][0-9\s]*$/;
  var prefixPattern = null; // built from the index, which lists the title prefixes
  var KIND_ORDER = { m: 0, d: 1, l: 2 }; // among equally good matches: municipality, Landkreis, Ortsteil

  function fold(text) {
    var t = text.normalize("NFC").toLowerCase().replace(/[äöüß]/g, function (c) { return FOLD[c]; });
    return t.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function compact(folded) {
    return folded.replace(PARENTHESISED, " ").replace(NOT_ALNUM, "");
  }

  function unique(items) {
    var out = [];
    items.forEach(function (item) {
      if (item && out.indexOf(item) < 0) out.push(item);
    });
    return out;
  }

  function withoutPrefix(folded) {
    return folded.replace(prefixPattern, "");
  }

  function nameKeys(name) {
    var folded = fold(name);
    var forms = [folded, folded.replace(/[()]/g, " ")];
    var keys = [];
    forms.forEach(function (form) {
      keys.push(compact(form), compact(withoutPrefix(form)));
    });
    return unique(keys);
  }

  function queryKeys(query) {
    var folded = fold(query);
    return unique([compact(folded), compact(withoutPrefix(folded))]);
  }

  function words(folded) {
    return unique(folded.split(TOKEN_SPLIT).map(function (p) { return p.replace(NOT_ALNUM, ""); }));
  }

  function schoolTokens(query) {
    return words(fold(query).replace(PARENTHESISED, " "));
  }

  function schoolWords(name) {
    return words(fold(name).replace(/[()]/g, " "));
  }

  /* Damerau–Levenshtein (optimal string alignment) distance of at most 1. */
  function withinOneEdit(a, b) {
    if (a === b) return true;
    if (Math.abs(a.length - b.length) > 1) return false;
    if (a.length > b.length) { var swap = a; a = b; b = swap; }
    var i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    if (a.length < b.length) return a.slice(i) === b.slice(i + 1);
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }

  // --- the index, normalised once when it is loaded ---

  var data = null;
  var places = [];      // {kind: "m" | "d" | "l", index, keys}
  var byPostcode = new Map();
  var schoolWordLists = [];
  var limits = null;

  function prepare(index) {
    data = index;
    limits = index.limits;
    prefixPattern = new RegExp("^\\s*(?:" + index.prefixes.join("|") + ")[\\s-]+(?=[a-z0-9])");
    places = [];
    byPostcode = new Map();
    function addPostcodes(codes, place) {
      codes.split(" ").forEach(function (code) {
        if (!byPostcode.has(code)) byPostcode.set(code, []);
        byPostcode.get(code).push(place);
      });
    }
    index.municipalities.forEach(function (m, i) {
      var keys = [];
      [m[0]].concat(m[3]).forEach(function (name) { keys = keys.concat(nameKeys(name)); });
      var place = { kind: "m", index: i, keys: unique(keys) };
      places.push(place);
      addPostcodes(m[2], place);
    });
    index.districts.forEach(function (d, i) {
      places.push({ kind: "d", index: i, keys: nameKeys(d[0]) });
    });
    index.localities.forEach(function (l, i) {
      var place = { kind: "l", index: i, keys: nameKeys(l[0]) };
      places.push(place);
      addPostcodes(l[2], place);
    });
    schoolWordLists = index.schools.map(function (s) { return schoolWords(s[1]); });
  }

  function officeOf(place) {
    if (place.kind === "m") return data.municipalities[place.index][1];
    if (place.kind === "d") return data.districts[place.index][1];
    return data.municipalities[data.localities[place.index][1]][1];
  }

  function score(keys, names, typos) {
    var i, j;
    if (!typos) {
      for (i = 0; i < keys.length; i++) for (j = 0; j < names.length; j++) if (keys[i] === names[j]) return 0;
      for (j = 0; j < names.length; j++) if (names[j].startsWith(keys[0])) return 1;
      if (keys.length > 1) for (j = 0; j < names.length; j++) if (names[j].startsWith(keys[1])) return 2;
      return null;
    }
    keys = keys.filter(function (k) { return k.length >= limits.typo; });
    for (i = 0; i < keys.length; i++) for (j = 0; j < names.length; j++) if (withinOneEdit(keys[i], names[j])) return 3;
    for (i = 0; i < keys.length; i++) {
      var k = keys[i];
      if (k.length < limits.prefixTypo) continue;
      for (j = 0; j < names.length; j++) {
        for (var len = k.length - 1; len <= k.length + 1; len++) {
          if (len <= names[j].length && withinOneEdit(k, names[j].slice(0, len))) return 4;
        }
      }
    }
    return null;
  }

  function matchPlaces(keys) {
    var scored = [];
    function collect(typos) {
      places.forEach(function (place) {
        var s = score(keys, place.keys, typos);
        if (s !== null) scored.push([s, KIND_ORDER[place.kind], place.index, place]);
      });
    }
    collect(false);
    if (!scored.length && keys[0].length >= limits.typo) collect(true);
    scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return scored.map(function (s) { return [s[0], s[3]]; });
  }

  /* The places the query names as a whole (exactly, or with one typo), of the best kind only:
   * „Magdeburg“ is the city, not Magdeburgerforth; „Burg“ the town, not an Ortsteil elsewhere. */
  function answerOf(scored) {
    var whole = scored.filter(function (s) { return s[0] === 0 || s[0] === 3; });
    if (!whole.length) return [];
    var best = Math.min.apply(null, whole.map(function (s) { return s[0]; }));
    var kind = Math.min.apply(null, whole.filter(function (s) { return s[0] === best; })
      .map(function (s) { return KIND_ORDER[s[1].kind]; }));
    return whole.filter(function (s) { return s[0] === best && KIND_ORDER[s[1].kind] === kind; })
      .map(function (s) { return s[1]; });
  }

  function schoolsIn(placeList) {
    var wanted = [];
    placeList.forEach(function (p) {
      if (p.kind === "m") wanted.push(p.index);
      else if (p.kind === "l") wanted.push(data.localities[p.index][1]);
    });
    var found = [];
    data.schools.forEach(function (s, i) { if (wanted.indexOf(s[2]) >= 0) found.push(i); });
    return found;
  }

  function matchSchools(tokens) {
    var length = tokens.reduce(function (sum, t) { return sum + t.length; }, 0);
    if (length < 3) return [];
    var found = [];
    schoolWordLists.forEach(function (list, i) {
      var all = tokens.every(function (t) { return list.some(function (w) { return w.startsWith(t); }); });
      if (all) found.push(i);
    });
    return found;
  }

  function group(placeList) {
    var order = [];
    var groups = new Map();
    placeList.forEach(function (place) {
      var office = officeOf(place);
      if (!groups.has(office)) { groups.set(office, []); order.push(office); }
      groups.get(office).push([place.kind, place.index]);
    });
    return order.map(function (office) { return [office, groups.get(office)]; });
  }

  function result(kind, placeList, schools, morePlaces) {
    schools = schools || [];
    return { kind: kind, offices: group(placeList || []), more: group(morePlaces || []),
      schools: schools.slice(0, limits.schools), schoolTotal: schools.length };
  }

  function search(query) {
    var postcode = POSTCODE.exec(query);
    if (postcode) {
      var code = postcode[2];
      var found = byPostcode.get(code);
      if (!found) return result("postcode-unknown");
      var ordered = found.slice().sort(function (a, b) {
        return KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.index - b.index;
      });
      var schools = [];
      data.schools.forEach(function (s, i) { if (s[3] === code) schools.push(i); });
      return result("postcode", ordered, schools);
    }
    if (DIGITS_ONLY.test(query)) return result("postcode-incomplete");
    var keys = queryKeys(query);
    if (!keys.length) return result("empty");
    if (keys[0].length < 2) return result("short");
    var scored = matchPlaces(keys).slice(0, limits.places);
    var answer = answerOf(scored);
    var answered = answer.map(officeOf);
    // Namesakes in an office already named (an Ortsteil „Burg“ of Burg) would only repeat the answer.
    var rest = scored.filter(function (s) {
      return answer.indexOf(s[1]) < 0 && !((s[0] === 0 || s[0] === 3) && answered.indexOf(officeOf(s[1])) >= 0);
    }).map(function (s) { return s[1]; });
    var schools = schoolsIn(answer);
    matchSchools(schoolTokens(query)).forEach(function (i) { if (schools.indexOf(i) < 0) schools.push(i); });
    return result("text", answer, schools, rest);
  }

  // --- the page ---

  var root = document.querySelector("[data-finder]");
  if (!root) return;
  var form = root.querySelector("[data-finder-form]");
  var input = root.querySelector("input[type=search]");
  var status = root.querySelector("[data-finder-status]");
  var output = root.querySelector("[data-finder-results]");
  var districtParts = document.querySelectorAll("[data-district], [data-district-label]");
  var text = root.dataset;
  var announceTimer = 0;
  var PARAM = "suche"; // ?suche=… makes a shareable link; Material's own search already claims ?q=

  function fromTemplate(name) {
    return root.querySelector("template[data-finder-template=" + name + "]").content.firstElementChild.cloneNode(true);
  }

  function field(element, name) {
    return element.querySelector("[data-field=" + name + "]");
  }

  function fill(element, name, value) {
    field(element, name).textContent = value;
  }

  function telHref(phone) {
    var digits = phone.replace(/\D/g, "");
    return "tel:" + (digits.charAt(0) === "0" ? "+49" + digits.slice(1) : digits);
  }

  function contact(element, phone, email) {
    var tel = field(element, "tel");
    var mail = field(element, "mail");
    if (phone) { tel.href = telHref(phone); fill(tel, "value", phone); } else { tel.remove(); }
    if (email) { mail.href = "mailto:" + email; fill(mail, "value", email); } else { mail.remove(); }
    return Boolean(phone || email);
  }

  /* An action link, or nothing: removed when there is no value. */
  function action(element, name, href, value) {
    var link = field(element, name);
    if (!href) { link.remove(); return false; }
    link.href = href;
    if (value !== undefined) fill(link, "value", value);
    return true;
  }

  /* A term and its description, or nothing. */
  function detail(element, name, value) {
    if (value) { fill(element, name, value); return true; }
    field(element, name).remove();
    field(element, name + "-label").remove();
    return false;
  }

  function officeUrl(office) {
    return text.officeBase + encodeURIComponent(office[0]) + "/";
  }

  function placeItem(place, onlyPostcode) {
    var item = fromTemplate("place");
    var kinds = { m: "municipality-kind", d: "district-kind", l: "locality" };
    Object.keys(kinds).forEach(function (kind) {
      if (kind !== place[0]) field(item, kinds[kind]).remove();
    });
    var row;
    if (place[0] === "m") {
      row = data.municipalities[place[1]];
      fill(item, "postcodes", onlyPostcode || row[2].split(" ").join(", "));
    } else if (place[0] === "d") {
      row = data.districts[place[1]];
      field(item, "postcode-part").remove();
    } else {
      row = data.localities[place[1]];
      fill(item, "municipality", data.municipalities[row[1]][0]);
      fill(item, "postcodes", onlyPostcode || row[2].split(" ").join(", "));
    }
    fill(item, "name", row[0]);
    return item;
  }

  function officeCard(entry, onlyPostcode) {
    var office = data.offices[entry[0]];
    var card = fromTemplate("office");
    var link = field(card, "office-link");
    link.href = officeUrl(office);
    link.textContent = office[1];
    fill(card, "district", office[4] + " " + office[3]);
    var list = field(card, "places");
    entry[1].forEach(function (place) {
      list.appendChild(placeItem(place, onlyPostcode));
    });
    // Actions first: call, write, the office's own page; then the details.
    var reachable = action(card, "tel", office[5] && telHref(office[5]), office[5]);
    reachable = action(card, "mail", office[6] && "mailto:" + office[6], office[6]) || reachable;
    action(card, "page", office[7]);
    field(card, office[11] ? "page-own" : "page-overview").remove();
    if (reachable) field(card, "pending").remove();
    else if (office[11]) field(card, "pending-own").remove();
    var details = field(card, "details");
    var hasProvider = detail(details, "provider", office[8]);
    var hasAddress = detail(details, "address", office[9]);
    if (!hasProvider && !hasAddress) details.remove();
    var youth = office[10];
    var block = field(card, "youth");
    if (!youth) {
      block.remove();
    } else {
      fill(block, "youth-name", youth[0]);
      action(block, "youth-tel", youth[1] && telHref(youth[1]), youth[1]);
      action(block, "youth-mail", youth[2] && "mailto:" + youth[2], youth[2]);
      action(block, "youth-web", youth[3]);
      detail(block, "youth-address", youth[4]);
      detail(block, "youth-note", youth[5]);
    }
    return card;
  }

  /* Other places (prefix matches, namesakes elsewhere): one line each, with the office they belong to. */
  function moreItem(entry) {
    var office = data.offices[entry[0]];
    var item = fromTemplate("place-entry");
    fill(item, "places", entry[1].map(function (place) {
      var row = place[0] === "m" ? data.municipalities[place[1]] : place[0] === "d" ? data.districts[place[1]] : data.localities[place[1]];
      return place[0] === "l" ? row[0] + " (" + data.municipalities[row[1]][0] + ")" : row[0];
    }).join(", "));
    var link = field(item, "office-link");
    link.href = officeUrl(office);
    link.textContent = office[1];
    return item;
  }

  function schoolItem(index) {
    var school = data.schools[index];
    var municipality = data.municipalities[school[2]];
    var office = data.offices[municipality[1]];
    var item = fromTemplate("school");
    var link = field(item, "school-link");
    link.href = text.schoolBase + encodeURIComponent(school[0]) + "/";
    link.textContent = school[1];
    fill(item, "where", school[3] + " " + (school[4] || municipality[0]));
    if (school[7]) {
      // Demo data: the contacts are invented, so they are text, never tel:/mailto: links.
      field(item, "contact").remove();
      var demo = field(item, "demo-contact");
      if (school[5]) fill(field(demo, "demo-tel"), "value", school[5]); else field(demo, "demo-tel").remove();
      if (school[6]) fill(field(demo, "demo-mail"), "value", school[6]); else field(demo, "demo-mail").remove();
      if (!school[5] && !school[6]) demo.remove();
    } else {
      field(item, "demo").remove();
      field(item, "demo-contact").remove();
      if (!contact(item, school[5], school[6])) field(item, "contact").remove();
    }
    var officeLink = field(item, "office-link");
    officeLink.href = officeUrl(office);
    officeLink.textContent = office[1];
    return item;
  }

  function section(name, items) {
    var block = fromTemplate(name);
    var list = field(block, "list");
    items.forEach(function (item) { list.appendChild(item); });
    return block;
  }

  function placeCount(groups) {
    return groups.reduce(function (sum, entry) { return sum + entry[1].length; }, 0);
  }

  /* Whether every other place begins with the query (rather than resembling it, with one typo). */
  function startsWith(groups, query) {
    var keys = queryKeys(query);
    return groups.every(function (entry) {
      return entry[1].every(function (place) {
        var row = place[0] === "m" ? data.municipalities[place[1]] : place[0] === "d" ? data.districts[place[1]] : data.localities[place[1]];
        return nameKeys(row[0]).some(function (k) {
          return keys.some(function (q) { return k.startsWith(q); });
        });
      });
    });
  }

  function count(n, one, many) {
    return n === 1 ? one : many.replace("{n}", String(n));
  }

  function highlight(officeIndexes) {
    var keys = officeIndexes.map(function (i) { return data.offices[i][2]; });
    districtParts.forEach(function (part) {
      var key = part.getAttribute("data-district") || part.getAttribute("data-district-label");
      part.classList.toggle("is-match", keys.indexOf(key) >= 0);
    });
  }

  function announce(message) {
    clearTimeout(announceTimer);
    // Wait until typing pauses, so that screen readers announce the result once, not per keystroke.
    announceTimer = setTimeout(function () { status.textContent = message; }, 600);
  }

  function show(query) {
    var res = search(query);
    var nodes = [];
    var message = "";
    if (res.kind === "postcode-unknown") {
      var outside = fromTemplate("outside");
      fill(outside, "postcode", POSTCODE.exec(query)[2]);
      nodes.push(outside);
      message = text.textOutside;
    } else if (res.kind === "postcode-incomplete") {
      message = text.textIncomplete;
    } else if (res.kind === "postcode" || res.kind === "text") {
      var code = res.kind === "postcode" ? POSTCODE.exec(query)[2] : "";
      if (res.offices.length > 1 && code) {
        var choice = fromTemplate("choice");
        fill(choice, "postcode", code);
        nodes.push(choice);
      }
      if (res.offices.length) {
        var block = section("offices", res.offices.map(function (entry) { return officeCard(entry, code); }));
        field(block, res.offices.length === 1 ? "many" : "one").remove();
        nodes.push(block);
      }
      if (res.more.length) {
        var more = section("more", res.more.map(moreItem));
        var shown = res.offices.length ? (startsWith(res.more, query) ? "begin" : "other") : "prefix-only";
        ["begin", "other", "prefix-only"].forEach(function (name) { if (name !== shown) field(more, name).remove(); });
        if (shown === "begin") fill(more, "query", query);
        nodes.push(more);
      }
      if (res.schools.length) {
        var schools = section("schools", res.schools.map(schoolItem));
        if (!res.schools.some(function (i) { return data.schools[i][7]; })) field(schools, "demo-note").remove();
        if (res.schoolTotal > res.schools.length) {
          fill(schools, "more-count", String(res.schoolTotal - res.schools.length));
        } else {
          field(schools, "more").remove();
        }
        nodes.push(schools);
      }
      var parts = [];
      if (res.offices.length) parts.push(count(res.offices.length, text.textOfficeOne, text.textOfficeMany));
      else if (res.more.length) parts.push(count(placeCount(res.more), text.textPlaceOne, text.textPlaceMany));
      if (res.schoolTotal) parts.push(count(res.schoolTotal, text.textSchoolOne, text.textSchoolMany));
      if (parts.length) {
        message = text.textFound.replace("{results}", parts.join(" " + text.textAnd + " "));
      } else {
        nodes.push(fromTemplate("none"));
        message = text.textNone;
      }
    }
    output.replaceChildren.apply(output, nodes);
    highlight((res.offices.length ? res.offices : res.more).map(function (entry) { return entry[0]; }));
    announce(message);
  }

  function currentQuery() {
    return input.value.trim();
  }

  function remember(query) {
    var url = new URL(window.location.href);
    if (query) url.searchParams.set(PARAM, query); else url.searchParams.delete(PARAM);
    window.history.replaceState(null, "", url);
  }

  var ready = fetch(text.index)
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (index) {
      prepare(index);
      if (currentQuery()) show(currentQuery());
    })
    .catch(function () {
      status.textContent = text.textError;
      form.hidden = true;
    });

  form.hidden = false;
  var initial = new URL(window.location.href).searchParams.get(PARAM);
  if (initial && !input.value) input.value = initial;

  input.addEventListener("input", function () {
    if (!data) return;
    show(currentQuery());
    remember(currentQuery());
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && input.value) {
      input.value = "";
      show("");
      remember("");
    }
  });
  form.addEventListener("submit", function (event) {
    // Enter: the results are already shown; move to the first one.
    event.preventDefault();
    var first = output.querySelector("a[href]");
    if (first) first.focus();
  });

  window.SchulerfolgFinder = {
    ready: ready,
    search: search,
    fold: fold,
    compact: compact,
    nameKeys: nameKeys,
    queryKeys: queryKeys,
    schoolTokens: schoolTokens,
    schoolWords: schoolWords,
    withinOneEdit: withinOneEdit
  };
})();
