// An entity card: every fact about one entity with its source, date and certainty; sources that disagree side by
// side with the current claim marked. Data from /entity (JSON); all text is inserted as text, never as HTML.
"use strict";

const ENTITY_NS = "https://w3id.org/wickgraph/id/";

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

function valueNode(fact) {
  const v = fact.value;
  if (v && v.type === "uri" && v.value.startsWith(ENTITY_NS)) {
    return el("a", { href: "/card?name=" + encodeURIComponent(v.value) }, fact.value_label);
  }
  return document.createTextNode(fact.value_label);
}

function factList(facts, describe) {
  const list = el("ul");
  for (const f of facts) {
    const status = f.status || (f.current ? "current" : "superseded");
    const item = el("li", { class: status === "current" ? "" : status }, ...describe(f));
    const marks = (status === "current" ? "" : ` [${status}]`) + (f.inferred ? " [inferred]" : "");
    item.append(el("div", { class: "prov" },
      `${f.source_title}, ${f.date}, ${f.certainty}; ${f.span}${marks}`));
    list.append(item);
  }
  return list;
}

function statusOf(f) {
  return f.status || (f.current ? "current" : "superseded");
}

function provLine(f) {
  const status = statusOf(f);
  const marks = (status === "current" ? "" : ` [${status}]`) + (f.inferred ? " [inferred]" : "");
  return el("li", { class: "prov " + (status === "current" ? "" : status) },
    `${f.source_title}, ${f.date}, ${f.certainty}; ${f.span}${marks}`);
}

// One bullet per value, its claims (sources) listed under it, as the terminal card groups them. The value is
// marked with the best status among its claims: current when any source still says it.
function valueList(facts) {
  const list = el("ul", { class: "values" });
  const byValue = new Map();
  for (const f of facts) {
    const key = JSON.stringify([f.value && f.value.type, f.value && f.value.value, f.value_label]);
    if (!byValue.has(key)) byValue.set(key, []);
    byValue.get(key).push(f);
  }
  for (const claims of byValue.values()) {
    const statuses = claims.map(statusOf);
    const status = statuses.includes("current") ? "current" : statuses[0];
    const item = el("li", { class: status === "current" ? "value" : "value " + status }, valueNode(claims[0]));
    if (claims.length > 1) item.append(el("span", { class: "count" }, ` · ${claims.length} sources`));
    item.append(el("ul", { class: "sources" }, ...claims.map(provLine)));
    list.append(item);
  }
  return list;
}

function groupBy(facts, key) {
  const groups = new Map();
  for (const f of facts) {
    if (!groups.has(f[key])) groups.set(f[key], []);
    groups.get(f[key]).push(f);
  }
  return groups;
}

async function main() {
  const params = new URLSearchParams(location.search);
  const name = params.get("name");
  const box = document.getElementById("card");
  if (!name) {
    document.getElementById("card-status").textContent = "Give ?name=… (a label, an alias or an IRI).";
    return;
  }
  const query = new URLSearchParams({ name });
  if (params.get("as-of")) query.set("as-of", params.get("as-of"));
  const response = await fetch("/entity?" + query);
  const card = await response.json();
  box.replaceChildren();
  if (!response.ok) {
    box.append(el("p", { role: "alert" }, card.error));
    if (card.candidates && card.candidates.length) {
      const list = el("ul");
      for (const c of card.candidates) {
        list.append(el("li", {}, el("a", { href: "/card?name=" + encodeURIComponent(c.iri) }, c.label)));
      }
      box.append(list);
    }
    return;
  }
  document.title = "wickgraph: " + card.label;
  box.append(el("h2", {}, card.label));
  box.append(el("p", { class: "meta" }, card.types.join(", ") + " · " + card.iri));
  if (card.aliases.length) box.append(el("p", { class: "meta" }, "also called: " + card.aliases.join(", ")));
  if (card.as_of) box.append(el("p", { class: "meta" }, "as known on " + card.as_of));
  for (const [prop, facts] of groupBy(card.facts, "property_label")) {
    const heading = el("h3", {}, prop);
    if (card.conflicts.includes(prop)) heading.append(el("span", { class: "conflict" }, "  ≠ sources disagree"));
    box.append(heading, valueList(facts));
  }
  if (card.incoming.length) {
    box.append(el("h3", {}, "pointed at by"),
      factList(card.incoming, (f) => [`${f.subject} —${f.property_label}→`]));
  }
  for (const [node, facts] of Object.entries(card.qualified)) {
    box.append(el("h3", {}, node), factList(facts, (f) => [`${f.property_label}: `, valueNode(f)]));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  main().catch((err) => {
    document.getElementById("card").textContent = "could not load the card: " + err;
  });
});
