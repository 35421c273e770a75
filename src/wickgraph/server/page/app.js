// The wickgraph query page: named queries as examples, a SPARQL editor, a result table with labels beside IRIs,
// links from entities to their cards, and a graph view of CONSTRUCT results. Everything is served by this server.
"use strict";

const ENTITY_NS = "https://w3id.org/wickgraph/id/";
const ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9";
let prefixes = {};
let graphView = false;

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
    button.addEventListener("click", () => {
      $("query").value = q.example_query;
      $("query").focus();
    });
    list.append(el("li", {}, button));
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

function showTab(which) {
  $("tab-table").classList.toggle("active", which === "table");
  $("tab-graph").classList.toggle("active", which === "graph");
  $("result-table").hidden = which !== "table";
  $("graph-view").hidden = which !== "graph";
}

function downloadLinks(query, asOf, kind) {
  const span = $("download");
  span.replaceChildren();
  const keys = kind === "graph" ? ["turtle", "ntriples", "jsonld", "rdfxml"] : ["json", "csv", "tsv", "xml"];
  span.append("download: ");
  for (const key of keys) {
    const params = new URLSearchParams({ query, format: key });
    if (asOf) params.set("as-of", asOf);
    span.append(el("a", { href: "/sparql?" + params, download: "result." + key }, key), " ");
  }
}

async function run() {
  const query = $("query").value;
  const asOf = $("as-of").value;
  $("error").hidden = true;
  $("tabs").hidden = true;
  $("graph-view").hidden = true;
  $("result-table").hidden = false;
  $("results").replaceChildren();
  $("status").textContent = "running…";
  $("run").disabled = true;
  const started = performance.now();
  try {
    const form = new URLSearchParams({ query });
    if (asOf) form.set("as-of", asOf);
    const response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: ACCEPT },
      body: form,
    });
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
        $("tabs").hidden = false;
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
  } catch (err) {
    $("status").textContent = "failed";
    showError(String(err));
  } finally {
    $("run").disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("run").addEventListener("click", run);
  $("tab-table").addEventListener("click", () => showTab("table"));
  $("tab-graph").addEventListener("click", () => showTab("graph"));
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  loadNamedQueries().catch((err) => showError("could not load the named queries: " + err));
});
