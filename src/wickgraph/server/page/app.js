// The wickgraph query page: named queries as examples, a SPARQL editor, a result table with labels beside IRIs,
// links from entities to their cards, and a graph view of CONSTRUCT results. Everything is served by this server.
// The editor is CodeMirror (vendor/editor.js): highlighting, completion of the terms /terms lists, Ctrl+Enter runs.
// The page's state lives in its URL (?query=, ?as-of=, ?named= with one parameter each), so a link shares it.
"use strict";

const ENTITY_NS = "https://w3id.org/wickgraph/id/";
const ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9";
const HISTORY_KEY = "wickgraph.history";
const HISTORY_MAX = 30;
let prefixes = {};
let graphView = false;
let editor = null;
let namedQueries = {};
let named = null; // the named query shown as a form, or null when the editor is in use

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function compact(iri) {
  let best = null;
  for (const [p, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && (!best || ns.length > best[1].length)) best = [p, ns];
  }
  if (best) {
    const local = iri.slice(best[1].length);
    if (/^[\w.-]*$/.test(local) && !local.endsWith(".")) return best[0] + ":" + local;
  }
  return "<" + iri + ">";
}

// ---- named queries ------------------------------------------------------------------------------------------
async function loadNamedQueries() {
  const [status, queries] = await Promise.all([
    fetch("/status").then((r) => r.json()),
    fetch("/queries").then((r) => r.json()),
  ]);
  prefixes = status.prefixes || {};
  graphView = Boolean(status.graph_view);
  const list = $("query-list");
  for (const q of queries) {
    const button = el("button", { type: "button", "data-name": q.name, title: q.question },
      el("span", { class: "name" }, q.name), q.title);
    button.addEventListener("click", () => openNamed(q.name, {}));
    list.append(el("li", {}, button));
    namedQueries[q.name] = q;
  }
}

// ---- a named query as a form: one field per parameter ---------------------------------------------------------
function openNamed(name, values) {
  const q = namedQueries[name];
  if (!q) return false;
  named = q;
  $("named-title").textContent = q.title + " (" + q.name + ")";
  $("named-question").textContent = q.question;
  const fields = $("named-fields");
  fields.replaceChildren();
  for (const p of q.parameters) {
    const input = el("input", { type: "text", name: p.name, id: "param-" + p.name, placeholder: p.description || p.name });
    input.value = values[p.name] !== undefined ? values[p.name] : p.default || "";
    input.addEventListener("input", writeUrl);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        run();
      }
    });
    fields.append(el("label", { for: "param-" + p.name }, p.name, el("span", { class: "hint" }, p.description || "")), input);
  }
  $("named-form").hidden = false;
  $("editor-box").hidden = true;
  writeUrl();
  return true;
}

function closeNamed() {
  if (named) editor.setValue(named.example_query);
  named = null;
  $("named-form").hidden = true;
  $("editor-box").hidden = false;
  writeUrl();
  editor.focus();
}

function namedValues() {
  const values = {};
  for (const input of $("named-fields").querySelectorAll("input")) {
    if (input.value !== "") values[input.name] = input.value;
  }
  return values;
}

// ---- the state in the URL ---------------------------------------------------------------------------------------
function stateParams() {
  const params = new URLSearchParams();
  if (named) {
    params.set("named", named.name);
    for (const [k, v] of Object.entries(namedValues())) params.set(k, v);
  } else {
    params.set("query", editor.getValue());
  }
  if ($("as-of").value) params.set("as-of", $("as-of").value);
  return params;
}

function writeUrl() {
  if (!editor) return;
  history.replaceState(null, "", location.pathname + "?" + stateParams());
}

function readUrl() {
  const params = new URLSearchParams(location.search);
  if (params.get("as-of")) $("as-of").value = params.get("as-of");
  if (params.get("named")) {
    const values = {};
    for (const [k, v] of params) if (k !== "named" && k !== "as-of") values[k] = v;
    if (openNamed(params.get("named"), values)) return true;
    showError("no named query " + JSON.stringify(params.get("named")));
    return false;
  }
  if (params.get("query")) {
    editor.setValue(params.get("query"));
    return true;
  }
  return false;
}

// ---- history (this browser only) ----------------------------------------------------------------------------------
function readHistory() {
  try {
    const list = JSON.parse(localStorage.getItem(HISTORY_KEY) || "[]");
    return Array.isArray(list) ? list.filter((x) => typeof x === "string") : [];
  } catch {
    return [];
  }
}

function remember(query) {
  const list = [query, ...readHistory().filter((q) => q !== query)].slice(0, HISTORY_MAX);
  try {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(list));
  } catch {
    // storage full or refused: the history is a convenience
  }
  showHistory();
}

function showHistory() {
  const select = $("history");
  select.replaceChildren(el("option", { value: "" }, "recent queries…"));
  for (const q of readHistory()) {
    const line = q.replace(/\s+/g, " ").trim();
    select.append(el("option", { value: q }, line.length > 90 ? line.slice(0, 89) + "…" : line));
  }
}

// ---- copy as curl / Python -------------------------------------------------------------------------------------------
function shellQuote(text) {
  return "'" + text.replace(/'/g, "'\\''") + "'";
}

function curlCommand() {
  const base = location.origin;
  const asOf = $("as-of").value;
  if (named) {
    const parts = ["curl", "-sS", "-G", shellQuote(base + "/queries/" + named.name)];
    for (const [k, v] of Object.entries(namedValues())) parts.push("--data-urlencode", shellQuote(k + "=" + v));
    if (asOf) parts.push("--data-urlencode", shellQuote("as-of=" + asOf));
    return parts.join(" ");
  }
  const parts = ["curl", "-sS", "-H", shellQuote("Accept: " + ACCEPT), "--data-urlencode",
    shellQuote("query=" + editor.getValue())];
  if (asOf) parts.push("--data-urlencode", shellQuote("as-of=" + asOf));
  parts.push(shellQuote(base + "/sparql"));
  return parts.join(" ");
}

function pythonCode() {
  const base = location.origin;
  const asOf = $("as-of").value;
  if (named) {
    // wickgraph itself, against this server: the named query binds its parameters the same way
    const args = [JSON.stringify(named.name)];
    for (const [k, v] of Object.entries(namedValues())) {
      args.push(/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${k}=${JSON.stringify(v)}` : `**{${JSON.stringify(k)}: ${JSON.stringify(v)}}`);
    }
    if (asOf) args.push("as_of=" + JSON.stringify(asOf));
    return ["import wickgraph", "",
      "kg = wickgraph.open_graph(endpoint=" + JSON.stringify(base + "/sparql") + ")",
      "for row in kg.run(" + args.join(", ") + "):",
      "    print({name: str(term.value) for name, term in row.items() if term is not None})", ""].join("\n");
  }
  const lines = ["from SPARQLWrapper import JSON, SPARQLWrapper", "",
    "sparql = SPARQLWrapper(" + JSON.stringify(base + "/sparql") + ")",
    "sparql.setQuery(" + JSON.stringify(editor.getValue()) + ")"];
  if (asOf) lines.push("sparql.addParameter(\"as-of\", " + JSON.stringify(asOf) + ")");
  lines.push("sparql.setReturnFormat(JSON)", "print(sparql.queryAndConvert())", "");
  return lines.join("\n");
}

async function copy(text, button) {
  $("copied").value = text;
  try {
    await navigator.clipboard.writeText(text);
    $("status").textContent = button.textContent + ": copied";
  } catch {
    $("copied").hidden = false;
    $("copied").select();
    $("status").textContent = button.textContent + ": select and copy the text below";
  }
}

// ---- N-Triples (the CONSTRUCT answer) -------------------------------------------------------------------------
const NT_TERM = /<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?/g;

function unescapeNt(text) {
  return text.replace(/\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\(.)/g, (m, u4, u8, c) => {
    if (u4 || u8) return String.fromCodePoint(parseInt(u4 || u8, 16));
    return { t: "\t", n: "\n", r: "\r", b: "\b", f: "\f" }[c] ?? c;
  });
}

function parseNTriples(text) {
  const rows = [];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    const terms = [];
    NT_TERM.lastIndex = 0;
    let m;
    while (terms.length < 3 && (m = NT_TERM.exec(line)) !== null) {
      if (m[1] !== undefined) terms.push({ type: "uri", value: m[1] });
      else if (m[2] !== undefined) terms.push({ type: "bnode", value: m[2] });
      else {
        const lit = { type: "literal", value: unescapeNt(m[3]) };
        if (m[4]) lit["xml:lang"] = m[4];
        if (m[5]) lit.datatype = m[5];
        terms.push(lit);
      }
    }
    if (terms.length === 3) rows.push({ subject: terms[0], predicate: terms[1], object: terms[2] });
  }
  return rows;
}

// ---- results ------------------------------------------------------------------------------------------------
function termCell(term, labels) {
  const td = el("td");
  if (!term) return td;
  if (term.type === "uri") {
    const label = labels[term.value];
    const shown = compact(term.value);
    if (term.value.startsWith(ENTITY_NS)) {
      td.append(el("a", { href: "/card?name=" + encodeURIComponent(term.value), title: "entity card" }, label || shown));
    } else {
      td.append(el("span", { class: "label-text" }, label || shown));
    }
    if (label) td.append(el("span", { class: "iri" }, shown));
  } else if (term.type === "bnode") {
    td.append("_:" + term.value);
  } else if (term.type === "literal") {
    td.append(term.value);
    if (term.datatype) td.className = "typed"; // a date or number never wraps mid-value
    if (term["xml:lang"]) td.append(el("span", { class: "lang" }, "@" + term["xml:lang"]));
    else if (term.datatype) td.append(el("span", { class: "dt" }, compact(term.datatype)));
  } else {
    td.append(String(term.value));
  }
  return td;
}

async function fetchLabels(rows, vars) {
  const iris = new Set();
  for (const row of rows) {
    for (const v of vars) {
      if (row[v] && row[v].type === "uri") iris.add(row[v].value);
    }
  }
  if (!iris.size) return {};
  const response = await fetch("/labels", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify([...iris]),
  });
  return response.ok ? response.json() : {};
}

async function showTable(vars, rows) {
  const labels = await fetchLabels(rows, vars);
  const columns = chartable(vars, rows);
  $("tab-chart").hidden = !columns;
  if (columns) drawChart(columns, rows, labels);
  const table = $("results");
  table.replaceChildren();
  table.append(el("thead", {}, el("tr", {}, ...vars.map((v) => el("th", {}, v)))));
  const body = el("tbody");
  for (const row of rows) body.append(el("tr", {}, ...vars.map((v) => termCell(row[v], labels))));
  table.append(body);
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
}

const VIEWS = { table: "result-table", graph: "graph-view", chart: "chart-view", timeline: "timeline-view" };

function showTab(which) {
  for (const [name, id] of Object.entries(VIEWS)) {
    $("tab-" + name).classList.toggle("active", which === name);
    $(id).hidden = which !== name;
  }
  if (which === "timeline") {
    // The timeline of the film the named query asks about, or of every work.
    const params = new URLSearchParams();
    const film = named ? namedValues().film : null;
    if (film) params.set("film", film);
    if ($("as-of").value) params.set("as-of", $("as-of").value);
    const src = "/timeline?" + params;
    if ($("timeline-view").getAttribute("src") !== src) $("timeline-view").src = src;
  }
}

// ---- a bar chart of the first numeric column, labelled by the first other column --------------------------------
const NUMERIC = /#(integer|decimal|double|float|long|int|short|nonNegativeInteger|positiveInteger)$/;

function chartable(vars, rows) {
  const numeric = vars.find((v) => rows.length && rows.every((r) => !r[v] || (r[v].datatype && NUMERIC.test(r[v].datatype))));
  if (!numeric || !rows.some((r) => r[numeric])) return null;
  return { value: numeric, label: vars.find((v) => v !== numeric) };
}

function drawChart(columns, rows, labels) {
  const box = $("chart-view");
  box.replaceChildren(el("p", { class: "hint" }, `?${columns.value}` + (columns.label ? ` by ?${columns.label}` : "")));
  const values = rows.map((r) => (r[columns.value] ? Number(r[columns.value].value) : 0));
  const top = Math.max(...values.map(Math.abs), 1e-9);
  rows.forEach((row, i) => {
    const term = columns.label ? row[columns.label] : null;
    const name = term ? (term.type === "uri" ? labels[term.value] || compact(term.value) : term.value) : String(i + 1);
    const bar = el("div", { class: "bar" });
    bar.style.width = (Math.abs(values[i]) / top) * 100 + "%";
    box.append(el("div", { class: "bar-row", title: `${name}: ${values[i]}` },
      el("span", { class: "bar-label" }, name), el("span", { class: "bar-track" }, bar),
      el("span", { class: "bar-value" }, String(values[i]))));
  });
}

function downloadLinks(query, asOf, kind) {
  const span = $("download");
  span.replaceChildren();
  const keys = kind === "graph" ? ["turtle", "ntriples", "jsonld", "rdfxml"] : ["json", "csv", "tsv", "xml"];
  span.append("download: ");
  for (const key of keys) {
    const params = named ? new URLSearchParams(namedValues()) : new URLSearchParams({ query });
    params.set("format", key);
    if (asOf) params.set("as-of", asOf);
    const path = named ? "/queries/" + encodeURIComponent(named.name) : "/sparql";
    span.append(el("a", { href: path + "?" + params, download: "result." + key }, key), " ");
  }
}

async function run() {
  const query = named ? named.example_query : editor.getValue();
  const asOf = $("as-of").value;
  writeUrl();
  if (!named) remember(query);
  $("error").hidden = true;
  $("tabs").hidden = true;
  $("tab-graph").hidden = true;
  $("tab-chart").hidden = true;
  showTab("table");
  $("result-table").hidden = false;
  $("results").replaceChildren();
  $("status").textContent = "running…";
  $("run").disabled = true;
  const started = performance.now();
  try {
    let response;
    if (named) {
      const params = new URLSearchParams(namedValues());
      if (asOf) params.set("as-of", asOf);
      response = await fetch("/queries/" + encodeURIComponent(named.name) + "?" + params, { headers: { Accept: ACCEPT } });
    } else {
      const form = new URLSearchParams({ query });
      if (asOf) form.set("as-of", asOf);
      response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: ACCEPT },
        body: form,
      });
    }
    const text = await response.text();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      $("status").textContent = `${response.status} ${response.statusText} after ${seconds} s`;
      showError(text);
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    if (type.startsWith("application/n-triples")) {
      const triples = parseNTriples(text);
      await showTable(["subject", "predicate", "object"], triples);
      $("status").textContent = `${triples.length} triples in ${seconds} s`;
      downloadLinks(query, asOf, "graph");
      if (graphView) {
        const params = new URLSearchParams({ query });
        if (asOf) params.set("as-of", asOf);
        $("graph-view").src = "/viz?" + params;
        $("tab-graph").hidden = false;
      }
      showTab("table");
    } else {
      const data = JSON.parse(text);
      if ("boolean" in data) {
        await showTable(["boolean"], [{ boolean: { type: "literal", value: String(data.boolean) } }]);
        $("status").textContent = `ASK: ${data.boolean} in ${seconds} s`;
      } else {
        await showTable(data.head.vars, data.results.bindings);
        const n = data.results.bindings.length;
        $("status").textContent = `${n} row${n === 1 ? "" : "s"} in ${seconds} s`;
      }
      downloadLinks(query, asOf, "results");
    }
    $("tabs").hidden = false;
  } catch (err) {
    $("status").textContent = "failed";
    showError(String(err));
  } finally {
    $("run").disabled = false;
  }
}

const DEFAULT_QUERY = "SELECT ?actor ?character WHERE {\n  ?actor wg:plays ?character .\n}\nORDER BY ?actor\nLIMIT 50";

async function loadTerms() {
  const response = await fetch("/terms");
  if (response.ok) editor.setTerms(await response.json());
}

document.addEventListener("DOMContentLoaded", () => {
  editor = window.WickEditor.create($("query"), { doc: DEFAULT_QUERY, onRun: run, onChange: writeUrl });
  window.wickEditor = editor; // for the browser tests and the console
  $("run").addEventListener("click", run);
  $("tab-table").addEventListener("click", () => showTab("table"));
  $("tab-graph").addEventListener("click", () => showTab("graph"));
  $("tab-chart").addEventListener("click", () => showTab("chart"));
  $("tab-timeline").addEventListener("click", () => showTab("timeline"));
  $("named-close").addEventListener("click", closeNamed);
  $("as-of").addEventListener("change", writeUrl);
  $("copy-curl").addEventListener("click", (e) => copy(curlCommand(), e.target));
  $("copy-python").addEventListener("click", (e) => copy(pythonCode(), e.target));
  $("history").addEventListener("change", () => {
    if ($("history").value) {
      if (named) closeNamed();
      editor.setValue($("history").value);
      editor.focus();
    }
  });
  showHistory();
  loadTerms().catch((err) => showError("could not load the completion terms: " + err));
  loadNamedQueries()
    .then(() => {
      if (readUrl()) run();
    })
    .catch((err) => showError("could not load the named queries: " + err));
});
