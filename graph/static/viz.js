// diplograph viz: a dependency-free SVG renderer for one embedded graph.
// All text goes through textContent or setAttribute: data never becomes markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var svg = document.getElementById("graph");
  var NS = svg.namespaceURI;
  var panel = document.getElementById("panel");
  var tooltip = document.getElementById("tooltip");
  var KIND = data.colours.kind, REL = data.colours.relation;
  var W = 1000, H = 700, PAD = 40;
  var byId = {};
  var view = { x: 0, y: 0, w: W, h: H };
  var pinned = null;

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function html(tag, text, cls, parent) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    if (parent) parent.appendChild(node);
    return node;
  }
  function px(n) { return PAD + n.x * (W - 2 * PAD - 150); }
  function py(n) { return PAD + n.y * (H - 2 * PAD); }
  function setView() { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" ")); }

  // ------------------------------------------------------------ evidence text
  function source(parent, id) {
    var meta = data.articles[id] || {};
    var line = html("div", null, "source", parent);
    var bits = [meta.title || id];
    if (meta.title) bits.push("(" + id + ")");
    if (meta.source) bits.push(meta.source);
    if (meta.published) bits.push(meta.published);
    line.textContent = "\u2014 " + bits.join(", ");
    if (meta.url) html("div", meta.url, "source", parent);
  }
  function evidenceList(parent, edge, limit) {
    var list = html("ul", null, null, parent);
    edge.evidence.slice(0, limit).forEach(function (ev) {
      var item = html("li", null, null, list);
      if (ev.sentence) html("div", "\u201c" + ev.sentence + "\u201d", "sentence", item);
      var extra = [];
      if (ev.date) extra.push(ev.date);
      if (ev.conditional) extra.push("conditional");
      if (extra.length) html("div", extra.join(", "), "source", item);
      if (ev.article) source(item, ev.article);
    });
    if (edge.evidence.length > limit) html("li", "\u2026 " + (edge.evidence.length - limit) + " more", "hint", list);
  }
  function relationTitle(parent, edge) {
    var h = html("h2", null, null, parent);
    html("span", byId[edge.s].label + " ", null, h);
    html("span", edge.relation, edge.polarity || null, h);
    html("span", " " + byId[edge.t].label, null, h);
  }
  function describeEdge(parent, edge, limit) {
    relationTitle(parent, edge);
    evidenceList(parent, edge, limit);
  }
  function describeNode(parent, node, limit) {
    html("h2", node.label, null, parent);
    html("p", [node.kind, node.type].filter(Boolean).join(" \u00b7 ") + " \u00b7 " + node.degree + " link(s)", "meta", parent);
    node.edges.slice(0, limit).forEach(function (edge) { describeEdge(parent, edge, 2); });
    if (node.edges.length > limit) html("p", "\u2026 " + (node.edges.length - limit) + " more", "hint", parent);
  }
  function show(target, describe, item, limit) {
    while (target.firstChild) target.removeChild(target.firstChild);
    describe(target, item, limit);
  }

  // ------------------------------------------------------------ hover and selection
  function hover(event, describe, item) {
    show(tooltip, describe, item, 3);
    tooltip.hidden = false;
    var x = event.clientX + 14, y = event.clientY + 14;
    tooltip.style.left = Math.min(x, window.innerWidth - 370) + "px";
    tooltip.style.top = Math.min(y, window.innerHeight - 40) + "px";
    if (!pinned) show(panel, describe, item, 12);
  }
  function unhover() { tooltip.hidden = true; }
  function select(node) {
    pinned = node;
    data.nodes.forEach(function (n) { n.shape.classList.toggle("hit", n === node); });
    show(panel, describeNode, node, 30);
    panel.setAttribute("data-selected", node.id);
  }

  // ------------------------------------------------------------ drawing
  function shape(node, group) {
    var x = px(node), y = py(node), r = node.size, attrs = { fill: KIND[node.kind] || "#999", "class": "node" };
    var s;
    if (node.kind === "actor") {
      attrs.cx = x; attrs.cy = y; attrs.r = r; s = el("circle", attrs, group);
    } else if (node.kind === "meeting") {
      attrs.d = "M" + x + " " + (y - r * 1.3) + "L" + (x + r * 1.3) + " " + y + "L" + x + " " + (y + r * 1.3) + "L" + (x - r * 1.3) + " " + y + "Z";
      s = el("path", attrs, group);
    } else {
      attrs.x = x - r; attrs.y = y - r; attrs.width = 2 * r; attrs.height = 2 * r; s = el("rect", attrs, group);
    }
    s.setAttribute("data-id", node.id);
    return s;
  }
  function draw() {
    var defs = el("defs", {}, svg);
    Object.keys(REL).forEach(function (rel) {
      var m = el("marker", { id: "arrow-" + rel, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" }, defs);
      el("path", { d: "M0 0L10 5L0 10z", fill: REL[rel] }, m);
    });
    var edges = el("g", { id: "edges" }, svg), nodes = el("g", { id: "nodes" }, svg), labels = el("g", { id: "labels" }, svg);
    data.nodes.forEach(function (n) { n.edges = []; byId[n.id] = n; });
    var pairs = {};
    data.edges.forEach(function (e) {
      var key = e.s < e.t ? e.s + "\u0000" + e.t : e.t + "\u0000" + e.s;
      (pairs[key] = pairs[key] || []).push(e);
    });
    data.edges.forEach(function (e) {
      var a = byId[e.s], b = byId[e.t];
      a.edges.push(e); b.edges.push(e);
      var dx = px(b) - px(a), dy = py(b) - py(a), len = Math.sqrt(dx * dx + dy * dy) || 1;
      // parallel edges between one pair are drawn side by side, not on top of each other
      var group = pairs[e.s < e.t ? e.s + "\u0000" + e.t : e.t + "\u0000" + e.s];
      var shift = (group.indexOf(e) - (group.length - 1) / 2) * 5 * (e.s < e.t ? 1 : -1);
      var ox = -dy / len * shift, oy = dx / len * shift;
      var x2 = px(b) - dx / len * (b.size + 2) + ox, y2 = py(b) - dy / len * (b.size + 2) + oy;
      var attrs = { x1: px(a) + ox, y1: py(a) + oy, x2: x2, y2: y2 };
      e.line = el("line", Object.assign({ "class": "edge", stroke: REL[e.relation] || "#999", "stroke-width": 1 + Math.min(4, e.evidence.length - 1),
        "marker-end": "url(#arrow-" + e.relation + ")" }, attrs), edges);
      if (e.relation !== "supports" && e.relation !== "rejects") e.line.setAttribute("stroke-dasharray", "4 3");
      var hit = el("line", Object.assign({ "class": "edge-hit" }, attrs), edges);
      hit.addEventListener("mousemove", function (ev) { hover(ev, describeEdge, e); });
      hit.addEventListener("mouseleave", unhover);
    });
    var showAll = data.nodes.length <= 80;
    data.nodes.forEach(function (n) {
      n.shape = shape(n, nodes);
      n.shape.addEventListener("mousemove", function (ev) { hover(ev, describeNode, n); });
      n.shape.addEventListener("mouseleave", unhover);
      n.shape.addEventListener("click", function (ev) { ev.stopPropagation(); select(n); });
      n.text = el("text", { "class": "label", x: px(n) + n.size + 3, y: py(n) + 3 }, labels);
      n.text.textContent = n.label;
      if (!showAll && n.degree < 2) n.text.setAttribute("display", "none");
    });
    setView();
    return data.nodes.length;
  }

  // ------------------------------------------------------------ pan, zoom, search
  function interact() {
    var drag = null;
    svg.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y }; svg.classList.add("dragging"); });
    window.addEventListener("mouseup", function () { drag = null; svg.classList.remove("dragging"); });
    window.addEventListener("mousemove", function (ev) {
      if (!drag) return;
      var k = view.w / svg.clientWidth;
      view.x = drag.vx - (ev.clientX - drag.x) * k; view.y = drag.vy - (ev.clientY - drag.y) * k; setView();
    });
    svg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var f = ev.deltaY > 0 ? 1.15 : 1 / 1.15, r = svg.getBoundingClientRect();
      var mx = view.x + (ev.clientX - r.left) / r.width * view.w, my = view.y + (ev.clientY - r.top) / r.height * view.h;
      view.x = mx - (mx - view.x) * f; view.y = my - (my - view.y) * f; view.w *= f; view.h *= f; setView();
    }, { passive: false });
    svg.addEventListener("click", function () { pinned = null; data.nodes.forEach(function (n) { n.shape.classList.remove("hit"); }); });
    document.getElementById("search").addEventListener("input", function (ev) {
      var q = ev.target.value.trim().toLowerCase();
      data.nodes.forEach(function (n) {
        var dim = q !== "" && n.label.toLowerCase().indexOf(q) < 0;
        n.shape.classList.toggle("dim", dim); n.text.classList.toggle("dim", dim);
        if (q && !dim) n.text.removeAttribute("display");
      });
    });
  }
  function legend() {
    var foot = document.getElementById("legend");
    function item(colour, text) { var s = html("span", null, null, foot); html("span", "", "swatch", s).style.background = colour; s.appendChild(document.createTextNode(text)); }
    Object.keys(KIND).forEach(function (k) { item(KIND[k], k); });
    Object.keys(REL).forEach(function (k) { item(REL[k], k); });
  }

  var drawn = draw();
  interact();
  legend();
  document.getElementById("counts").textContent = drawn + " nodes, " + data.edges.length + " edges";
  var focus = /[#&]focus=([^&]*)/.exec(window.location.hash);
  if (focus && byId[decodeURIComponent(focus[1])]) select(byId[decodeURIComponent(focus[1])]);
  document.documentElement.setAttribute("data-node-count", String(svg.querySelectorAll(".node").length));
  document.documentElement.setAttribute("data-edge-count", String(svg.querySelectorAll(".edge").length));
  document.documentElement.setAttribute("data-ready", "true");
})();
