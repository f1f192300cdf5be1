/* The compare page (vergelijk): jouw school beside up to five other schools (or, within one
 * opleidingsdomein, institution × domain units), with the national figure as reference. The
 * figures come from small JSON files beside the page (vergelijk/data/, written by
 * jobmonitor/site/compare.py); the tests run here, in vergelijk-stats.js (JobCompareStats),
 * one family per pair over every var both units published. Plain script, no framework, no
 * eval, no inline handlers: it runs under CSP script-src 'self'.
 *
 * Rules it keeps: units stay in the visitor's order (never sorted by a figure); a verdict only
 * from the test, in words; the national column is shown, never tested; a hidden cell holds the
 * words "te weinig respondenten" and nothing else, and takes no part in any test.
 *
 * DOM contract (templates/vergelijk.md.j2 holds the form): every unit cell is
 * td[data-unit][data-item]; its figure is .job-vg-value, its interval .job-vg-ci; a cell of
 * another unit where both units published the var carries data-pair-verdict (the code from
 * comparePair, "" where no test was possible) and its words in .job-vg-pair. */
(function () {
  "use strict";

  var MAX = 6;
  var PCT = { pct_positive: 1, pct_yes: 1 };
  var SHOWN = { published: 1, indicative: 1 }; // anything else is hidden
  var OWN = { favourable: 1, unfavourable: 1, higher: 1, lower: 1 }; // benchmark verdicts shown
  var FILE = /^[A-Za-z0-9_-]+\.json$/; // data files sit beside eenheden.json: never another host
  var WORDS = { favourable: "gunstiger", unfavourable: "ongunstiger", no_difference: "geen duidelijk verschil",
    higher: "hoger", lower: "lager", suppressed: "te weinig respondenten", indicative: "indicatief" };
  var has = Object.prototype.hasOwnProperty;

  var root = document.getElementById("job-vergelijk");
  if (!root || !window.fetch || !window.URL || !window.JobCompareStats) return; // the fallback text stays

  function $(id) { return document.getElementById(id); }
  var form = $("job-vg-form"), input = $("job-vg-input"), options = $("job-vg-options"),
    chosen = $("job-vg-chosen"), domainBox = $("job-vg-domain-wrap"), domainSelect = $("job-vg-domain"),
    status = $("job-vg-status"), results = $("job-vg-results"),
    modes = root.querySelectorAll("input[name=job-vg-mode]");
  var base = new URL(root.getAttribute("data-index") || "data/eenheden.json", location.href);
  var meta = null, cache = {}, seq = 0;
  var state = { mode: "institution", domain: "", ids: [] };

  // --- small helpers ------------------------------------------------------------------------

  // An element with attributes ("text" = its text) and children (nodes or strings).
  function el(tag, attrs, kids) {
    var node = document.createElement(tag), k;
    for (k in attrs || {}) {
      if (!has.call(attrs, k) || attrs[k] === null || attrs[k] === undefined) continue;
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (kid) {
      if (kid !== null && kid !== "") node.appendChild(typeof kid === "string" ? document.createTextNode(kid) : kid);
    });
    return node;
  }

  function word(code) { return (meta && meta.words && meta.words[code]) || WORDS[code] || code; }

  // "a", "a en b", "a, b en c"
  function names(list) {
    return list.length < 2 ? list.join("") : list.slice(0, -1).join(", ") + " en " + list[list.length - 1];
  }

  // Lowercase without accents or extra spaces, for matching what a visitor types.
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function isNum(v) { return typeof v === "number" && isFinite(v); }

  // Fixed decimals as Python's format() does: an exact tie (x·2^(d+1) odd) goes to even.
  function fixed(x, d) {
    var a = Math.abs(x), s = a * Math.pow(2, d + 1), p = Math.pow(10, d), n;
    if (s === Math.floor(s) && s % 2 === 1) {
      n = Math.floor(a * p);
      if (n % 2) n += 1;
      return (x < 0 ? "-" : "") + (n / p).toFixed(d);
    }
    return x.toFixed(d);
  }

  function dutch(x, d) { return fixed(x, d).replace(".", ","); }

  // The figure as on the rest of the site: "67,3 %", "6,5"; the interval "(65,5–69,0)", with two
  // decimals for means (formatting.format_interval).
  function figure(v, measure) { return isNum(v) ? dutch(v, 1) + (PCT[measure] ? " %" : "") : "—"; }

  function interval(lo, hi, measure) {
    var d = PCT[measure] ? 1 : 2;
    return isNum(lo) && isNum(hi) ? "(" + dutch(lo, d) + "–" + dutch(hi, d) + ")" : "";
  }

  function say(text) { status.textContent = text; }

  // --- data ---------------------------------------------------------------------------------

  // One JSON file, fetched once; a failure is forgotten so a later choice tries again.
  function load(file) {
    if (!FILE.test(file)) return Promise.reject(new Error(file));
    if (!cache[file]) {
      cache[file] = fetch(new URL(file, base).href, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error(file);
        return r.json();
      }).catch(function () {
        delete cache[file];
        throw new Error(file);
      });
    }
    return cache[file];
  }

  function inst(id) { return has.call(meta.inst, id) ? meta.inst[id] : null; }

  function dom(id) { return has.call(meta.dom, id) ? meta.dom[id] : null; }

  function eligible(id, mode, domain) {
    var i = inst(id);
    if (!i) return false;
    return mode !== "domain" || (!!domain && (i.domains || []).indexOf(domain) >= 0);
  }

  function unitKey(id) {
    return state.mode === "domain" ? "institution_domain|" + id + "|" + state.domain : "institution|" + id + "|";
  }

  function label(i) { return i.place ? i.name + " (" + i.place + ")" : i.name; }

  // What a visitor can still add, in the list's own (alphabetical) order.
  function candidates() {
    return meta.institutions.filter(function (i) {
      return state.ids.indexOf(i.id) < 0 && eligible(i.id, state.mode, state.domain);
    });
  }

  // --- the choice in the URL ----------------------------------------------------------------

  function writeHash() {
    var h = (state.mode === "domain" && state.domain ? state.domain + ":" : "") + state.ids.join(",");
    history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
  }

  // "#I001,I004" or "#D03:I001,I004"; the first id is jouw school. Unknown ids are skipped.
  function readHash(e) {
    var text = location.hash.slice(1), bad = [], ids = [], mode = "institution", domain = "", m, notes = [];
    try { text = decodeURIComponent(text); } catch (e) { bad.push(text); text = ""; }
    m = /^([^:,]*):(.*)$/.exec(text);
    if (m) {
      if (dom(m[1])) { mode = "domain"; domain = m[1]; } else if (m[1]) bad.push(m[1]);
      text = m[2];
    }
    text.split(",").forEach(function (id) {
      id = id.trim();
      if (!id || ids.indexOf(id) >= 0) return;
      if (eligible(id, mode, domain)) ids.push(id); else bad.push(id);
    });
    if (bad.length) notes.push("Niet herkend in de link en overgeslagen: " + bad.join(", ") + ".");
    if (ids.length > MAX) {
      notes.push("Je kunt hoogstens " + MAX + " scholen vergelijken; de rest is weggelaten.");
      ids = ids.slice(0, MAX);
    }
    state.mode = mode; state.domain = domain; state.ids = ids;
    if (location.hash) writeHash(); // the link as understood: unknown ids dropped
    controls();
    // On load only a problem is announced; a changed link says what it chose.
    if (ids.length && e) notes.unshift(chosenText());
    say(notes.join(" "));
    update();
  }

  function chosenText() {
    var own = inst(state.ids[0]), others = state.ids.slice(1).map(function (id) { return inst(id).name; });
    return "Jouw school: " + own.name + "." + (others.length ? " Vergeleken met: " + names(others) + "." : "") +
      (state.mode === "domain" ? " Binnen het opleidingsdomein " + dom(state.domain).name + "." : "");
  }

  // --- the picker ---------------------------------------------------------------------------

  function controls() {
    var i, open = state.mode === "domain", usable = !open || !!state.domain;
    for (i = 0; i < modes.length; i++) modes[i].checked = modes[i].value === state.mode;
    domainBox.hidden = !open;
    domainSelect.value = state.domain;
    input.disabled = !usable;
    options.textContent = "";
    if (usable) candidates().forEach(function (c) { options.appendChild(el("option", { value: label(c) })); });
    chosen.textContent = "";
    state.ids.forEach(function (id, n) {
      var unit = inst(id), name = el("span", { "class": "sr", text: " " + unit.name }), item;
      item = el("li", { "class": n ? null : "job-vg-own" }, [el("span", { "class": "job-vg-name", text: label(unit) })]);
      if (!n) item.appendChild(el("strong", { "class": "job-vg-badge", text: "jouw school" }));
      else item.appendChild(button("maak jouw school", name.cloneNode(true), function () { makeOwn(n); }, "own"));
      item.appendChild(button("verwijder", name, function () { remove(n); }, "remove"));
      chosen.appendChild(item);
    });
    $("job-vg-count").textContent = state.ids.length ? "(" + state.ids.length + " van " + MAX + ")" : "(nog geen)";
  }

  function button(text, hidden, action, kind) {
    var b = el("button", { type: "button", "class": "job-vg-btn job-vg-" + kind }, [text, hidden]);
    b.addEventListener("click", action);
    return b;
  }

  // The schools that fit what was typed: the exact label, else the exact name, else a part.
  function matches(text) {
    var q = fold(text), list = candidates(), hit;
    if (!q) return [];
    hit = list.filter(function (c) { return fold(label(c)) === q; });
    if (!hit.length) hit = list.filter(function (c) { return fold(c.name) === q; });
    if (!hit.length) hit = list.filter(function (c) { return fold(label(c)).indexOf(q) >= 0; });
    return hit;
  }

  function tryAdd() {
    var text = input.value, hit = matches(text);
    if (!fold(text)) { say("Typ de naam of de plaats van een school."); return; }
    if (hit.length === 1) { add(hit[0]); return; }
    say(hit.length ? hit.length + " scholen passen bij ‘" + text + "’: typ verder of kies er een uit de lijst."
      : "Geen school gevonden bij ‘" + text + "’" + (state.mode === "domain" ? " in dit opleidingsdomein" : "") +
        " die nog niet gekozen is.");
  }

  function add(unit) {
    if (state.ids.length >= MAX) {
      say("Je kunt hoogstens " + MAX + " scholen vergelijken. Verwijder eerst een school.");
      return;
    }
    state.ids.push(unit.id);
    input.value = "";
    changed(unit.name + " toegevoegd" + (state.ids.length === 1 ? " als jouw school" : "") + ". " +
      state.ids.length + " van " + MAX + " gekozen.");
  }

  function remove(n) {
    var gone = inst(state.ids[n]).name, next;
    state.ids.splice(n, 1);
    changed(gone + " verwijderd." + (n === 0 && state.ids.length ? " Jouw school is nu " + inst(state.ids[0]).name + "." : ""));
    // The button is gone: focus the one that took its place, else the search field.
    next = chosen.querySelectorAll(".job-vg-remove")[Math.min(n, state.ids.length - 1)];
    (next || input).focus();
  }

  function makeOwn(n) {
    var id = state.ids.splice(n, 1)[0];
    state.ids.unshift(id);
    changed("Jouw school is nu " + inst(id).name + ".");
    chosen.querySelector(".job-vg-remove").focus();
  }

  // Switching to one domain keeps the chosen schools that have it, and says which went. Without
  // a domain yet: the first of jouw school's domains that every chosen school has, else its first.
  function firstDomain() {
    var own = state.ids.length ? inst(state.ids[0]).domains || [] : [], shared = own.filter(function (d) {
      return state.ids.every(function (id) { return eligible(id, "domain", d); });
    });
    return shared[0] || own[0] || "";
  }

  function setMode(mode, domain) {
    var dropped = [], m = mode === "domain";
    state.mode = mode;
    if (m) state.domain = domain !== undefined ? domain : state.domain || firstDomain();
    if (!m || state.domain) {
      state.ids = state.ids.filter(function (id) {
        return eligible(id, state.mode, state.domain) || (dropped.push(inst(id).name), false);
      });
    }
    changed((m ? (state.domain ? "Je vergelijkt nu binnen het opleidingsdomein " + dom(state.domain).name + "."
      : "Kies een opleidingsdomein.") : "Je vergelijkt nu hele instellingen.") +
      (dropped.length ? " Niet in dit domein en daarom weggelaten: " + names(dropped) + "." : ""));
  }

  function changed(message) {
    writeHash();
    controls();
    say(message);
    update();
  }

  // --- results ------------------------------------------------------------------------------

  function note(info) {
    var text = info.note || "";
    if (info.direction === "lower_better" && text.indexOf("lager is beter") < 0) text += (text ? " · " : "") + "lager is beter";
    return text;
  }

  // The rows a unit may be tested on: published or indicative, with the questionnaire's
  // measure and direction. Hidden rows never reach a test.
  function testRows(rows) {
    var out = {}, id, r, v;
    for (id in rows) {
      if (!has.call(rows, id) || !has.call(meta.vars, id) || !rows[id] || !SHOWN[rows[id].status]) continue;
      r = rows[id]; v = meta.vars[id];
      out[id] = { measure: v.measure, direction: v.direction, estimate: r.estimate, n_eff: r.n_eff, sd: r.sd,
        skew: r.skew, kurt: r.kurt };
    }
    return out;
  }

  function update() {
    var my = ++seq, files;
    results.textContent = "";
    results.removeAttribute("aria-busy");
    if (state.mode === "domain" && !state.domain) {
      results.appendChild(el("p", { "class": "job-vg-empty", text: "Kies eerst een opleidingsdomein." }));
      return;
    }
    if (!state.ids.length) {
      results.appendChild(el("p", { "class": "job-vg-empty", text: "Kies eerst jouw school. Daarna voeg je de scholen toe waarmee je hem wilt vergelijken." }));
      return;
    }
    // One small file per unit: the domain nationally and each chosen institution × domain unit
    // (`I001-D07.json`), or each chosen institution.
    files = [meta.national_file].concat(state.mode === "domain"
      ? [dom(state.domain).file].concat(state.ids.map(function (id) { return id + "-" + state.domain + ".json"; }))
      : state.ids.map(function (id) { return inst(id).file; }));
    results.setAttribute("aria-busy", "true");
    results.appendChild(el("p", { "class": "job-vg-empty", text: "De cijfers worden geladen…" }));
    Promise.all(files.map(load)).then(function (data) {
      if (my !== seq) return;
      var units = {};
      data.forEach(function (d) { Object.assign(units, (d && d.units) || {}); });
      draw(units);
    }, function (err) {
      if (my !== seq) return;
      var text = "De cijfers konden niet worden geladen (bestand " + err.message + "). Controleer je verbinding en " +
        "probeer het opnieuw, of bekijk de resultaten op de pagina's van de instellingen en opleidingsdomeinen.";
      results.textContent = "";
      results.removeAttribute("aria-busy");
      results.appendChild(el("p", { "class": "job-vg-error", text: text }));
      say((status.textContent ? status.textContent + " " : "") + text);
    });
  }

  // The columns: the chosen units in the visitor's order, then the reference column(s).
  function columns(units) {
    var bench = state.mode === "domain" ? "landelijk binnen het domein" : "landelijk", cols, d, missing = [];
    cols = state.ids.map(function (id, n) {
      var unit = inst(id), key = unitKey(id);
      if (!units[key]) missing.push(unit.name);
      return { key: key, name: unit.name, sub: n ? unit.place : "jouw school", url: unit.url,
        label: n ? unit.name : unit.name + " (jouw school)", rows: (units[key] || {}).rows || {}, bench: bench, own: !n };
    });
    cols.push({ key: "national||", name: "Landelijk", sub: "niet getoetst", label: "Landelijk",
      rows: (units["national||"] || {}).rows || {}, ref: true });
    if (state.mode === "domain") {
      d = dom(state.domain);
      cols.push({ key: "domain||" + d.id, name: "Landelijk binnen " + d.name, sub: "niet getoetst",
        label: "Landelijk binnen " + d.name, rows: (units["domain||" + d.id] || {}).rows || {}, ref: true });
    }
    cols.missing = missing;
    return cols;
  }

  function draw(units) {
    var cols = columns(units), own = testRows(cols[0].rows), stats = window.JobCompareStats, sections, any = { indicative: false },
      count = 0;
    // One family per pair, over every var both published: computed once, shared by all tables.
    cols.forEach(function (c, n) { if (n && !c.ref) c.pair = stats.comparePair(own, testRows(c.rows), meta.thresholds); });
    results.textContent = "";
    results.removeAttribute("aria-busy");
    results.appendChild(el("p", { "class": "job-vg-lead" }, [chosenText() + " " + (state.mode === "domain"
      ? "Landelijk en landelijk binnen het domein staan ernaast ter vergelijking; die worden niet getoetst."
      : "Landelijk staat ernaast ter vergelijking; dat wordt niet getoetst.") + " Tussen haakjes staat de bandbreedte (" +
      (meta.confidence || "95") + "%-betrouwbaarheidsinterval)."]));
    if (cols.missing.length) {
      results.appendChild(el("p", { "class": "job-vg-error", text: "Geen cijfers gevonden voor " + names(cols.missing) + "." }));
    }
    sections = [{ id: "rapportcijfers", name: "Rapportcijfers", vars: meta.marks || [] }].concat(meta.themes || []);
    sections.forEach(function (s, n) {
      var t = table(s, n, cols, any);
      if (t) { results.appendChild(t); count++; }
    });
    if (!count) results.appendChild(el("p", { "class": "job-vg-empty", text: "Voor deze keuze zijn geen cijfers gepubliceerd." }));
    if (any.indicative) {
      results.appendChild(el("p", { "class": "job-footnote" }, [el("small", { text: "Indicatief: er deden minder studenten mee " +
        "dan de benodigde respons; het cijfer is minder zeker. Trek er voorzichtig conclusies uit." })]));
    }
  }

  function table(section, n, cols, any) {
    var vars = (section.vars || []).filter(function (id) {
      return has.call(meta.vars, id) && cols.some(function (c) { return has.call(c.rows, id); });
    }), id = "job-vg-t" + n, head, body, wrap;
    if (!vars.length) return null;
    head = el("tr", null, [el("th", { scope: "col", text: "Vraag" })]);
    cols.forEach(function (c) {
      var name = c.url && !/^([a-z]+:|\/\/)/i.test(c.url) ? el("a", { href: c.url, text: c.name }) : c.name;
      head.appendChild(el("th", { scope: "col", "class": c.ref ? "job-vg-ref" : c.own ? "job-vg-own" : null },
        [name, c.sub ? el("small", { "class": "job-vg-role", text: c.sub }) : null]));
    });
    body = el("tbody");
    vars.forEach(function (v) {
      var info = meta.vars[v], text = note(info), row = el("tr", { "data-item": v },
        [el("th", { scope: "row" }, [info.text || v, text ? " " : "", text ? el("small", { "class": "job-note", text: "(" + text + ")" }) : null])]);
      cols.forEach(function (c) { row.appendChild(cell(c, v, info, any)); });
      body.appendChild(row);
    });
    // Every table as wide as its columns need (vergelijk.css), so the columns line up.
    wrap = el("div", { "class": "job-table-scroll job-vg-scroll", tabindex: "0", role: "region", "aria-labelledby": id + "-bijschrift" }, [
      el("table", { "class": "job-table job-cards job-vg-table", id: id, style: "--job-vg-cols: " + cols.length }, [
        el("caption", { id: id + "-bijschrift" }, [el("span", { "class": "job-caption", text: section.name })]),
        el("thead", null, [head]), body])]);
    return wrap;
  }

  function cell(c, v, info, any) {
    var r = has.call(c.rows, v) ? c.rows[v] : null, box = el("span", { "class": "job-vg-c" }),
      td = el("td", { "data-unit": c.key, "data-item": v, "data-label": c.label,
        "class": c.ref ? "job-vg-ref" : c.own ? "job-vg-own" : null }, [box]),
      pair, code;
    if (!r) {
      box.textContent = "niet gevraagd";
      td.classList.add("job-vg-none");
      return td;
    }
    if (!SHOWN[r.status]) { // hidden: the words only, nothing else from the row
      box.textContent = word("suppressed");
      td.classList.add("job-vg-hidden");
      return td;
    }
    box.appendChild(el("span", { "class": "job-vg-figure" }, [el("span", { "class": "job-vg-value", text: figure(r.estimate, info.measure) }),
      interval(r.ci_low, r.ci_high, info.measure) ? " " : "",
      el("span", { "class": "job-vg-ci", text: interval(r.ci_low, r.ci_high, info.measure) })]));
    if (r.status === "indicative") {
      any.indicative = true;
      box.appendChild(el("span", { "class": "job-vg-flag", text: word("indicative") }));
    }
    if (!c.ref && OWN[r.verdict]) {
      box.appendChild(el("span", { "class": "job-vg-bench job-vg-v-" + r.verdict, text: word(r.verdict) + " dan " + c.bench }));
    }
    pair = c.pair && has.call(c.pair, v) ? c.pair[v] : null;
    if (pair) {
      code = pair.verdict || "";
      td.setAttribute("data-pair-verdict", code);
      if (code) {
        box.appendChild(el("span", { "class": "job-vg-pair job-vg-v-" + code,
          text: word(code) + (code === "no_difference" ? " met jouw school" : " dan jouw school") }));
      }
    }
    return td;
  }

  // --- start --------------------------------------------------------------------------------

  function start(index) {
    meta = index;
    meta.inst = {}; meta.dom = {};
    (meta.institutions || []).forEach(function (i) { meta.inst[i.id] = i; });
    (meta.domains || []).forEach(function (d) {
      meta.dom[d.id] = d;
      domainSelect.appendChild(el("option", { value: d.id, text: d.name }));
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); tryAdd(); });
    // Choosing an option of the list puts its exact label in the field: add it at once.
    input.addEventListener("input", function () {
      var hit = matches(input.value);
      if (hit.length === 1 && fold(label(hit[0])) === fold(input.value)) add(hit[0]);
    });
    for (var i = 0; i < modes.length; i++) {
      modes[i].addEventListener("change", function (e) { if (e.target.checked) setMode(e.target.value); });
    }
    domainSelect.addEventListener("change", function () { setMode("domain", domainSelect.value); });
    window.addEventListener("hashchange", readHash);
    form.hidden = false;
    $("job-vg-output").hidden = false;
    $("job-vg-fallback").hidden = true;
    readHash(null);
  }

  fetch(base.href, { credentials: "same-origin" }).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(start).catch(function () {
    var p = el("p", { "class": "job-vg-error", text: "De vergelijking kon niet worden geladen. Probeer het later opnieuw, " +
      "of bekijk de resultaten op de pagina's van de instellingen en opleidingsdomeinen." });
    results.textContent = "";
    results.appendChild(p);
    $("job-vg-output").hidden = false;
  });
})();
