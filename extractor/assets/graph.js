/* extractor graph page: filters, search and the evidence panel.
 *
 * Reads the graph from the JSON block with id "graph-data".
 * Every article-derived string is put into the page with textContent (or a
 * DOM property), never parsed as HTML. Sets window.__graphReady = true once
 * the network is drawn and every control is wired.
 */
(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('graph-data').textContent);
  var STYLE = DATA.style;
  var DOCS = DATA.documents;
  var NODES = DATA.nodes;
  var EDGES = DATA.edges;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function fmt(n) { return Number(n).toLocaleString('en-US'); }
  function byId(id) { return document.getElementById(id); }

  var SVGNS = 'http://www.w3.org/2000/svg';
  function svg(w, h) {
    var s = document.createElementNS(SVGNS, 'svg');
    s.setAttribute('width', w); s.setAttribute('height', h); s.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
    s.setAttribute('class', 'swatch'); s.setAttribute('aria-hidden', 'true');
    return s;
  }
  function svgEl(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function shapeSwatch(shape, color) {
    var s = svg(16, 16), a = { fill: color, stroke: 'rgba(0,0,0,.35)', 'stroke-width': 1 };
    var pts = {
      diamond: '8,1 15,8 8,15 1,8', triangle: '8,1.5 15,14 1,14', triangleDown: '1,2 15,2 8,14.5',
      hexagon: '4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8',
      star: '8,0.8 10,6 15.5,6 11,9.4 12.8,15 8,11.6 3.2,15 5,9.4 0.5,6 6,6'
    };
    if (shape === 'square') { a.x = 2; a.y = 2; a.width = 12; a.height = 12; s.appendChild(svgEl('rect', a)); }
    else if (pts[shape]) { a.points = pts[shape]; s.appendChild(svgEl('polygon', a)); }
    else { a.cx = 8; a.cy = 8; a.r = 6.5; s.appendChild(svgEl('circle', a)); }
    return s;
  }
  function lineSwatch(color, dashed, width) {
    var s = svg(30, 12);
    var a = { x1: 1, y1: 6, x2: 23, y2: 6, stroke: color, 'stroke-width': width || 2.5 };
    if (dashed) { a['stroke-dasharray'] = '5 3'; }
    s.appendChild(svgEl('line', a));
    s.appendChild(svgEl('polygon', { points: '22,2 29,6 22,10', fill: color }));
    return s;
  }

  /* ------------------------------------------------------------ state */
  var state = { types: {}, classes: {}, minEvidence: 1, hedged: true, negated: true };
  STYLE.type_order.forEach(function (t) { state.types[t] = true; });
  STYLE.class_order.forEach(function (c) { state.classes[c] = true; });
  var nodeOn = new Uint8Array(NODES.length), edgeOn = new Uint8Array(EDGES.length);

  function computeVisibility() {
    var hasEdge = new Uint8Array(NODES.length), i;
    for (i = 0; i < NODES.length; i++) { nodeOn[i] = state.types[NODES[i].type] !== false ? 1 : 0; }
    for (i = 0; i < EDGES.length; i++) {
      var e = EDGES[i];
      var on = state.classes[e['class']] !== false && e.n >= state.minEvidence &&
        (state.hedged || !e.hedged) && (state.negated || !e.negated) && nodeOn[e.s] && nodeOn[e.t];
      edgeOn[i] = on ? 1 : 0;
      if (on) { hasEdge[e.s] = 1; hasEdge[e.t] = 1; }
    }
    var filtering = state.minEvidence > 1 || !state.hedged || !state.negated ||
      STYLE.class_order.some(function (c) { return state.classes[c] === false; });
    var shown = 0, shownEdges = 0;
    for (i = 0; i < NODES.length; i++) {
      if (filtering && !hasEdge[i] && NODES[i].degree > 0) { nodeOn[i] = 0; }
      shown += nodeOn[i];
    }
    for (i = 0; i < EDGES.length; i++) { shownEdges += edgeOn[i]; }
    byId('shown').textContent = 'showing ' + fmt(shown) + ' concepts, ' + fmt(shownEdges) + ' relations';
  }

  /* ------------------------------------------------------------ network */
  var nodeSet = new vis.DataSet(DATA.vis.nodes);
  var edgeSet = new vis.DataSet(DATA.vis.edges);
  computeVisibility();
  var nodeView = new vis.DataView(nodeSet, { filter: function (n) { return nodeOn[n.id] === 1; } });
  var edgeView = new vis.DataView(edgeSet, { filter: function (e) { return edgeOn[e.id] === 1; } });
  var network = new vis.Network(byId('canvas'), { nodes: nodeView, edges: edgeView }, DATA.vis.options);
  window.__graph = { network: network, nodes: nodeSet, edges: edgeSet, data: DATA };

  function refresh() {
    computeVisibility();
    nodeView.refresh();
    edgeView.refresh();
  }

  /* ------------------------------------------------------------ controls */
  function buildFilters() {
    var typeBox = byId('types');
    STYLE.type_order.forEach(function (t) {
      var st = STYLE.types[t], count = DATA.counts.types[t] || 0;
      if (!count) { return; }
      var row = el('label', 'row'), cb = el('input');
      cb.type = 'checkbox'; cb.checked = true; cb.value = t;
      cb.addEventListener('change', function () { state.types[t] = cb.checked; refresh(); });
      row.appendChild(cb); row.appendChild(shapeSwatch(st.shape, st.color));
      row.appendChild(el('span', null, st.label)); row.appendChild(el('span', 'count', fmt(count)));
      typeBox.appendChild(row);
    });
    var classBox = byId('classes');
    STYLE.class_order.forEach(function (c) {
      var st = STYLE.classes[c], count = DATA.counts.classes[c] || 0;
      if (!count) { return; }
      var row = el('label', 'row'), cb = el('input');
      cb.type = 'checkbox'; cb.checked = true; cb.value = c;
      cb.addEventListener('change', function () { state.classes[c] = cb.checked; refresh(); });
      row.appendChild(cb); row.appendChild(lineSwatch(st.color, false));
      row.appendChild(el('span', null, st.label)); row.appendChild(el('span', 'count', fmt(count)));
      classBox.appendChild(row);
    });
    [['hedged', 'show-hedged'], ['negated', 'show-negated']].forEach(function (p) {
      byId(p[1]).addEventListener('change', function (ev) { state[p[0]] = ev.target.checked; refresh(); });
    });
    var range = byId('min-evidence'), out = byId('min-evidence-value');
    range.max = String(Math.max(1, DATA.counts.max_evidence));
    range.addEventListener('input', function () {
      state.minEvidence = parseInt(range.value, 10) || 1; out.textContent = String(state.minEvidence); refresh();
    });
    var key = byId('key');
    function keyRow(swatch, text) { var r = el('div', 'key'); r.appendChild(swatch); r.appendChild(el('span', null, text)); key.appendChild(r); }
    keyRow(lineSwatch('#6b7280', true), 'dashed: hedged (may, suggests \u2026)');
    keyRow(lineSwatch(STYLE.negated_color, false), '\u2298 red: negated (did not \u2026)');
    keyRow(lineSwatch('#6b7280', false, 5), 'thicker: more evidence sentences');
    keyRow(shapeSwatch('dot', '#9aa5b1'), 'bigger: more mentions / documents');
  }

  var list = byId('concepts');
  var lookup = {};
  function addName(name, i) {
    var k = String(name).toLowerCase();
    if (!(k in lookup)) { lookup[k] = i; }
  }
  NODES.forEach(function (n, i) {
    addName(n.name, i); if (n.id) { addName(n.id, i); }
    n.synonyms.forEach(function (s) { addName(s, i); });
    var o = el('option'); o.value = n.name; list.appendChild(o);
  });

  function search(q) {
    var msg = byId('search-msg');
    q = String(q || '').trim().toLowerCase();
    if (!q) { msg.textContent = ''; return; }
    var hit = (q in lookup) ? lookup[q] : -1;
    if (hit < 0) {
      for (var i = 0; i < NODES.length && hit < 0; i++) {
        var n = NODES[i];
        if (n.name.toLowerCase().indexOf(q) >= 0 || n.synonyms.some(function (s) { return s.toLowerCase().indexOf(q) >= 0; })) { hit = i; }
      }
    }
    if (hit < 0) { msg.textContent = 'No concept matches \u201c' + q + '\u201d.'; return; }
    if (!nodeOn[hit]) { msg.textContent = '\u201c' + NODES[hit].name + '\u201d is hidden by the filters.'; showNode(hit); return; }
    msg.textContent = '';
    network.selectNodes([hit]);
    var around = [hit];
    NODES[hit].edges.forEach(function (j) {
      if (edgeOn[j]) { around.push(EDGES[j].s === hit ? EDGES[j].t : EDGES[j].s); }
    });
    // centre on the concept, zoomed so that its visible neighbours fit
    var pos = network.getPositions(around), c = pos[hit], dx = 0, dy = 0;
    around.forEach(function (k) { dx = Math.max(dx, Math.abs(pos[k].x - c.x)); dy = Math.max(dy, Math.abs(pos[k].y - c.y)); });
    var box = byId('canvas');
    var scale = Math.min(1.2, box.clientWidth / (2 * dx + 300), box.clientHeight / (2 * dy + 300));
    // vis animates frame by frame: on a big graph one jump beats 24 slow frames
    network.moveTo({ position: { x: c.x, y: c.y }, scale: Math.max(scale, 0.02),
      animation: EDGES.length > 800 ? false : { duration: 400, easingFunction: 'easeInOutQuad' } });
    showNode(hit);
  }

  /* ------------------------------------------------------------ panel */
  var panel = byId('panel');
  function typeBadge(t) {
    var st = STYLE.types[t] || STYLE.types._other, b = el('span', 'badge', st ? st.label : t);
    b.style.backgroundColor = st ? st.color : '#777';
    return b;
  }
  function classBadge(c) {
    var st = STYLE.classes[c], b = el('span', 'badge', st ? st.label : c);
    b.style.backgroundColor = st ? st.color : '#777';
    return b;
  }
  function docLabel(docId) {
    var d = DOCS[docId] || {};
    return d.title ? d.title + ' (' + docId + ')' : docId;
  }
  function docLinks(parent, docId) {
    var d = DOCS[docId] || {};
    if (d.pmid && /^[0-9]{1,9}$/.test(d.pmid)) {
      parent.appendChild(document.createTextNode(' \u00b7 '));
      var a = el('a', null, 'PMID ' + d.pmid);
      a.href = 'https://pubmed.ncbi.nlm.nih.gov/' + d.pmid + '/'; a.target = '_blank'; a.rel = 'noopener noreferrer';
      parent.appendChild(a);
    }
    if (d.doi && /^10\.[0-9]{4,9}\/[^\s]+$/.test(d.doi)) {
      parent.appendChild(document.createTextNode(' \u00b7 '));
      var b = el('a', null, 'doi:' + d.doi);
      b.href = 'https://doi.org/' + encodeURI(d.doi); b.target = '_blank'; b.rel = 'noopener noreferrer';
      parent.appendChild(b);
    }
  }

  function showNode(i) {
    var n = NODES[i];
    clear(panel);
    panel.appendChild(typeBadge(n.type));
    panel.appendChild(el('h3', null, n.name));
    panel.appendChild(el('div', 'meta', n.id ? n.id : 'no ontology id (grouped by name)'));
    if (n.synonyms.length) { panel.appendChild(el('div', 'meta', 'Also: ' + n.synonyms.join('; '))); }
    panel.appendChild(el('div', 'meta', fmt(n.documents) + (n.documents === 1 ? ' document' : ' documents') +
      ' \u00b7 ' + fmt(n.mentions) + (n.mentions === 1 ? ' mention' : ' mentions')));
    var out = [], inc = [];
    n.edges.forEach(function (j) { (EDGES[j].s === i ? out : inc).push(j); });
    var strongest = function (a, b) { return EDGES[b].n - EDGES[a].n || a - b; };
    out.sort(strongest); inc.sort(strongest);
    [['Relations from this concept', out, 't'], ['Relations to this concept', inc, 's']].forEach(function (grp) {
      if (!grp[1].length) { return; }
      panel.appendChild(el('h2', null, grp[0] + ' (' + grp[1].length + ')'));
      var ul = el('ul', 'rels');
      grp[1].forEach(function (j) {
        var e = EDGES[j], other = NODES[e[grp[2]]], li = el('li'), b = el('button');
        var dot = el('span', 'dot'); dot.style.backgroundColor = e.negated ? STYLE.negated_color : STYLE.classes[e['class']].color;
        b.appendChild(dot);
        b.appendChild(el('span', null, (e.negated ? 'not ' : '') + e.predicate + ' \u2192 ' + other.name + (e.hedged ? ' (hedged)' : '')));
        b.appendChild(el('span', 'n', String(e.n)));
        if (!edgeOn[j]) { b.title = 'hidden by the filters'; b.style.opacity = '0.55'; }
        b.addEventListener('click', function () { if (edgeOn[j]) { network.selectEdges([j]); } showEdge(j); });
        li.appendChild(b); ul.appendChild(li);
      });
      panel.appendChild(ul);
    });
  }

  function showEdge(j) {
    var e = EDGES[j], s = NODES[e.s], t = NODES[e.t];
    clear(panel);
    panel.appendChild(classBadge(e['class']));
    var tr = el('div', 'triple');
    tr.appendChild(el('span', null, s.name + ' '));
    tr.appendChild(el('span', 'pred', (e.negated ? '\u2298 not ' : '') + e.predicate));
    tr.appendChild(el('span', null, ' ' + t.name));
    panel.appendChild(tr);
    var flags = el('div');
    if (e.negated) { flags.appendChild(el('span', 'flag neg', 'negated')); }
    if (e.hedged) { flags.appendChild(el('span', 'flag hedged', 'hedged')); }
    if (e.direction) { flags.appendChild(el('span', 'flag', e.direction === 'increase' ? '\u2191 increase' : '\u2193 decrease')); }
    flags.appendChild(el('span', 'flag', 'confidence ' + Number(e.confidence).toFixed(2)));
    flags.appendChild(el('span', 'flag', e.biolink));
    panel.appendChild(flags);
    panel.appendChild(el('h2', null, 'Evidence (' + fmt(e.n) + (e.n === 1 ? ' sentence)' : ' sentences)')));
    var ol = el('ol', 'evidence');
    e.evidence.forEach(function (ev) {
      var li = el('li');
      li.appendChild(el('blockquote', null, ev.sentence));
      var src = el('div', 'src');
      var where = [ev.section || 'no section'];
      if (ev.paragraph) { where.push('\u00b6 ' + ev.paragraph); }
      src.appendChild(el('div', null, where.join(' \u00b7 ')));
      if (ev.citations.length) {
        var refs = (DOCS[ev.doc] || {}).references || {}, c = el('div', null, 'cites ');
        ev.citations.forEach(function (n, k) {
          var span = el('span', null, '[' + n + ']');
          if (refs[n]) { span.title = refs[n]; span.style.textDecoration = 'underline dotted'; }
          if (k) { c.appendChild(document.createTextNode(' ')); }
          c.appendChild(span);
        });
        src.appendChild(c);
      }
      var doc = el('div', null, docLabel(ev.doc));
      docLinks(doc, ev.doc);
      src.appendChild(doc);
      li.appendChild(src);
      ol.appendChild(li);
    });
    panel.appendChild(ol);
    if (e.n > e.evidence.length) {
      panel.appendChild(el('div', 'meta', (e.n - e.evidence.length) + ' more sentences in triples.jsonl'));
    }
    var back = el('div', 'meta');
    [[s, e.s], [t, e.t]].forEach(function (p) {
      var b = el('button', null, p[0].name);
      b.addEventListener('click', function () { network.selectNodes([p[1]]); showNode(p[1]); });
      back.appendChild(b); back.appendChild(document.createTextNode(' '));
    });
    panel.appendChild(back);
  }

  /* ------------------------------------------------------------ events */
  var hover = byId('hover');
  network.on('click', function (p) {
    if (p.nodes.length) { showNode(p.nodes[0]); }
    else if (p.edges.length) { showEdge(p.edges[0]); }
  });
  network.on('hoverNode', function (p) {
    var n = NODES[p.node];
    hover.textContent = n.name + ' \u2014 ' + (STYLE.types[n.type] || {}).label;
    hover.style.left = (p.pointer.DOM.x + 14) + 'px'; hover.style.top = (p.pointer.DOM.y + 10) + 'px';
    hover.style.display = 'block';
  });
  network.on('blurNode', function () { hover.style.display = 'none'; });
  network.on('dragStart', function () { hover.style.display = 'none'; });

  buildFilters();
  var q = byId('search');
  q.addEventListener('input', function (ev) {  // a pick from the suggestion list
    if (!ev.inputType || ev.inputType === 'insertReplacementText') { search(q.value); }
  });
  q.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { search(q.value); } });
  byId('search-go').addEventListener('click', function () { search(q.value); });
  function fitWithMargin() { network.fit(); network.moveTo({ scale: network.getScale() * 0.9 }); }
  byId('fit').addEventListener('click', fitWithMargin);
  network.once('afterDrawing', function () {
    fitWithMargin();
    var l = byId('loading'); if (l) { l.parentNode.removeChild(l); }
    window.__graphReady = true;
    document.body.setAttribute('data-ready', 'true');
  });
}());
