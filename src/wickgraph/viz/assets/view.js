/* wickgraph's HTML view: draws the graph in #wg-data with vis-network, and the legend, filters, search and
   tooltips around it. Every text from the data reaches the page through textContent or the canvas, never
   as markup. window.wickgraph exposes the state (stable, counts, the network) to tests and benchmarks. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("wg-data").textContent);
  var state = { stable: false, stableAt: null, network: null, data: data, errors: [] };
  window.wickgraph = state;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // ---- header --------------------------------------------------------------------------------------
  document.getElementById("wg-title").textContent = data.title;
  document.getElementById("wg-subtitle").textContent = data.subtitle;
  var notes = document.getElementById("wg-notes");
  data.notes.forEach(function (note) { notes.appendChild(el("li", null, note)); });

  // ---- data sets -----------------------------------------------------------------------------------
  var byId = {};
  var visNodes = data.nodes.map(function (n) {
    byId[n.id] = n;
    var node = {
      id: n.id, label: n.label, shape: n.shape,
      color: { background: n.color, border: n.focus ? "#111111" : shade(n.color), highlight: { background: n.color, border: "#111111" }, hover: { background: n.color, border: "#111111" } },
      borderWidth: n.focus ? 4 : 1,
      font: n.shape === "text" ? { size: 18, color: "#333333" } : { size: n.fontSize || (n.focus ? 18 : 13), color: fontColour(n.shape) },
      size: n.focus ? 20 : 12
    };
    if (n.x !== undefined) { node.x = n.x; node.y = n.y; node.fixed = true; node.physics = false; }
    if (n.width) node.widthConstraint = { maximum: n.width };
    return node;
  });
  var edgeById = {};
  var visEdges = data.edges.map(function (e) {
    edgeById[e.id] = e;
    var edge = {
      id: e.id, from: e.from, to: e.to, label: data.edgeLabels ? e.label : undefined,
      arrows: e.arrows ? { to: { enabled: true, scaleFactor: 0.5 } } : { to: { enabled: false } },
      smooth: e.smooth ? { enabled: true, type: e.smooth.type, roundness: e.smooth.roundness } : { enabled: false },
      dashes: !!e.dashes
    };
    if (e.color) edge.color = { color: e.color, highlight: e.color, hover: e.color };
    if (e.width) edge.width = e.width;
    return edge;
  });

  function shade(hex) {
    var n = parseInt(hex.slice(1), 16);
    var r = Math.max(0, (n >> 16) - 40), g = Math.max(0, ((n >> 8) & 255) - 40), b = Math.max(0, (n & 255) - 40);
    return "#" + ((1 << 24) + (r << 16) + (g << 8) + b).toString(16).slice(1);
  }
  function fontColour(shape) { return shape === "box" || shape === "ellipse" ? "#111111" : "#222222"; }

  // ---- filters: by class and by source -------------------------------------------------------------
  var hiddenKinds = {};
  var chosenSources = null; // null: every source
  var visibleEdges = {};
  var connected = {};

  function recompute() {
    visibleEdges = {};
    connected = {};
    data.edges.forEach(function (e) {
      var a = byId[e.from], b = byId[e.to];
      if (!a || !b || hiddenKinds[a.kind] || hiddenKinds[b.kind]) return;
      if (chosenSources !== null && !e.sources.some(function (s) { return chosenSources[s]; })) return;
      visibleEdges[e.id] = true;
      connected[e.from] = true;
      connected[e.to] = true;
    });
  }
  recompute();
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var nodeView = new vis.DataView(nodes, { filter: function (n) {
    var info = byId[n.id];
    return !hiddenKinds[info.kind] && (chosenSources === null || connected[n.id] === true);
  } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return visibleEdges[e.id] === true; } });

  function refresh() {
    recompute();
    nodeView.refresh();
    edgeView.refresh();
    document.getElementById("wg-shown").textContent =
      "showing " + nodeView.length + " of " + data.nodes.length + " nodes, " + edgeView.length + " of " + data.edges.length + " edges";
    if (state.stable) placeLabels(); // a filter frees room for labels, or takes it
  }

  // A filter row: a label holding a checked box marked ATTR=VALUE; a change calls onChange(box).
  function checkRow(attr, value, onChange) {
    var row = el("label", "wg-row");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.setAttribute(attr, value);
    box.addEventListener("change", function () { onChange(box); });
    row.appendChild(box);
    return row;
  }

  var legend = document.getElementById("wg-legend");
  data.legend.forEach(function (item) {
    var row = checkRow("data-kind", item.kind, function (box) {
      if (box.checked) delete hiddenKinds[item.kind]; else hiddenKinds[item.kind] = true;
      refresh();
    });
    var swatch = el("span", "wg-swatch wg-shape-" + item.shape);
    swatch.style.backgroundColor = item.color;
    row.appendChild(swatch);
    row.appendChild(el("span", "wg-name", item.label));
    row.appendChild(el("span", "wg-count", item.count));
    legend.appendChild(row);
  });

  var sourceList = document.getElementById("wg-sources");
  if (data.sources.length === 0) {
    sourceList.parentNode.hidden = true;
  }
  var sourceBoxes = [];
  data.sources.forEach(function (source) {
    var row = checkRow("data-source", source.id, function () {
      var chosen = {}, all = true;
      sourceBoxes.forEach(function (b) {
        if (b.checked) chosen[b.getAttribute("data-source")] = true; else all = false;
      });
      chosenSources = all ? null : chosen;
      refresh();
    });
    sourceBoxes.push(row.firstChild);
    row.appendChild(el("span", "wg-name", source.title));
    row.appendChild(el("span", "wg-count", source.count));
    row.title = source.id;
    sourceList.appendChild(row);
  });
  state.filterSources = function (ids) {
    sourceBoxes.forEach(function (b) { b.checked = ids === null || ids.indexOf(b.getAttribute("data-source")) >= 0; });
    chosenSources = null;
    if (ids !== null) { chosenSources = {}; ids.forEach(function (id) { chosenSources[id] = true; }); }
    refresh();
  };
  state.hideKind = function (kind, hidden) {
    if (hidden) hiddenKinds[kind] = true; else delete hiddenKinds[kind];
    refresh();
  };

  // ---- the network ---------------------------------------------------------------------------------
  var big = data.nodes.length > 500;
  var options = {
    autoResize: true, width: "100%", height: "100%",
    layout: { randomSeed: data.seed, improvedLayout: data.nodes.length <= 100 },
    physics: data.physics ? {
      enabled: true,
      solver: data.solver,
      barnesHut: data.solverOptions,
      forceAtlas2Based: data.solverOptions,
      maxVelocity: 50, minVelocity: 0.75, timestep: 0.5, adaptiveTimestep: true,
      // Stabilise in small batches so the page stays responsive; then physics stops for good.
      stabilization: { enabled: true, iterations: data.iterations, updateInterval: 25, fit: true }
    } : { enabled: false },
    interaction: { hover: true, hoverConnectedEdges: false, tooltipDelay: 3600000, hideEdgesOnDrag: big, hideEdgesOnZoom: big, navigationButtons: false, keyboard: false },
    nodes: { borderWidth: 1, size: 12, font: { size: 13 } },
    edges: {
      width: 1, selectionWidth: 2, hoverWidth: 1.5,
      color: { color: "#9aa0a6", highlight: "#333333", hover: "#333333" },
      font: { size: 10, color: "#444444", align: "horizontal", strokeWidth: 3, strokeColor: "#ffffff" },
      smooth: { enabled: false }
    }
  };
  var container = document.getElementById("wg-graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  state.network = network;
  state.counts = { nodes: data.nodes.length, edges: data.edges.length };
  state.drawn = function () {
    return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
  };

  // ---- legible labels: at least MIN_PX on screen, thinned so that none overlaps another ----------------
  // A label is drawn at its own size or MIN_PX on screen, whichever is larger. Labels are placed by rank (the
  // focus, then boxes and text, then by number of edges) and one that would overlap a label already placed
  // is left out (hovering shows it, and zooming in makes room for it). Edge labels, where the view has them,
  // are placed after the node labels by the same rule.
  var MIN_PX = 12, EDGE_MIN_PX = 10.5, MARGIN = 0.9;
  var degree = {};
  data.edges.forEach(function (e) { degree[e.from] = (degree[e.from] || 0) + 1; degree[e.to] = (degree[e.to] || 0) + 1; });
  var measure = document.createElement("canvas").getContext("2d");
  function textWidth(text, size) {
    measure.font = size + "px arial";
    var widest = 0;
    String(text).split("\n").forEach(function (line) { widest = Math.max(widest, measure.measureText(line).width); });
    return widest;
  }
  function overlaps(box, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      var b = boxes[i];
      if (box.l < b.r && b.l < box.r && box.t < b.b && b.t < box.b) return true;
    }
    return false;
  }
  var shownEdgeLabel = {}; // edge id -> its label is drawn at rest
  state.labelled = { nodes: {}, edges: {} };
  function placeLabels() {
    var scale = network.getScale(), placed = [], nodeUpdates = [], edgeUpdates = [];
    var ids = nodeView.getIds();
    var positions = network.getPositions(ids);
    var ranked = ids.slice().sort(function (a, b) {
      var na = byId[a], nb = byId[b];
      var ra = (na.focus ? 4 : 0) + (na.x !== undefined || na.shape === "box" || na.shape === "text" ? 2 : 0);
      var rb = (nb.focus ? 4 : 0) + (nb.x !== undefined || nb.shape === "box" || nb.shape === "text" ? 2 : 0);
      return rb - ra || (degree[b] || 0) - (degree[a] || 0) || (a < b ? -1 : a > b ? 1 : 0);
    });
    state.labelled = { nodes: {}, edges: {} };
    ranked.forEach(function (id) {
      var n = byId[id], base = n.shape === "text" ? 18 : n.fontSize || (n.focus ? 18 : 13);
      var size = Math.max(base, MIN_PX / scale), p = positions[id];
      var width = n.width ? Math.min(textWidth(n.label, size), n.width) : textWidth(n.label, size);
      var lines = n.width ? Math.ceil(textWidth(n.label, size) / n.width) + String(n.label).split("\n").length - 1 : String(n.label).split("\n").length;
      var height = size * 1.2 * lines, inside = n.shape === "box" || n.shape === "ellipse" || n.shape === "text";
      var top = inside ? p.y - height / 2 : p.y + (n.focus ? 20 : 12) + 2;
      var box = { l: p.x - width / 2 - 2, r: p.x + width / 2 + 2, t: top - 1, b: top + height + 1 };
      var keep = n.x !== undefined || n.focus || !overlaps(box, placed); // laid-out views keep every label
      if (keep) { placed.push(box); state.labelled.nodes[id] = size * scale; }
      var update = { id: id, label: keep ? n.label : undefined, font: { size: size } };
      // A box or ellipse is as wide as its label: one left unlabelled is drawn as a small dot of its colour.
      if (inside && n.shape !== "text") { update.shape = keep ? n.shape : "dot"; update.size = keep ? 12 : 7; }
      nodeUpdates.push(update);
    });
    if (data.edgeLabels) {
      var edgeIds = edgeView.getIds().slice().sort(function (a, b) {
        var ea = edgeById[a], eb = edgeById[b];
        var fa = byId[ea.from].focus || byId[ea.to].focus ? 1 : 0, fb = byId[eb.from].focus || byId[eb.to].focus ? 1 : 0;
        return fb - fa || eb.sources.length - ea.sources.length || (a < b ? -1 : a > b ? 1 : 0);
      });
      var edgeSize = Math.max(10, EDGE_MIN_PX / scale);
      edgeIds.forEach(function (id) {
        var e = edgeById[id], drawn = network.body.edges[id], mid;
        try { mid = drawn.edgeType.getPoint(0.5); } catch (err) { mid = null; }
        if (!mid) { var a = positions[e.from] || network.getPositions([e.from])[e.from], b = positions[e.to] || network.getPositions([e.to])[e.to]; mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }; }
        var w = textWidth(e.label, edgeSize), box = { l: mid.x - w / 2 - 2, r: mid.x + w / 2 + 2, t: mid.y - edgeSize * 0.6 - 1, b: mid.y + edgeSize * 0.6 + 1 };
        var keep = !overlaps(box, placed);
        if (keep) { placed.push(box); state.labelled.edges[id] = edgeSize * scale; }
        shownEdgeLabel[id] = keep;
        edgeUpdates.push({ id: id, label: keep ? e.label : " ", font: { size: edgeSize } });
      });
    }
    nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
  }
  function fitWithMargin() {
    network.fit({ animation: false });
    network.moveTo({ scale: network.getScale() * MARGIN, animation: false });
  }
  // redraw() first takes in a resize vis has not yet seen (its own resize handler may run later and would
  // otherwise shift the view that was just fitted), and after each placement it re-measures the nodes.
  state.fit = function () {
    network.redraw(); fitWithMargin(); placeLabels();
    network.redraw(); fitWithMargin(); placeLabels();
    network.redraw();
  };
  var zoomTimer = null;
  network.on("zoom", function () {
    if (zoomTimer) clearTimeout(zoomTimer);
    zoomTimer = setTimeout(function () { zoomTimer = null; placeLabels(); }, 150);
  });

  function markStable() {
    network.once("afterDrawing", function () {
      state.stable = true;
      state.stableAt = performance.now();
    });
    network.redraw();
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      state.fit();
      markStable();
    });
  } else {
    state.fit();
    markStable();
  }
  refresh();

  // ---- tooltips and details ------------------------------------------------------------------------
  var tip = document.getElementById("wg-tooltip");
  function fill(target, lines) {
    while (target.firstChild) target.removeChild(target.firstChild);
    if (!lines || !lines.length) return;
    target.appendChild(el("div", "wg-tip-head", lines[0]));
    var list = el("ul");
    for (var i = 1; i < lines.length; i++) list.appendChild(el("li", null, lines[i]));
    target.appendChild(list);
  }
  function show(lines, pointer) {
    fill(tip, lines);
    tip.hidden = false;
    var box = container.getBoundingClientRect();
    var x = box.left + pointer.x + 14, y = box.top + pointer.y + 14;
    var width = tip.offsetWidth, height = tip.offsetHeight;
    if (x + width > window.innerWidth - 8) x = Math.max(8, window.innerWidth - width - 8);
    if (y + height > window.innerHeight - 8) y = Math.max(8, box.top + pointer.y - height - 14);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hide() { tip.hidden = true; }
  state.tipFor = function (kind, id) { return (kind === "node" ? byId[id] : edgeById[id]).tip; };
  network.on("hoverNode", function (p) { show(byId[p.node].tip, p.pointer.DOM); });
  var hoverLabel = null; // an edge whose label is shown only while hovered
  network.on("hoverEdge", function (p) {
    show(edgeById[p.edge].tip, p.pointer.DOM);
    if (data.edgeLabels && !shownEdgeLabel[p.edge]) { hoverLabel = p.edge; edges.update({ id: p.edge, label: edgeById[p.edge].label }); }
  });
  network.on("blurNode", hide);
  network.on("blurEdge", function () {
    hide();
    if (hoverLabel !== null && !shownEdgeLabel[hoverLabel]) edges.update({ id: hoverLabel, label: " " });
    hoverLabel = null;
  });
  network.on("dragStart", hide);
  network.on("zoom", hide);
  var details = document.getElementById("wg-details");
  network.on("click", function (p) {
    if (p.nodes.length) fill(details, byId[p.nodes[0]].tip);
    else if (p.edges.length) fill(details, edgeById[p.edges[0]].tip);
    else fill(details, []);
  });

  // ---- search --------------------------------------------------------------------------------------
  var search = document.getElementById("wg-search");
  var labels = document.getElementById("wg-labels");
  data.nodes.slice().sort(function (a, b) { return a.label < b.label ? -1 : a.label > b.label ? 1 : 0; })
    .forEach(function (n) { if (n.shape !== "text") { var o = el("option"); o.value = n.label; labels.appendChild(o); } });
  var message = document.getElementById("wg-search-message");
  function find(text) {
    var wanted = text.trim().toLowerCase();
    if (!wanted) return null;
    var exact = null, starts = null, contains = null;
    data.nodes.forEach(function (n) {
      var label = n.label.toLowerCase();
      if (label === wanted || n.id.toLowerCase() === wanted) exact = exact || n;
      else if (label.indexOf(wanted) === 0) starts = starts || n;
      else if (label.indexOf(wanted) >= 0) contains = contains || n;
    });
    return exact || starts || contains;
  }
  state.search = function (text) {
    var found = find(text);
    if (!found) { message.textContent = "No node matches \u201c" + text + "\u201d."; return null; }
    if (!nodeView.get(found.id)) { message.textContent = found.label + " is hidden by a filter."; return null; }
    message.textContent = "";
    network.selectNodes([found.id]);
    network.focus(found.id, { scale: 1.4, animation: false });
    fill(details, found.tip);
    return found.id;
  };
  search.addEventListener("keydown", function (event) { if (event.key === "Enter") state.search(search.value); });
  search.addEventListener("change", function () { state.search(search.value); });
  document.getElementById("wg-fit").addEventListener("click", function () { state.fit(); });
})();
