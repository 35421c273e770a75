// Draws a pyvis network saved by wickgraph: the nodes, edges and options pyvis holds, read from the page's
// JSON block (never from markup), drawn with the vis-network copy inlined before this script.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("wg-pyvis-data").textContent);
  var options = data.options || {};
  if (options.configure && options.configure.enabled) {
    options.configure.container = document.getElementById("wg-pyvis-config");
  }
  var network = new vis.Network(
    document.getElementById("wg-pyvis-graph"),
    { nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) },
    options
  );
  var state = { network: network, counts: { nodes: data.nodes.length, edges: data.edges.length }, stable: false };
  state.drawn = function () {
    return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
  };
  function settle() {
    network.setOptions({ physics: { enabled: false } });
    state.stable = true;
  }
  if (options.physics && options.physics.enabled === false) {
    state.stable = true;
  } else {
    network.once("stabilizationIterationsDone", settle);
  }
  window.wickgraph = state;
}());
