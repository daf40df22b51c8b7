// kg-builder graph viewer: canvas drawing, pan/zoom, search, legend, facts with their source sentences.
// Written for kg-builder (MIT). No library, no network: the data is the JSON block in this page.
(function () {
  "use strict";

  const DATA = JSON.parse(document.getElementById("kg-data").textContent);
  const nodes = DATA.nodes;
  const edges = DATA.edges;
  const COLOR = {};
  DATA.types.forEach((t) => { COLOR[t.name] = t.color; });
  const FONT = '"Segoe UI", "Noto Sans", Roboto, "Helvetica Neue", Arial, Vazirmatn, "Noto Sans Arabic", ' +
    '"Noto Naskh Arabic", Tahoma, "DejaVu Sans", sans-serif';
  const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;
  const $ = (sel) => document.querySelector(sel);
  const canvas = $("#graph");
  const ctx = canvas.getContext("2d");

  const hidden = new Set();
  const view = { k: 1, x: 0, y: 0 }; // screen = world * k + (x, y)
  let W = 0, H = 0, dpr = 1;
  let selected = -1, hover = -1;
  let hits = [];
  let hitSet = new Set();

  // ---------------------------------------------------------------- text folding (as in visualise._fold)
  // The table is Python's (kg_builder/text/letters.py, COMPARE), written into the page data.
  const FOLD = new Map(Object.entries(DATA.fold.map));
  const IGNORED = new RegExp("[\\s" + DATA.fold.ignored.replace(/[\\\]^-]/g, "\\$&") + "]+", "g");
  function fold(text) {
    const s = String(text || "").normalize("NFKC").toLowerCase();
    return Array.from(s, (c) => FOLD.get(c) || c).join("").replace(IGNORED, "");
  }

  nodes.forEach((n, i) => {
    n.i = i;
    n.out = [];
    n.inn = [];
    const names = [n.fa, n.en, n.label, n.iri, n.iri.split(/[#/]/).pop()].concat(n.names || []);
    if (n.attrs && n.attrs.sourceFile) names.push(n.attrs.sourceFile);
    if (n.attrs && n.attrs.isoCode) names.push(n.attrs.isoCode);
    n.keys = names.filter(Boolean).map(fold);
  });
  edges.forEach((e, j) => { nodes[e.s].out.push(j); nodes[e.t].inn.push(j); });

  // ---------------------------------------------------------------- geometry
  function radius(n) { return n.r * Math.max(0.7, Math.min(2.2, Math.sqrt(view.k))); }
  function sx(n) { return n.x * view.k + view.x; }
  function sy(n) { return n.y * view.k + view.y; }
  const visible = (n) => !hidden.has(n.type);

  function resize() {
    dpr = window.devicePixelRatio || 1;
    W = window.innerWidth;
    H = window.innerHeight;
    canvas.width = Math.round(W * dpr);
    canvas.height = Math.round(H * dpr);
    redraw();
  }

  function panelWidth() {
    const d = $("#details");
    return d.hidden ? 0 : d.getBoundingClientRect().width + 20;
  }

  function fit(list) {
    const shown = (list || nodes).filter(visible);
    if (!shown.length) return;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    shown.forEach((n) => { x0 = Math.min(x0, n.x); y0 = Math.min(y0, n.y); x1 = Math.max(x1, n.x); y1 = Math.max(y1, n.y); });
    const left = Math.min(360, W * 0.3), right = panelWidth();
    const w = Math.max(W - left - right - 60, 100), h = Math.max(H - 80, 100);
    view.k = Math.min(w / Math.max(x1 - x0, 1), h / Math.max(y1 - y0, 1), 4);
    view.x = left + 30 + (w - (x1 - x0) * view.k) / 2 - x0 * view.k;
    view.y = 40 + (h - (y1 - y0) * view.k) / 2 - y0 * view.k;
    redraw();
  }

  function centreOn(n) {
    const right = panelWidth();
    view.k = Math.max(view.k, 1.6);
    view.x = (W - right) / 2 - n.x * view.k;
    view.y = H / 2 - n.y * view.k;
  }

  function pick(px, py) {
    let best = -1, bestD = Infinity;
    nodes.forEach((n) => {
      if (!visible(n)) return;
      const d = Math.hypot(sx(n) - px, sy(n) - py);
      if (d <= radius(n) + 4 && d < bestD) { best = n.i; bestD = d; }
    });
    return best;
  }

  // ---------------------------------------------------------------- drawing
  let pending = false;
  function redraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; paint(); });
  }

  function neighbourhood(i) {
    const set = new Set([i]);
    nodes[i].out.forEach((j) => set.add(edges[j].t));
    nodes[i].inn.forEach((j) => set.add(edges[j].s));
    return set;
  }

  // a node's label, whole or in at most max characters: an article's is its headline, its file
  // name (less .txt) when it has none
  function labelText(n, max) {
    const t = n.fa || (n.type === "Article" ? (n.attrs.sourceFile || n.en || n.label).replace(/\.txt$/, "") : n.en || n.label);
    return max ? shorten(t, max) : t;
  }

  // as visualise._shorten: cut after the last whole word that fits, with "…"
  function shorten(t, max) {
    if (t.length <= max) return t;
    let cut = t.slice(0, max - 1);
    const space = cut.lastIndexOf(" ");
    if (space > Math.floor(max / 2)) cut = cut.slice(0, space);
    return cut.replace(/[ ،,:;/|\-–—]+$/, "") + "…";
  }

  function overlaps(b, boxes) {
    for (const o of boxes) {
      if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) return true;
    }
    return false;
  }

  // str drawn with its left edge at x and its baseline at y, with a halo
  function text(str, x, y, size, color, weight) {
    ctx.font = `${weight || 400} ${size}px ${FONT}`;
    ctx.direction = RTL.test(str) ? "rtl" : "ltr";
    ctx.textAlign = "left";
    ctx.textBaseline = "alphabetic";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3.5;
    ctx.strokeStyle = "rgba(251,251,249,0.92)";
    ctx.strokeText(str, x, y);
    ctx.fillStyle = color;
    ctx.fillText(str, x, y);
  }

  function paint() {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#fbfbf9";
    ctx.fillRect(0, 0, W, H);
    const focus = selected >= 0 ? neighbourhood(selected) : null;

    // edges
    edges.forEach((e) => {
      const a = nodes[e.s], b = nodes[e.t];
      if (!visible(a) || !visible(b)) return;
      const inc = selected >= 0 && (e.s === selected || e.t === selected);
      ctx.beginPath();
      ctx.moveTo(sx(a), sy(a));
      ctx.lineTo(sx(b), sy(b));
      if (inc) { ctx.strokeStyle = "rgba(30,30,30,0.8)"; ctx.lineWidth = 1.6; }
      else if (focus) { ctx.strokeStyle = "rgba(140,140,140,0.08)"; ctx.lineWidth = 1; }
      else if (e.rel === "holdsPost") { ctx.strokeStyle = "rgba(176,48,48,0.6)"; ctx.lineWidth = 2; }
      else { ctx.strokeStyle = "rgba(110,110,110,0.28)"; ctx.lineWidth = 1; }
      ctx.stroke();
      if (inc) arrow(a, b);
    });

    // nodes
    nodes.forEach((n) => {
      if (!visible(n)) return;
      const x = sx(n), y = sy(n), r = radius(n);
      if (x < -50 || y < -50 || x > W + 50 || y > H + 50) return;
      ctx.globalAlpha = focus && !focus.has(n.i) ? 0.18 : 1;
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fillStyle = COLOR[n.type] || "#999";
      ctx.fill();
      ctx.lineWidth = 1.2;
      ctx.strokeStyle = "#fff";
      ctx.stroke();
      if (hitSet.has(n.i)) { ctx.lineWidth = 3; ctx.strokeStyle = "#ff8c00"; ctx.beginPath(); ctx.arc(x, y, r + 3, 0, 2 * Math.PI); ctx.stroke(); }
      if (n.i === selected) { ctx.lineWidth = 2.5; ctx.strokeStyle = "#111"; ctx.beginPath(); ctx.arc(x, y, r + 3, 0, 2 * Math.PI); ctx.stroke(); }
      ctx.globalAlpha = 1;
    });

    // labels: the most important first, none over another label or a node's disc
    const boxes = [], discs = [];
    nodes.forEach((n) => {
      if (!visible(n) || n.type === "Statistic" || (focus && !focus.has(n.i))) return;
      const r = radius(n);
      discs.push({ x: sx(n) - r, y: sy(n) - r, w: 2 * r, h: 2 * r });
    });
    const forced = new Set();
    if (selected >= 0) forced.add(selected);
    hits.slice(0, 30).forEach((i) => forced.add(i));
    if (hover >= 0) forced.add(hover);
    const order = nodes.filter(visible).slice().sort((a, b) => {
      const fa = forced.has(a.i) ? 1 : 0, fb = forced.has(b.i) ? 1 : 0;
      const na = focus && focus.has(a.i) ? 1 : 0, nb = focus && focus.has(b.i) ? 1 : 0;
      return fb - fa || nb - na || b.w - a.w || a.i - b.i;
    });
    let shown = 0;
    for (const n of order) {
      const x = sx(n), y = sy(n), r = radius(n);
      if (x < -100 || y < -30 || x > W + 100 || y > H + 30) continue;
      const must = forced.has(n.i);
      const near = focus && focus.has(n.i);
      if (!must && focus && !near) continue;
      if (!must && !near && n.type === "Statistic" && view.k < 1.4) continue;
      if (!must && shown > 400) break;
      const size = Math.round(Math.min(16, 10.5 + n.w * 0.45) + (must ? 1 : 0));
      const str = labelText(n, must ? 90 : 38);  // a chosen node's label longer, never a paragraph
      ctx.font = `${must ? 600 : 400} ${size}px ${FONT}`;
      ctx.direction = RTL.test(str) ? "rtl" : "ltr";
      ctx.textBaseline = "alphabetic";
      const m = ctx.measureText(str);
      const asc = m.actualBoundingBoxAscent || size * 0.8, desc = m.actualBoundingBoxDescent || size * 0.3;
      const w = m.width + 4, h = asc + desc + 2;
      const d = r * 0.75 + 2;
      const spots = [[x - w / 2, y + r + 2], [x - w / 2, y - r - 2 - h], [x + r + 3, y - h / 2], [x - r - 3 - w, y - h / 2],
        [x + d, y + d - 2], [x - d - w, y + d - 2], [x + d, y - d - h + 2], [x - d - w, y - d - h + 2]];
      let box = null;
      // a spot clear of labels and discs; for the dozen most important, one clear of labels at least
      for (const strict of shown < 12 ? [true, false] : [true]) {
        for (const [bx, by] of spots) {
          const b = { x: bx, y: by, w, h };
          if (!overlaps(b, boxes) && !(strict && overlaps(b, discs))) { box = b; break; }
        }
        if (box) break;
      }
      if (!box) {
        if (!must) continue;
        box = { x: spots[0][0], y: spots[0][1], w, h };
      }
      boxes.push(box);
      text(str, box.x + 2, box.y + 1 + asc, size, must ? "#000" : "#222", must ? 600 : 400);
      shown++;
    }
    // the selected node's relations, at the middle of their edges
    if (selected >= 0) {
      const s = nodes[selected];
      s.out.concat(s.inn).forEach((j) => {
        const e = edges[j], a = nodes[e.s], b = nodes[e.t];
        if (!visible(a) || !visible(b)) return;
        const mx = (sx(a) + sx(b)) / 2, my = (sy(a) + sy(b)) / 2;
        ctx.font = `400 11px ${FONT}`;
        ctx.direction = RTL.test(e.label) ? "rtl" : "ltr";
        const w = ctx.measureText(e.label).width;
        const box = { x: mx - w / 2 - 2, y: my - 9, w: w + 4, h: 17 };
        if (overlaps(box, boxes)) return;
        boxes.push(box);
        text(e.label, box.x + 2, my + 4, 11, "#7a2e0e", 400);
      });
    }
  }

  function arrow(a, b) {
    const x1 = sx(a), y1 = sy(a), x2 = sx(b), y2 = sy(b);
    const d = Math.hypot(x2 - x1, y2 - y1);
    if (d < 1) return;
    const ux = (x2 - x1) / d, uy = (y2 - y1) / d, r = radius(b) + 2;
    const tx = x2 - ux * r, ty = y2 - uy * r;
    ctx.beginPath();
    ctx.moveTo(tx, ty);
    ctx.lineTo(tx - ux * 8 - uy * 4, ty - uy * 8 + ux * 4);
    ctx.lineTo(tx - ux * 8 + uy * 4, ty - uy * 8 - ux * 4);
    ctx.closePath();
    ctx.fillStyle = "rgba(30,30,30,0.8)";
    ctx.fill();
  }

  // ---------------------------------------------------------------- DOM helpers (text only, never HTML)
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === undefined || v === null) return;
      if (k === "class") e.className = v;
      else if (k === "on") Object.entries(v).forEach(([ev, f]) => e.addEventListener(ev, f));
      else e.setAttribute(k, v);
    });
    kids.flat().forEach((k) => { if (k !== null && k !== undefined && k !== false) e.append(k instanceof Node ? k : String(k)); });
    return e;
  }
  const lang = (s) => (RTL.test(s) ? "fa" : null);
  const bdi = (s) => el("bdi", { lang: lang(s), dir: "auto" }, s);
  const dot = (type) => { const d = el("span", { class: "dot" }); d.style.background = COLOR[type] || "#999"; return d; };
  const human = (k) => k.replace(/_$/, "").replace(/([a-z])([A-Z])/g, "$1 $2").replace(/_/g, " ").toLowerCase();
  function fmt(v) {
    if (typeof v === "number") return v.toLocaleString("en-US");
    if (typeof v === "boolean") return v ? "yes" : "no";
    return String(v);
  }

  function nodeLink(n) {
    return el("button", { type: "button", title: n.iri, on: { click: () => select(n.i, true) } }, bdi(labelText(n)));
  }

  function quote(ev) {
    return el("blockquote", { class: "ev", lang: "fa", dir: "rtl" },
      ev.prefix ? el("span", { class: "ctx" }, "…" + ev.prefix) : null,
      el("mark", {}, ev.exact),
      ev.suffix ? el("span", { class: "ctx" }, ev.suffix + "…") : null,
      el("cite", { dir: "ltr" }, `${ev.source} · ${ev.start}–${ev.end}`));
  }

  function quotes(list, keep) {
    keep = keep || 3;
    const out = list.slice(0, keep).map(quote);
    if (list.length > keep) {
      out.push(el("details", { class: "more" }, el("summary", {}, `${list.length - keep} more source sentences`),
        list.slice(keep).map(quote)));
    }
    return out;
  }

  const ORDER = { holdsPost: 0, wasAttributedTo: 1, observationAbout: 2, beneficiaryGroup: 3, states: 4, mentions: 9 };

  function showDetails(i) {
    const n = nodes[i];
    const box = $("#details");
    box.hidden = false;
    box.replaceChildren();
    box.append(el("button", { class: "close", type: "button", title: "close", on: { click: () => select(-1) } }, "×"));
    box.append(el("h2", { id: "d-title", dir: "auto", lang: lang(n.fa || n.label) }, labelText(n)));
    if (n.en && n.en !== n.fa) box.append(el("div", { class: "en", dir: "auto" }, n.en));
    const typeFa = (DATA.types.find((t) => t.name === n.type) || {}).fa;
    box.append(el("div", { class: "kind" }, dot(n.type), n.type, n.kind && n.kind !== n.type ? ` (${n.kind})` : "",
      typeFa ? el("bdi", { lang: "fa" }, " · " + typeFa) : null));

    const rows = Object.entries(n.attrs || {}).map(([k, v]) => el("tr", {}, el("td", {}, human(k)), el("td", { dir: "auto" }, fmt(v))));
    if (n.names && n.names.length) rows.push(el("tr", {}, el("td", {}, "also written"), el("td", { dir: "auto", lang: "fa" }, n.names.join(" · "))));
    if (n.articles && n.articles.length) rows.push(el("tr", {}, el("td", {}, "sources"), el("td", {}, n.articles.join(", "))));
    if (rows.length) box.append(el("table", {}, el("tbody", {}, rows)));
    box.append(el("div", { class: "iri" }, n.iri));

    if (n.evidence && n.evidence.length) {
      box.append(el("h3", {}, `Stated in (${n.evidence.length})`));
      box.append(...quotes(n.evidence, 4));
    }
    const facts = n.out.map((j) => ({ e: edges[j], other: nodes[edges[j].t], out: true }))
      .concat(n.inn.map((j) => ({ e: edges[j], other: nodes[edges[j].s], out: false })));
    facts.sort((a, b) => (ORDER[a.e.rel] ?? 5) - (ORDER[b.e.rel] ?? 5) || b.other.w - a.other.w || a.other.i - b.other.i);
    box.append(el("h3", { id: "d-facts" }, `Facts (${facts.length})`));
    const items = facts.map(({ e, other, out }) => {
      const rel = out
        ? el("div", { class: "rel" }, bdi(e.label), " → ", nodeLink(other))
        : el("div", { class: "rel" }, nodeLink(other), " → ", bdi(e.label), " → ", el("span", {}, "this"));
      const meta = [];
      Object.entries(e.attrs || {}).forEach(([k, v]) => { if (k !== "count" || v > 1) meta.push(`${human(k)}: ${fmt(v)}`); });
      if (e.names && e.names.length) meta.push("written: " + e.names.join(" · "));
      if (e.articles && e.articles.length && other.type !== "Article") meta.push("source: " + e.articles.join(", "));
      let ev = e.evidence || [];
      if (!ev.length && other.type === "Statistic") ev = other.evidence || [];
      if (!ev.length && n.type === "Statistic" && other.type !== "Article") ev = [];
      const f = el("div", { class: "fact" }, rel, meta.length ? el("div", { class: "meta", dir: "auto" }, meta.join(" · ")) : null, quotes(ev, 2));
      f.style.borderLeftColor = COLOR[other.type] || "#ccc";
      return f;
    });
    const limit = 80;
    box.append(...items.slice(0, limit));
    if (items.length > limit) box.append(el("details", { class: "more" }, el("summary", {}, `${items.length - limit} more facts`), items.slice(limit)));
    box.scrollTop = 0;
  }

  function select(i, centre) {
    selected = i;
    if (i >= 0) {
      const n = nodes[i];
      if (hidden.has(n.type)) { hidden.delete(n.type); legend(); }
      showDetails(i);
      if (centre) centreOn(n);
    } else {
      $("#details").hidden = true;
    }
    document.querySelectorAll("#hits li").forEach((li) => li.classList.toggle("current", Number(li.dataset.i) === i));
    redraw();
  }

  // ---------------------------------------------------------------- search
  function search(q) {
    const key = fold(q);
    hits = [];
    if (key) {
      const scored = [];
      nodes.forEach((n) => {
        let s = 9;
        n.keys.forEach((k) => { if (k === key) s = Math.min(s, 0); else if (k.startsWith(key)) s = Math.min(s, 1); else if (k.includes(key)) s = Math.min(s, 2); });
        if (s < 9) scored.push([s, -n.w, n.i]);
      });
      scored.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
      hits = scored.map((x) => x[2]);
    }
    hitSet = new Set(hits);
    const list = $("#hits");
    list.replaceChildren(...hits.slice(0, 50).map((i) => {
      const n = nodes[i];
      return el("li", { class: "hit", "data-i": i, "data-iri": n.iri, on: { click: () => select(i, true) } },
        dot(n.type), bdi(labelText(n)), el("small", {}, [n.fa && n.en ? n.en : "", n.type].filter(Boolean).join(" · ")));
    }));
    $("#hit-count").textContent = key ? `${hits.length} match${hits.length === 1 ? "" : "es"}` + (hits.length > 50 ? " (first 50 shown)" : "") : "";
    redraw();
  }

  // ---------------------------------------------------------------- legend
  function legend() {
    $("#legend-list").replaceChildren(...DATA.types.map((t) => el("li", {
      class: hidden.has(t.name) ? "off" : "", title: "show / hide",
      on: { click: () => { if (hidden.has(t.name)) hidden.delete(t.name); else hidden.add(t.name); legend(); redraw(); } },
    }, dot(t.name), ` ${t.name} `, t.fa ? el("bdi", { lang: "fa" }, t.fa) : null, ` (${t.count})`)));
  }

  // ---------------------------------------------------------------- interaction
  let drag = null;
  canvas.addEventListener("pointerdown", (ev) => {
    const i = pick(ev.offsetX, ev.offsetY);
    drag = { i, x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, moved: false };
    canvas.setPointerCapture(ev.pointerId);
    canvas.classList.add("dragging");
  });
  canvas.addEventListener("pointermove", (ev) => {
    if (drag) {
      const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      if (!drag.moved) return;
      if (drag.i >= 0) {
        const n = nodes[drag.i];
        n.x = (ev.offsetX - view.x) / view.k;
        n.y = (ev.offsetY - view.y) / view.k;
      } else {
        view.x = drag.vx + dx;
        view.y = drag.vy + dy;
      }
      redraw();
    } else {
      const h = pick(ev.offsetX, ev.offsetY);
      if (h !== hover) { hover = h; canvas.classList.toggle("over", h >= 0); redraw(); }
    }
  });
  canvas.addEventListener("pointerup", () => {
    if (drag && !drag.moved) select(drag.i);
    drag = null;
    canvas.classList.remove("dragging");
  });
  function zoom(factor, px, py) {
    const k = Math.max(0.05, Math.min(40, view.k * factor));
    const f = k / view.k;
    view.x = px - (px - view.x) * f;
    view.y = py - (py - view.y) * f;
    view.k = k;
    redraw();
  }
  canvas.addEventListener("wheel", (ev) => { ev.preventDefault(); zoom(Math.exp(-ev.deltaY * 0.0015), ev.offsetX, ev.offsetY); }, { passive: false });
  canvas.addEventListener("dblclick", (ev) => { const i = pick(ev.offsetX, ev.offsetY); if (i >= 0) { select(i, true); zoom(1.6, W / 2, H / 2); } });
  $("#zoom-in").addEventListener("click", () => zoom(1.4, W / 2, H / 2));
  $("#zoom-out").addEventListener("click", () => zoom(1 / 1.4, W / 2, H / 2));
  $("#zoom-fit").addEventListener("click", () => fit());
  $("#search").addEventListener("input", (ev) => search(ev.target.value));
  $("#search").addEventListener("keydown", (ev) => { if (ev.key === "Enter" && hits.length) select(hits[0], true); });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") select(-1);
    if (ev.key === "/" && document.activeElement !== $("#search")) { ev.preventDefault(); $("#search").focus(); }
  });
  window.addEventListener("resize", resize);

  // #search=قزوین selects the best match; #node=IRI selects that node
  function fromHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    const q = params.get("search");
    const iri = params.get("node");
    if (q !== null) {
      $("#search").value = q;
      search(q);
      if (hits.length) select(hits[0], true);
    } else if (iri) {
      const n = nodes.find((x) => x.iri === iri);
      if (n) select(n.i, true);
    }
  }
  window.addEventListener("hashchange", fromHash);

  legend();
  resize();
  fit();
  fromHash();
  paint();
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(() => paint());
  document.body.dataset.ready = "1";
})();
