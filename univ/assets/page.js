"use strict";
(function () {
  const D = JSON.parse(document.getElementById("univ-data").textContent);
  const $ = (id) => document.getElementById(id);

  // -- numbers -------------------------------------------------------------------------------------------------
  function f64(text) {  // little-endian float64 array, base64
    const s = atob(text), n = s.length / 8, dv = new DataView(new ArrayBuffer(s.length));
    for (let i = 0; i < s.length; i++) dv.setUint8(i, s.charCodeAt(i));
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = dv.getFloat64(8 * i, true);
    return out;
  }
  function f32(text) {  // little-endian float32 array, base64, as float64
    const s = atob(text), n = s.length / 4, dv = new DataView(new ArrayBuffer(s.length));
    for (let i = 0; i < s.length; i++) dv.setUint8(i, s.charCodeAt(i));
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, true);
    return out;
  }
  const CLIP = 40;  // as univ's sigmoid kernel: clip, then 1 / (1 + e^-z); saturated values computed once
  const SIG_LO = 1 / (1 + Math.exp(CLIP)), SIG_HI = 1 / (1 + Math.exp(-CLIP));
  const ACT = {
    sigmoid: (z) => (z <= -CLIP ? SIG_LO : z >= CLIP ? SIG_HI : 1 / (1 + Math.exp(-z))),
    relu: (z) => (z > 0 ? z : 0),
    heaviside: (z) => (z > 0 ? 1 : z < 0 ? 0 : 0.5),
    linear: (z) => z,
  };
  function linspace(a, b, n) {  // as numpy.linspace: i * step + a, the last point exactly b
    const x = new Float64Array(n), step = (b - a) / (n - 1);
    for (let i = 0; i < n; i++) x[i] = i * step + a;
    x[n - 1] = b;
    return x;
  }
  function unpack(net) {
    return { neurons: net.neurons, act: net.act, w: f64(net.w), b: f64(net.b), c: f64(net.c),
      heights: f64(net.heights), handles: f64(net.handles), pairs: net.pattern === "pairs", bias: net.bias,
      out: net.output, edges: Float64Array.from(net.edges) };
  }
  // hidden activations at xs, steepness scaled by k about each step: z = k (w x + b) + (1 - k) c
  function hidden(net, k, xs) {
    const N = net.w.length, m = xs.length, H = new Float64Array(N * m), f = ACT[net.act];
    for (let j = 0; j < N; j++) {
      const w = net.w[j], b = net.b[j], c = (1 - k) * net.c[j], o = j * m;
      for (let i = 0; i < m; i++) H[o + i] = f(k * (xs[i] * w + b) + c);
    }
    return H;
  }
  // The same neurons, kept sparse: univ's sigmoid kernel gives exactly SIG_LO or SIG_HI where |z| >= CLIP, and z is
  // monotone in x (so is its rounding), so each neuron is its constants left and right of a window of sorted points
  // and its values inside it. At steepness 10 a window spans about 8 cells: an update costs the windows, not N × m.
  function sparse(net, k, xs) {
    const N = net.w.length, m = xs.length, f = ACT[net.act];
    const H = { N, m, lo: new Int32Array(N), hi: new Int32Array(N), left: new Float64Array(N),
      right: new Float64Array(N), win: new Array(N) };
    for (let j = 0; j < N; j++) {
      const w = net.w[j], b = net.b[j], c = (1 - k) * net.c[j], z = (x) => k * (x * w + b) + c;
      let lo = 0, hi = m;
      if (net.act === "sigmoid" && k * w !== 0) {
        const up = k * w > 0, below = (i) => (up ? z(xs[i]) <= -CLIP : z(xs[i]) >= CLIP);
        const beyond = (i) => (up ? z(xs[i]) >= CLIP : z(xs[i]) <= -CLIP);
        let a = 0, e = m; while (a < e) { const h = (a + e) >> 1; if (below(h)) a = h + 1; else e = h; } lo = a;
        e = m; while (a < e) { const h = (a + e) >> 1; if (beyond(h)) e = h; else a = h + 1; } hi = a;
        H.left[j] = up ? SIG_LO : SIG_HI; H.right[j] = up ? SIG_HI : SIG_LO;
      }
      const v = new Float64Array(hi - lo);
      for (let i = lo; i < hi; i++) v[i - lo] = f(z(xs[i]));
      H.lo[j] = lo; H.hi[j] = hi; H.win[j] = v;
    }
    return H;
  }
  function sparseOutput(H, out, bias) {  // Σ_j out_j H_j + bias: the constants by a running sum, the windows added
    const m = H.m, y = new Float64Array(m), d = new Float64Array(m + 1);
    for (let j = 0; j < H.N; j++) {
      const v = out[j]; if (v === 0) continue;
      const lo = H.lo[j], W = H.win[j];
      if (H.left[j] !== 0) { d[0] += v * H.left[j]; d[lo] -= v * H.left[j]; }
      if (H.right[j] !== 0) d[H.hi[j]] += v * H.right[j];
      for (let i = 0; i < W.length; i++) y[lo + i] += v * W[i];
    }
    let run = bias;
    for (let i = 0; i < m; i++) { run += d[i]; y[i] += run; }
    return y;
  }
  function sparseAt(H, j, i) { return i < H.lo[j] ? H.left[j] : i >= H.hi[j] ? H.right[j] : H.win[j][i - H.lo[j]]; }
  function outWeights(net, heights) {
    const out = new Float64Array(net.w.length);
    for (let j = 0; j < heights.length; j++) {
      if (net.pairs) { out[2 * j] = heights[j]; out[2 * j + 1] = -heights[j]; } else out[j] = heights[j];
    }
    return out;
  }
  function weighted(H, out, m, bias) {  // Σ_j out_j H_j + bias, the output neuron's input
    const y = new Float64Array(m).fill(0);
    for (let j = 0; j < out.length; j++) {
      const v = out[j], o = j * m;
      if (v !== 0) for (let i = 0; i < m; i++) y[i] += v * H[o + i];
    }
    for (let i = 0; i < m; i++) y[i] += bias;
    return y;
  }
  function units(net, Hh, nh) {  // each piece's value at height 1 at its handle
    const u = new Float64Array(net.heights.length);
    for (let j = 0; j < u.length; j++)
      u[j] = net.pairs ? Hh[(2 * j) * nh + j] - Hh[(2 * j + 1) * nh + j] : Hh[j * nh + j];
    return u;
  }
  function fmt(v) {
    return v === 0 ? "0" : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toPrecision(6) : v.toExponential(4); }
  function nice(v) { const k = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 5, 10]) if (m * k >= v * (1 - 1e-12)) return m * k; return 10 * k; }

  // -- drawing -------------------------------------------------------------------------------------------------
  let colours = {};
  function readColours() {
    const cs = getComputedStyle(document.documentElement);
    for (const k of ["fg", "muted", "line", "target", "network", "bump-a", "bump-b", "handle", "axis", "bg", "wrong",
      "edge", "tint"])
      colours[k] = cs.getPropertyValue("--" + k).trim();
  }
  function ticks(lo, hi, n) {
    const span = hi - lo; if (!(span > 0)) return [lo];
    const step = nice(span / n), out = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * span; t += step)
      out.push(Math.abs(t) < 1e-12 * step ? 0 : t);
    return out;
  }
  function tickLabel(t, step) {
    const d = Math.max(0, -Math.floor(Math.log10(step) + 1e-9)); return t.toFixed(Math.min(d, 8)); }
  class Plot {
    constructor(canvas, ratio, minH, maxH) {
      this.canvas = canvas; this.ratio = ratio; this.minH = minH; this.maxH = maxH;
      this.pad = { l: 46, r: 16, t: 10, b: 24 }; }
    resize() {
      const dpr = window.devicePixelRatio || 1, w = this.canvas.clientWidth || 600;
      const h = Math.round(Math.max(this.minH, Math.min(this.maxH, w * this.ratio)));
      this.canvas.style.height = h + "px";
      this.canvas.width = Math.round(w * dpr); this.canvas.height = Math.round(h * dpr);
      this.w = w; this.h = h; this.dpr = dpr;
    }
    begin(xlim, ylim) {
      if (!this.w) this.resize();
      this.xlim = xlim; this.ylim = ylim;
      const g = this.canvas.getContext("2d"); this.g = g;
      g.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
      g.clearRect(0, 0, this.w, this.h);
      g.fillStyle = colours.bg; g.fillRect(0, 0, this.w, this.h);
      g.font = "12px system-ui, sans-serif"; g.lineWidth = 1;
      const p = this.pad, xs = ticks(xlim[0], xlim[1], Math.max(3, Math.floor(this.w / 90))),
        ys = ticks(ylim[0], ylim[1], Math.max(3, Math.floor(this.h / 45)));
      const sx = xs.length > 1 ? xs[1] - xs[0] : 1, sy = ys.length > 1 ? ys[1] - ys[0] : 1;
      let widest = 0;  // room on the left for the widest y label
      for (const t of ys) widest = Math.max(widest, g.measureText(tickLabel(t, sy)).width);
      p.l = Math.max(30, Math.ceil(widest) + 12);
      g.strokeStyle = colours.line; g.fillStyle = colours.muted;
      g.textAlign = "center"; g.textBaseline = "top";
      for (const t of xs) { const X = this.X(t); g.beginPath(); g.moveTo(X, p.t); g.lineTo(X, this.h - p.b); g.stroke();
        g.fillText(tickLabel(t, sx), X, this.h - p.b + 5); }
      g.textAlign = "right"; g.textBaseline = "middle";
      for (const t of ys) { const Y = this.Y(t); g.beginPath(); g.moveTo(p.l, Y); g.lineTo(this.w - p.r, Y); g.stroke();
        g.fillText(tickLabel(t, sy), p.l - 5, Y); }
      if (ylim[0] < 0 && ylim[1] > 0) { g.strokeStyle = colours.axis; g.beginPath();
        g.moveTo(p.l, this.Y(0)); g.lineTo(this.w - p.r, this.Y(0)); g.stroke(); }
      g.save(); g.beginPath(); g.rect(p.l, p.t, this.w - p.l - p.r, this.h - p.t - p.b); g.clip();
    }
    end() { this.g.restore(); this.g.strokeStyle = colours.axis; this.g.strokeRect(this.pad.l, this.pad.t,
      this.w - this.pad.l - this.pad.r, this.h - this.pad.t - this.pad.b); }
    X(x) {
      return this.pad.l + (x - this.xlim[0]) / (this.xlim[1] - this.xlim[0]) * (this.w - this.pad.l - this.pad.r); }
    Y(y) {
      return this.pad.t + (this.ylim[1] - y) / (this.ylim[1] - this.ylim[0]) * (this.h - this.pad.t - this.pad.b); }
    invY(Y) {
      return this.ylim[1] - (Y - this.pad.t) / (this.h - this.pad.t - this.pad.b) * (this.ylim[1] - this.ylim[0]); }
    line(x, y, idx, colour, width, dash) {
      const g = this.g; g.strokeStyle = colour; g.lineWidth = width; g.setLineDash(dash || []);
      g.beginPath();
      let pen = false;  // NaN lifts the pen
      for (let k = 0; k < idx.length; k++) { const i = idx[k], v = y[i];
        if (v !== v) { pen = false; continue; }
        const X = this.X(x[i]), Y = this.Y(v);
        if (pen) g.lineTo(X, Y); else { g.moveTo(X, Y); pen = true; } }
      g.stroke(); g.setLineDash([]);
    }
    dots(xs, ys, colour, r) { const g = this.g; g.fillStyle = colour;
      for (let j = 0; j < xs.length; j++) {
        g.beginPath(); g.arc(this.X(xs[j]), this.Y(ys[j]), r, 0, 2 * Math.PI); g.fill(); } }
    vline(x, colour) {
      const g = this.g; g.strokeStyle = colour; g.setLineDash([5, 4]); g.lineWidth = 1.5; g.beginPath();
      g.moveTo(this.X(x), this.pad.t); g.lineTo(this.X(x), this.h - this.pad.b); g.stroke(); g.setLineDash([]); }
  }
  function range(values, extra, pad) {
    let lo = Infinity, hi = -Infinity;
    for (const arr of values) for (let i = 0; i < arr.length; i++) {
      const v = arr[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
    for (const v of extra) { if (v < lo) lo = v; if (v > hi) hi = v; }
    let span = hi - lo; if (!(span > 0)) span = Math.max(Math.abs(hi), 1);
    return [lo - pad * span, hi + pad * span];
  }
  function strideIndex(m, most) {
    const s = Math.max(1, Math.ceil((m - 1) / most)), idx = [];
    for (let i = 0; i < m - 1; i += s) idx.push(i);
    idx.push(m - 1); return idx;
  }
  // dragging a handle on a plot: find the nearest within reach, map the pointer's y to a height
  function draggable(plot, getHandles, setHeight, done) {
    let active = -1;
    const canvas = plot.canvas;
    function pos(ev) { const r = canvas.getBoundingClientRect(); return [ev.clientX - r.left, ev.clientY - r.top]; }
    canvas.addEventListener("pointerdown", (ev) => {
      const [px, py] = pos(ev), hs = getHandles(); let best = -1, bestD = 22;
      for (let j = 0; j < hs.x.length; j++) { const d = Math.hypot(plot.X(hs.x[j]) - px, plot.Y(hs.y[j]) - py);
        if (d < bestD) { bestD = d; best = j; } }
      if (best < 0) return;
      active = best; canvas.setPointerCapture(ev.pointerId); ev.preventDefault();
    });
    canvas.addEventListener("pointermove", (ev) => { if (active < 0) return; ev.preventDefault();
      setHeight(active, plot.invY(pos(ev)[1])); });
    const stop = (ev) => { if (active < 0) return; active = -1;
      try { canvas.releasePointerCapture(ev.pointerId); } catch (e) { /* already released */ } done(); };
    canvas.addEventListener("pointerup", stop); canvas.addEventListener("pointercancel", stop);
  }

  // -- the Decisions tab: univ's classifiers built by hand, one decision map per neuron count ------------------------
  const TAB10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
    "#17becf"];  // matplotlib's tab10, the figure's class colours (univ.plot.style.qualitative)
  function bytes(text) { const s = atob(text), out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i); return out; }
  function unruns(text, size) {  // (class, run length) byte pairs (univ.page_classify.runs) to a class a pixel
    const r = bytes(text), out = new Uint8Array(size); let i = 0;
    for (let k = 0; k + 1 < r.length; k += 2) { out.fill(r[k], i, i + r[k + 1]); i += r[k + 1]; }
    if (i !== size) throw new Error("a decision map of " + i + " pixels, not " + size);
    return out;
  }
  function rgb(hex) { return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)); }
  function mix(p, q, t) { return p.map((v, i) => Math.round((1 - t) * v + t * q[i])); }  // q into p with weight t
  // marching squares on the pixel centres: segments (in pixel units) where "the class is c" changes, each crossing
  // at the midpoint between two centres; a saddle's four crossings pair up around its lone corners
  function crossings(map, G, c) {
    const seg = [];
    for (let r = 0; r < G - 1; r++) for (let k = 0; k < G - 1; k++) {
      const p = r * G + k, a = map[p] === c, b = map[p + 1] === c, d = map[p + G + 1] === c, e = map[p + G] === c;
      if (a === b && b === d && d === e) continue;
      const mids = [];
      if (a !== b) mids.push([k + 0.5, r]);
      if (b !== d) mids.push([k + 1, r + 0.5]);
      if (d !== e) mids.push([k + 0.5, r + 1]);
      if (e !== a) mids.push([k, r + 0.5]);
      for (let i = 0; i + 1 < mids.length; i += 2) seg.push(mids[i], mids[i + 1]);
    }
    return seg;
  }
  function chains(seg, G) {  // the segments joined end to end (a crossing joins at most two), so a dash runs on
    const key = (p) => Math.round(2 * p[0]) * (2 * G + 2) + Math.round(2 * p[1]), at = new Map(), out = [];
    const used = new Uint8Array(seg.length / 2);
    for (let i = 0; i < seg.length; i++) {
      const k = key(seg[i]); if (!at.has(k)) at.set(k, []); at.get(k).push(i >> 1); }
    for (let s0 = 0; s0 < used.length; s0++) {
      if (used[s0]) continue;
      used[s0] = 1; const line = [seg[2 * s0], seg[2 * s0 + 1]];
      for (const forward of [true, false]) {  // on from its end, then back from its start
        let tip = forward ? line[line.length - 1] : line[0];
        for (;;) {
          const next = (at.get(key(tip)) || []).find((j) => !used[j]); if (next === undefined) break;
          used[next] = 1;
          const a = seg[2 * next], far = key(a) === key(tip) ? seg[2 * next + 1] : a;
          if (forward) line.push(far); else line.unshift(far);
          tip = far;
        }
      }
      out.push(line);
    }
    return out;
  }
  function decisionsTab() {
    const sets = D.decisions.sets.map((s) => {
      const size = s.side * s.side, xy = s.samples ? f32(s.samples.xy) : null;
      return { ...s, index: s.start, truth: s.truth ? unruns(s.truth, size) : null,
        maps: s.nets.map((n) => unruns(n.map, size)), xy, labels: s.samples ? bytes(s.samples.labels) : null };
    });
    const V = { set: D.decisions.start }, plot = new Plot($("dec-plot"), 0.96, 260, 600), sel = $("dec-set");
    const one = () => sets[V.set], now = () => one().nets[one().index];
    for (const [j, s] of sets.entries()) {
      const o = document.createElement("option"); o.value = String(j); o.textContent = s.expression;
      sel.appendChild(o); }
    $("dec-set-control").hidden = sets.length < 2;
    function image(s, map) {  // the decided classes, tinted as the figure's; misclassified pixels in --wrong
      const G = s.side, off = document.createElement("canvas"), t = Number(colours.tint) || 0.3;
      off.width = G; off.height = G;
      const g = off.getContext("2d"), img = g.createImageData(G, G), bg = rgb(colours.bg), bad = rgb(colours.wrong);
      const tint = TAB10.map((c) => mix(bg, rgb(c), t));
      for (let r = 0; r < G; r++) for (let k = 0; k < G; k++) {
        const p = r * G + k, q = 4 * ((G - 1 - r) * G + k);  // row 0 is y = lo: the bottom of the picture
        const col = s.truth && s.truth[p] !== map[p] ? mix(tint[map[p] % 10], bad, 0.55) : tint[map[p] % 10];
        img.data[q] = col[0]; img.data[q + 1] = col[1]; img.data[q + 2] = col[2]; img.data[q + 3] = 255;
      }
      g.putImageData(img, 0, 0); return off;
    }
    function hatch(s, map, x, y, w, h) {  // the figure's //// over the misclassified pixels, in --wrong
      const G = s.side, dpr = plot.dpr, mask = document.createElement("canvas");
      const layer = document.createElement("canvas");
      mask.width = G; mask.height = G; layer.width = Math.round(w * dpr); layer.height = Math.round(h * dpr);
      const mg = mask.getContext("2d"), img = mg.createImageData(G, G);
      for (let p = 0; p < G * G; p++)  // opaque where wrong; row 0 (y = lo) at the bottom
        if (s.truth[p] !== map[p]) img.data[4 * ((G - 1 - Math.floor(p / G)) * G + p % G) + 3] = 255;
      mg.putImageData(img, 0, 0);
      const lg = layer.getContext("2d"); lg.imageSmoothingEnabled = false;
      lg.drawImage(mask, 0, 0, layer.width, layer.height);
      lg.globalCompositeOperation = "source-in"; lg.strokeStyle = colours.wrong; lg.lineWidth = 1.2 * dpr;
      lg.beginPath();
      for (let t = -layer.height; t < layer.width; t += 7 * dpr) {
        lg.moveTo(t, layer.height); lg.lineTo(t + layer.height, 0); }
      lg.stroke();
      plot.g.drawImage(layer, x, y, w, h);
    }
    function lines(s, map, colour, width, dash) {
      const [[a, b], [lo, hi]] = s.domain, G = s.side, g = plot.g;
      const X = (k) => plot.X(a + (b - a) * (k + 0.5) / G), Y = (r) => plot.Y(lo + (hi - lo) * (r + 0.5) / G);
      g.strokeStyle = colour; g.lineWidth = width; g.setLineDash(dash); g.beginPath();
      for (let c = 0; c < s.classes.length - 1; c++) {  // every boundary touches a class before the last
        for (const line of chains(crossings(map, G, c), G)) {
          g.moveTo(X(line[0][0]), Y(line[0][1]));
          for (let i = 1; i < line.length; i++) g.lineTo(X(line[i][0]), Y(line[i][1]));
        }
      }
      g.stroke(); g.setLineDash([]);
    }
    function draw() {
      readColours();
      const s = one(), map = s.maps[s.index], [[a, b], [lo, hi]] = s.domain;
      plot.begin([a, b], [lo, hi]);
      const g = plot.g; g.imageSmoothingEnabled = false;
      const box = [plot.X(a), plot.Y(hi), plot.X(b) - plot.X(a), plot.Y(lo) - plot.Y(hi)];
      g.drawImage(image(s, map), ...box);
      if (s.truth) hatch(s, map, ...box);
      if (s.truth) lines(s, s.truth, colours.fg, 1.2, [6, 4]);
      lines(s, map, colours.edge, 1.6, []);
      if (s.xy) {
        g.lineWidth = 0.6; g.strokeStyle = colours.edge;
        for (let i = 0; i < s.labels.length; i++) {
          g.fillStyle = TAB10[s.labels[i] % 10]; g.beginPath();
          g.arc(plot.X(s.xy[2 * i]), plot.Y(s.xy[2 * i + 1]), 2.6, 0, 2 * Math.PI); g.fill(); g.stroke(); }
      }
      plot.end();
    }
    function legend(s) {
      const box = $("dec-legend"); box.textContent = "";
      const item = (cls, style, text) => { const sp = document.createElement("span"), i = document.createElement("i");
        if (cls) i.className = cls; i.style.cssText = style; sp.append(i, text); box.appendChild(sp); };
      const t = Number(colours.tint) || 0.3, bg = rgb(colours.bg);
      s.classes.forEach((name, j) => item("area", "background:rgb(" + mix(bg, rgb(TAB10[j % 10]), t) + ")",
        "decided " + (s.kind === "data" ? "class " : "") + name));
      item("", "background:var(--edge)", "decision boundary");
      if (s.truth) { item("dashed", "", "true boundary");
        item("area", "background:repeating-linear-gradient(45deg, var(--wrong) 0 1.5px, transparent 1.5px 5px), rgb(" +
          mix(mix(bg, rgb(TAB10[0]), t), rgb(colours.wrong), 0.55) + ")", "misclassified (hatched)"); }
      else item("dot", "background:" + TAB10[0], "samples (their true class)");
    }
    function setN(index) {
      const s = one(); s.index = Math.max(0, Math.min(s.nets.length - 1, index)); const n = now();
      $("dec-n").value = String(s.index);
      $("dec-n-out").textContent = String(n.neurons);
      $("dec-n").setAttribute("aria-valuetext", n.neurons + " hidden neurons");
      const region = s.kind !== "data";
      $("dec-region-readouts").hidden = !region; $("dec-data-readouts").hidden = region;
      if (region) {
        const m = $("dec-misclassified"), br = $("dec-bracket");
        m.textContent = n.text.misclassified; m.dataset.value = String(n.misclassified);
        $("dec-how").textContent = n.text.how; br.textContent = n.text.bracket;
        br.dataset.lower = n.certified ? String(n.misclassified_lower) : "";
        br.dataset.upper = n.certified ? String(n.misclassified_upper) : "";
      } else {
        const acc = $("dec-accuracy"); acc.textContent = n.text.accuracy; acc.dataset.value = String(n.accuracy); }
      $("dec-summary").textContent = n.summary;
      $("dec-plot").setAttribute("aria-label", "the classes univ's " + n.neurons + "-neuron classifier decides for " +
        s.expression + ". " + n.summary);
      const how = !region ? "its accuracy on the samples" : n.certified ? "the misclassified share of the area, " +
        "certified between two bounds" : "its accuracy at its grid's points, 1 − the share above, and certifies the share";
      $("dec-note").textContent = "The numbers are univ's: " + s.command + " -n " + n.neurons + " --json prints " +
        how + ". The map is the class decided at the centres of " + s.side + " × " + s.side + " pixels.";
      if (!$("panel-decide").hidden) draw();
    }
    function setSet(j) {
      V.set = Math.max(0, Math.min(sets.length - 1, j)); sel.value = String(V.set);
      $("dec-n").max = String(one().nets.length - 1); readColours(); legend(one()); setN(one().index);
    }
    sel.addEventListener("change", () => setSet(Number(sel.value)));
    $("dec-n").addEventListener("input", () => setN(Number($("dec-n").value)));
    setSet(V.set);
    return {
      draw: () => { legend(one()); draw(); },
      resize: () => plot.resize(),
      params(p) {
        if (V.set !== D.decisions.start) p.set("cset", String(V.set));
        if (one().index !== one().start) p.set("cn", String(now().neurons));
      },
      restore(p, problems) {
        if (p.has("cset")) { const j = Number(p.get("cset"));
          if (Number.isInteger(j) && j >= 0 && j < sets.length) setSet(j); else problems.push("classify set"); }
        if (p.has("cn")) { const k = one().nets.findIndex((n) => n.neurons === Number(p.get("cn")));
          if (k >= 0) setN(k); else problems.push("no classifier of " + p.get("cn") + " neurons here"); }
      },
      state: () => ({ set: V.set, expression: one().expression, kind: one().kind, index: one().index,
        count: one().nets.length, ...now(), map: undefined }),
    };
  }

  // -- a 2D page: univ's towers as a surface, turned by dragging ------------------------------------------------
  function surfacePage() {
    const G = D.surface.side, [[a, b], [c, d]] = D.domain, f2 = f64(D.surface.target);
    const xs = linspace(a, b, G), ys = linspace(c, d, G), P = G * G;
    const nets2 = D.nets.map((n) => ({ ...n, layers: n.layers.map((L) => ({ ...L, w: f64(L.w), b: f64(L.b) })) }));
    const V = { index: D.start, az: -35, el: 30, beside: "error", z: null, err: null, zlim: null };
    document.querySelector('[role="tablist"]').hidden = true;
    for (const el of document.querySelectorAll('[role="tabpanel"]')) el.hidden = true;
    $("panel-towers").hidden = false;
    const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
    function colour(t) {  // viridis, t in [0, 1]: ordered in lightness, readable with any colour vision
      t = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
      const i = Math.min(VIRIDIS.length - 2, Math.floor(t)), u = t - i, p = VIRIDIS[i], q = VIRIDIS[i + 1];
      return "rgb(" + p.map((v, k) => Math.round(v + u * (q[k] - v))).join(",") + ")";
    }
    function forward(net) {  // the net at the G × G points (row by row in y), layer by layer as univ's forward pass
      let inp = new Float64Array(2 * P), width = 2;
      for (let r = 0; r < G; r++) for (let k = 0; k < G; k++) { inp[2 * (r * G + k)] = xs[k]; inp[2 * (r * G + k) + 1] = ys[r]; }
      for (const L of net.layers) {
        const out = new Float64Array(P * L.fanOut), fn = ACT[L.act];
        for (let p = 0; p < P; p++) {
          const o = p * L.fanOut, ip = p * width;
          for (let j = 0; j < L.fanOut; j++) out[o + j] = L.b[j];
          for (let i = 0; i < width; i++) { const v = inp[ip + i]; if (v === 0) continue;
            const row = i * L.fanOut; for (let j = 0; j < L.fanOut; j++) out[o + j] += v * L.w[row + j]; }
          for (let j = 0; j < L.fanOut; j++) out[o + j] = fn(out[o + j]);
        }
        inp = out; width = L.fanOut;
      }
      return inp;
    }
    function size(canvas) {
      const dpr = window.devicePixelRatio || 1, w = canvas.clientWidth || 400, h = Math.round(Math.min(420, 0.85 * w));
      canvas.style.height = h + "px"; canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
      const g = canvas.getContext("2d"); g.setTransform(dpr, 0, 0, dpr, 0, 0); return { g, w, h };
    }
    function surface(canvas, z) {  // painter's algorithm over the G-1 × G-1 quads, far ones first
      readColours();
      const { g, w, h } = size(canvas), A = V.az * Math.PI / 180, E = V.el * Math.PI / 180;
      const [lo, hi] = V.zlim, span = hi - lo || 1, R = 0.3 * Math.min(w, h * 1.3);
      g.fillStyle = colours.bg; g.fillRect(0, 0, w, h);
      const sx = new Float64Array(P), sy = new Float64Array(P), depth = new Float64Array(P);
      for (let r = 0; r < G; r++) for (let k = 0; k < G; k++) {
        const p = r * G + k, u = 2 * k / (G - 1) - 1, v = 2 * r / (G - 1) - 1, hz = 1.2 * ((z[p] - lo) / span - 0.5);
        const u2 = u * Math.cos(A) - v * Math.sin(A), v2 = u * Math.sin(A) + v * Math.cos(A);
        sx[p] = w / 2 + R * u2; sy[p] = 0.47 * h + R * (v2 * Math.sin(E) - hz * Math.cos(E));
        depth[p] = v2 * Math.cos(E) + hz * Math.sin(E);
      }
      const quads = [];
      for (let r = 0; r < G - 1; r++) for (let k = 0; k < G - 1; k++) {
        const p = r * G + k, q = [p, p + 1, p + G + 1, p + G];
        quads.push([q, (depth[q[0]] + depth[q[1]] + depth[q[2]] + depth[q[3]]) / 4,
          (z[q[0]] + z[q[1]] + z[q[2]] + z[q[3]]) / 4]);
      }
      quads.sort((s, t) => s[1] - t[1]);
      g.lineWidth = 0.5; g.strokeStyle = colours.bg;
      for (const [q, , m] of quads) {
        g.fillStyle = colour((m - lo) / span); g.beginPath(); g.moveTo(sx[q[0]], sy[q[0]]);
        for (let t = 1; t < 4; t++) g.lineTo(sx[q[t]], sy[q[t]]);
        g.closePath(); g.fill(); g.stroke();
      }
      g.fillStyle = colours.muted; g.font = "12px system-ui, sans-serif";
      g.fillText("height " + lo.toPrecision(3) + " (dark) to " + hi.toPrecision(3) + " (light)", 8, h - 8);
    }
    function heat(canvas, e) {  // |network − f| seen from above, x to the right and y up
      readColours();
      const { g, w, h } = size(canvas); let top = 0; for (const v of e) top = Math.max(top, v);
      g.fillStyle = colours.bg; g.fillRect(0, 0, w, h);
      const side = Math.min(w - 20, h - 30), x0 = (w - side) / 2, cw = side / G;
      for (let r = 0; r < G; r++) for (let k = 0; k < G; k++) {
        g.fillStyle = colour(top > 0 ? e[r * G + k] / top : 0);
        g.fillRect(x0 + k * cw, 4 + (G - 1 - r) * cw, cw + 0.5, cw + 0.5);
      }
      g.fillStyle = colours.muted; g.font = "12px system-ui, sans-serif";
      g.fillText("0 (dark) to " + top.toPrecision(3) + " (light) on the drawn points", 8, h - 8);
    }
    function draw() {
      surface($("surface"), V.z);
      if (V.beside === "error") heat($("beside-plot"), V.err); else surface($("beside-plot"), f2);
      $("beside-title").textContent = V.beside === "error" ? "|network − f|, from above" : "the target f";
    }
    function setCells(index) {
      V.index = index; const n = nets2[index];
      V.z = forward(n); V.err = V.z.map((v, p) => Math.abs(v - f2[p]));
      let lo = Infinity, hi = -Infinity; for (const arr of [V.z, f2]) for (const v of arr) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      V.zlim = [lo, hi];
      $("cells").value = String(index);
      $("cells-out").textContent = n.cells + " × " + n.cells + " (" + n.neurons + " neurons)";
      $("cells").setAttribute("aria-valuetext", n.cells + " by " + n.cells + " cells, " + n.neurons + " neurons");
      for (const [id, v] of [["max-error-2d", n.maxError], ["rmse-2d", n.rmse]]) {
        $(id).textContent = fmt(v); $(id).dataset.value = String(v); }
      $("worst-2d").textContent = "worst at (" + n.worstAt.map((v) => v.toPrecision(4)).join(", ") + ")";
      draw();
    }
    function setView(az, el) {
      V.az = ((az + 540) % 360) - 180; V.el = Math.max(5, Math.min(90, el));
      $("azimuth").value = String(Math.round(V.az)); $("elevation").value = String(Math.round(V.el));
      $("azimuth-out").textContent = Math.round(V.az) + "°"; $("elevation-out").textContent = Math.round(V.el) + "°";
      draw();
    }
    function remember2d() {
      const p = new URLSearchParams({ f: D.expression, cells: String(nets2[V.index].cells), az: String(Math.round(V.az)),
        el: String(Math.round(V.el)), beside: V.beside });
      const theme = document.documentElement.getAttribute("data-theme"); if (theme) p.set("theme", theme);
      history.replaceState(null, "", "#" + p.toString());
    }
    $("cells").max = String(nets2.length - 1);
    $("cells").addEventListener("input", () => setCells(Number($("cells").value)));
    $("azimuth").addEventListener("input", () => setView(Number($("azimuth").value), V.el));
    $("elevation").addEventListener("input", () => setView(V.az, Number($("elevation").value)));
    $("beside").addEventListener("change", () => { V.beside = $("beside").value; draw(); });
    for (const id of ["surface", "beside-plot"]) {
      const cv = $(id); let last = null;
      cv.addEventListener("pointerdown", (ev) => { last = [ev.clientX, ev.clientY]; cv.setPointerCapture(ev.pointerId);
        ev.preventDefault(); });
      cv.addEventListener("pointermove", (ev) => { if (!last) return; ev.preventDefault();
        setView(V.az - 0.5 * (ev.clientX - last[0]), V.el + 0.3 * (ev.clientY - last[1])); last = [ev.clientX, ev.clientY]; });
      const stop = () => { last = null; }; cv.addEventListener("pointerup", stop); cv.addEventListener("pointercancel", stop);
    }
    const THEMES2 = ["auto", "light", "dark"];
    function theme(name) {
      if (name === "auto") document.documentElement.removeAttribute("data-theme");
      else document.documentElement.setAttribute("data-theme", name);
      $("theme").textContent = "theme: " + name; draw();
    }
    $("theme").addEventListener("click", () => theme(THEMES2[(THEMES2.indexOf(
      document.documentElement.getAttribute("data-theme") || "auto") + 1) % 3]));
    $("copy-link").addEventListener("click", async () => {
      remember2d(); const box = $("link"); box.value = location.href; box.parentElement.hidden = false;
      try { await navigator.clipboard.writeText(location.href); $("status").textContent = "link copied"; } catch (e) {
        box.focus(); box.select(); $("status").textContent = "copy the link from the box below"; }
    });
    for (const type of ["change", "pointerup", "keyup", "click"]) document.addEventListener(type, remember2d);
    let pending2 = 0;
    window.addEventListener("resize", () => { cancelAnimationFrame(pending2); pending2 = requestAnimationFrame(draw); });
    const p = new URLSearchParams(location.hash.replace(/^#/, ""));
    if (p.has("theme") && THEMES2.includes(p.get("theme"))) theme(p.get("theme"));
    if (p.has("beside") && ["error", "target"].includes(p.get("beside"))) { V.beside = p.get("beside"); $("beside").value = V.beside; }
    const at = D.cells.indexOf(Number(p.get("cells")));
    V.az = p.has("az") ? Number(p.get("az")) || 0 : V.az; V.el = p.has("el") ? Number(p.get("el")) || 30 : V.el;
    setCells(at >= 0 ? at : V.index); setView(V.az, V.el);
    window.univPage = {
      state: () => ({ dimension: 2, cells: nets2[V.index].cells, neurons: nets2[V.index].neurons, az: V.az, el: V.el,
        beside: V.beside, maxError: nets2[V.index].maxError, rmse: nets2[V.index].rmse }),
      values: () => Array.from(V.z), points: () => ({ x: Array.from(xs), y: Array.from(ys) }),
    };
    document.body.dataset.ready = "1";
  }
  if (D.dimension === 2) { readColours(); surfacePage(); return; }
  // a page of one view (a region's decisions): the theme button, copy link, and the state in the link's fragment
  function chrome(draw, params, restoreFrom) {
    const NAMES = ["auto", "light", "dark"];
    function theme(name) {
      if (name === "auto") document.documentElement.removeAttribute("data-theme");
      else document.documentElement.setAttribute("data-theme", name);
      $("theme").textContent = "theme: " + name; draw();
    }
    function remember() {
      const p = new URLSearchParams({ f: D.expression }); params(p);
      const t = document.documentElement.getAttribute("data-theme"); if (t) p.set("theme", t);
      history.replaceState(null, "", "#" + p.toString());
    }
    $("theme").addEventListener("click", () => theme(NAMES[(NAMES.indexOf(
      document.documentElement.getAttribute("data-theme") || "auto") + 1) % NAMES.length]));
    $("copy-link").addEventListener("click", async () => {
      remember(); const box = $("link"); box.value = location.href; box.parentElement.hidden = false;
      try { await navigator.clipboard.writeText(location.href); say("link copied"); } catch (e) {
        box.focus(); box.select(); say("copy the link from the box below"); }
    });
    for (const type of ["change", "pointerup", "keyup", "click"]) document.addEventListener(type, remember);
    let pending = 0;
    window.addEventListener("resize", () => { cancelAnimationFrame(pending); pending = requestAnimationFrame(draw); });
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", draw);
    const p = new URLSearchParams(location.hash.replace(/^#/, ""));
    if (p.has("f") && p.get("f") !== D.expression) {
      say("this link is for " + p.get("f") + "; this page shows " + D.expression + ", so it opens as is"); return; }
    if (p.has("theme") && NAMES.includes(p.get("theme"))) theme(p.get("theme"));
    restoreFrom(p);
  }
  function regionPage() {  // a region's page: the Decisions tab alone, open
    for (const el of document.querySelectorAll('[role="tab"]')) el.hidden = el.id !== "tab-decide";
    for (const el of document.querySelectorAll('[role="tabpanel"]')) el.hidden = el.id !== "panel-decide";
    $("tab-decide").setAttribute("aria-selected", "true"); $("tab-decide").tabIndex = 0;
    const T = decisionsTab(), draw = () => { T.resize(); T.draw(); };
    draw();
    chrome(draw, T.params, (p) => { const problems = []; T.restore(p, problems); draw();
      if (problems.length) say("parts of this link could not be read: " + problems.join("; ")); });
    window.univPage = { decisions: T.state, link: () => location.href, show: () => draw() };
    document.body.dataset.ready = "1";
  }
  if (D.region) { readColours(); regionPage(); return; }

  // -- the bumps tab -------------------------------------------------------------------------------------------
  // univ.measure's points (the ends and Gauss–Legendre nodes on equal panels) and its RMSE weights (0 at the ends)
  function measurePoints(P) {  // univ.measure's points, in its arithmetic: a, a + h k + (h / 2)(t + 1), b
    const h = (P.b - P.a) / P.panels, hh = 0.5 * h, x = new Float64Array(P.panels * P.nodes.length + 2);
    let i = 0; x[i++] = P.a;
    for (let k = 0; k < P.panels; k++) { const left = P.a + h * k; for (const t of P.nodes) x[i++] = left + hh * (t + 1.0); }
    x[i] = P.b; return x;
  }
  const grid = measurePoints(D.points), m = grid.length, target = f64(D.target), wq = new Float64Array(m);
  for (let i = 1; i < m - 1; i++) wq[i] = D.points.weights[(i - 1) % 3];
  const drawIdx = strideIndex(m, 1000);
  const nets = D.nets.map(unpack);
  const scale = D.scale;  // {kind: "steepness" | "weight" | null, value, min, max}
  const S = { index: D.start, k: 1, value: scale.kind ? scale.value : null, heights: null, H: null, Hh: null, u: null,
    y: null, maxError: NaN, rmse: NaN, frozen: null, piece: 0 };
  const mainPlot = new Plot($("main-plot"), 0.42, 200, 380), bumpsPlot = new Plot($("bumps-plot"), 0.3, 150, 280);

  function net() { return nets[S.index]; }
  function rebuildHidden() {
    const n = net(), f = ACT[n.act], k = S.k, u = new Float64Array(n.heights.length);
    S.H = sparse(n, k, grid);
    const at = (j, x) => f(k * (x * n.w[j] + n.b[j]) + (1 - k) * n.c[j]);
    for (let j = 0; j < u.length; j++) {  // each piece at height 1 at its handle
      const x = n.handles[j]; u[j] = n.pairs ? at(2 * j, x) - at(2 * j + 1, x) : at(j, x); }
    S.u = u;
  }
  function measureNow() {
    const n = net(), z = sparseOutput(S.H, outWeights(n, S.heights), n.bias), f = ACT[n.out];
    let worst = 0, sq = 0;
    for (let i = 0; i < m; i++) { const v = f(z[i]); z[i] = v; const e = Math.abs(v - target[i]);
      if (e > worst) worst = e; sq += wq[i] * e * e; }
    S.y = z; S.maxError = worst; S.rmse = Math.sqrt(sq / (D.domain[1] - D.domain[0]));
    const me = $("max-error"), rm = $("rmse");
    me.textContent = fmt(worst); me.dataset.value = String(worst);
    rm.textContent = fmt(S.rmse); rm.dataset.value = String(S.rmse);
    const pb = D.bounds ? D.bounds[S.index] : null, pr = $("promise");  // the construction's a-priori bound
    pr.textContent = pb == null ? "no bound for this f" : "≤ " + fmt(pb) + "; measured " + fmt(worst);
    pr.dataset.value = pb == null ? "" : String(pb);
  }
  function pieceName() { return { bumps: "bump", relu: "hinge" }[D.method] || "step"; }
  function fillPieces() {
    const sel = $("piece"), n = net(), name = pieceName();
    sel.textContent = "";
    for (let j = 0; j < n.heights.length; j++) { const o = document.createElement("option"); o.value = String(j);
      o.textContent = name + " " + (j + 1); sel.appendChild(o); }
    S.piece = Math.min(S.piece, n.heights.length - 1); sel.value = String(S.piece);
    let top = 0; for (const v of n.heights) top = Math.max(top, Math.abs(v));
    const bound = top > 0 ? nice(1.5 * top) : 1, h = $("height");
    h.min = String(-bound); h.max = String(bound); h.step = String(bound / 500);
    syncHeightSlider();
  }
  function syncHeightSlider() { const h = $("height"), v = S.heights[S.piece]; h.value = String(v);
    $("height-out").textContent = fmt(v); h.setAttribute("aria-valuetext", fmt(v)); }
  function drawBumps() {
    readColours();
    const n = net(), xlim = [D.domain[0], D.domain[1]];
    mainPlot.begin(xlim, range([target, S.y], [], 0.08));
    mainPlot.line(grid, target, drawIdx, colours.target, 2.2);
    mainPlot.line(grid, S.y, drawIdx, colours.network, 1.8);
    mainPlot.end();
    const M = S.heights.length, cols = [colours["bump-a"], colours["bump-b"]], tops = new Float64Array(M);
    const curves = [], spans = [], H = S.H, K = drawIdx.length;
    const first = (i) => { let a = 0, e = K; while (a < e) { const h = (a + e) >> 1; if (drawIdx[h] < i) a = h + 1;
      else e = h; } return a; };
    for (let j = 0; j < M; j++) {
      // a bump is exactly 0 outside its two windows (both neurons at the same constant): compute only inside
      const c = new Float64Array(K).fill(NaN), h = S.heights[j], A = n.pairs ? 2 * j : j, B = n.pairs ? 2 * j + 1 : j;
      const k0 = Math.max(0, first(Math.min(H.lo[A], H.lo[B])) - 1);
      const k1 = n.pairs ? Math.min(K - 1, first(Math.max(H.hi[A], H.hi[B])) + 1) : K - 1;
      for (let k = k0; k <= k1; k++) { const i = drawIdx[k];
        c[k] = h * (n.pairs ? sparseAt(H, A, i) - sparseAt(H, B, i) : sparseAt(H, A, i)); }
      curves.push(c); spans.push([k0, k1]); tops[j] = h * S.u[j];
    }
    if (!S.frozen) S.frozen = range(curves, [0, ...tops], 0.12);
    // where a piece is flat on zero the axis line shows it: skip those points (a bump is drawn over its support)
    const tiny = 5e-3 * Math.max(Math.abs(S.frozen[0]), Math.abs(S.frozen[1]));
    curves.forEach((c, j) => {
      const [k0, k1] = spans[j], flat = (k) => !(Math.abs(c[k]) >= tiny);  // NaN (not computed) is flat on zero
      let prev = k0 === 0 ? true : flat(k0 - 1), here = flat(k0);
      for (let k = k0; k <= k1; k++) {
        const next = k === K - 1 ? true : flat(k + 1);
        if (here && prev && next) c[k] = NaN;
        prev = here; here = next;
      }
    });
    bumpsPlot.begin(xlim, S.frozen);
    const xsub = drawIdx.map((i) => grid[i]), seq = drawIdx.map((_, k) => k);
    for (let j = 0; j < M; j++) bumpsPlot.line(xsub, curves[j], seq, cols[j % 2], 1.3);
    bumpsPlot.dots(n.handles, tops, colours.handle, M > 60 ? 3 : 5);
    if (S.piece < M) { bumpsPlot.g.strokeStyle = colours.network; bumpsPlot.g.lineWidth = 2; bumpsPlot.g.beginPath();
      bumpsPlot.g.arc(bumpsPlot.X(n.handles[S.piece]), bumpsPlot.Y(tops[S.piece]), 8, 0, 2 * Math.PI);
      bumpsPlot.g.stroke(); }
    bumpsPlot.end();
    labelBumps();
  }
  function labelBumps() {  // the figure is a slider for the chosen piece: what a screen reader says of it
    const c = bumpsPlot.canvas, h = $("height"), j = S.piece, v = S.heights[j];
    c.setAttribute("aria-valuemin", h.min); c.setAttribute("aria-valuemax", h.max);
    c.setAttribute("aria-valuenow", String(v));
    c.setAttribute("aria-valuetext", pieceName() + " " + (j + 1) + " of " + S.heights.length + ": height " + fmt(v));
  }
  function initBumpKeys() {  // arrows move the chosen piece's height; Tab and Shift+Tab go through the pieces
    const c = bumpsPlot.canvas;
    c.addEventListener("keydown", (ev) => {
      const M = S.heights.length, h = $("height"), step = Number(h.step);
      if (ev.key === "Tab") {
        const next = S.piece + (ev.shiftKey ? -1 : 1);
        if (next < 0 || next >= M) return;  // past the first or last piece, focus leaves the figure
        ev.preventDefault(); S.piece = next; $("piece").value = String(next); syncHeightSlider(); drawBumps(); return;
      }
      const d = { ArrowUp: 1, ArrowRight: 1, ArrowDown: -1, ArrowLeft: -1, PageUp: 10, PageDown: -10 }[ev.key];
      if (!d) return;
      ev.preventDefault();
      const v = Math.max(Number(h.min), Math.min(Number(h.max), S.heights[S.piece] + d * step));
      setHeight(S.piece, Number(v.toPrecision(12)));
    });
  }
  function setNet(index) {
    S.index = index; const n = net();
    S.heights = Float64Array.from(n.heights);
    $("neurons-out").textContent = String(n.neurons);
    $("neurons").setAttribute("aria-valuetext", n.neurons + " neurons");
    fillPieces(); rebuildHidden(); measureNow(); S.frozen = null; drawBumps();
  }
  function setScale(v) {
    S.value = v; S.k = v / scale.value;
    $("scale-out").textContent = v.toPrecision(3); $("scale").setAttribute("aria-valuetext", v.toPrecision(3));
    rebuildHidden(); measureNow(); S.frozen = null; drawBumps();
  }
  function setHeight(j, v) {
    if (!Number.isFinite(v)) return;
    S.heights[j] = v; S.piece = j; $("piece").value = String(j); syncHeightSlider(); measureNow(); drawBumps();
  }
  function initBumps() {
    const r = $("neurons"); r.max = String(nets.length - 1); r.value = String(S.index);
    r.addEventListener("input", () => setNet(Number(r.value)));
    const sc = $("scale");
    if (scale.kind) {
      $("scale-name").textContent = scale.kind === "weight" ? "weight w (fixed)" : "steepness (w × cell width)";
      // the slider is log10(value / built value) in steps of 0.01, so the built value sits exactly on a step
      sc.min = String(Math.ceil(100 * Math.log10(scale.min / scale.value) - 1e-9) / 100);
      sc.max = String(Math.floor(100 * Math.log10(scale.max / scale.value) + 1e-9) / 100);
      sc.value = "0";
      $("scale-out").textContent = scale.value.toPrecision(3);
      sc.setAttribute("aria-valuetext", scale.value.toPrecision(3));
      sc.addEventListener("input", () => setScale(scale.value * Math.pow(10, Number(sc.value))));
    } else { $("scale-control").hidden = true; }
    $("piece-name").textContent = pieceName();
    $("piece").addEventListener("change", () => {
      S.piece = Number($("piece").value); syncHeightSlider(); drawBumps(); });
    $("height").addEventListener("input", () => setHeight(S.piece, Number($("height").value)));
    $("reset").addEventListener("click", () => { S.heights = Float64Array.from(net().heights); syncHeightSlider();
      measureNow(); S.frozen = null; drawBumps(); });
    $("method-note").textContent = D.note;
    draggable(bumpsPlot, () => ({ x: net().handles, y: Array.from(S.heights, (h, j) => h * S.u[j]) }),
      (j, yv) => { if (Math.abs(S.u[j]) > 1e-9) setHeight(j, yv / S.u[j]); }, () => { S.frozen = null; drawBumps(); });
    initBumpKeys();
    setNet(S.index);
  }

  // -- the challenge tab ---------------------------------------------------------------------------------------
  const C = D.challenge, cnet = unpack(C.net), goal = f64(C.goal), cIdx = strideIndex(m, 1000);
  const cx = linspace(C.grid.a, C.grid.b, C.grid.n), cm = cx.length;
  const CS = { heights: new Float64Array(cnet.heights.length), H: null, u: null, z: null, score: NaN };
  const cPlot = new Plot($("challenge-plot"), 0.42, 210, 380), fPlot = new Plot($("challenge-f"), 0.28, 140, 260);
  function challengeMeasure() {
    const z = weighted(CS.H, outWeights(cnet, CS.heights), cm, cnet.bias);
    let s = 0; for (let i = 0; i < cm; i++) s += Math.abs(goal[i] - z[i]);
    CS.z = z; CS.score = s / cm;
    const o = $("score"); o.textContent = CS.score.toFixed(4); o.dataset.value = String(CS.score);
    const v = $("verdict"), done = CS.score <= C.goalScore;
    v.textContent = (done ? "Challenge complete: " : "goal: ") + C.goalScore.toFixed(2) + " or below";
    v.classList.toggle("done", done);
  }
  function drawChallenge() {
    readColours();
    cPlot.begin([C.grid.a, C.grid.b], [-3.2, 3.2]);
    cPlot.line(cx, goal, cIdx, colours.target, 2.2);
    cPlot.line(cx, CS.z, cIdx, colours.network, 1.8);
    cPlot.dots(cnet.handles, Array.from(CS.heights, (h, j) => h * CS.u[j]), colours.handle, 6);
    cPlot.end();
    const fy = new Float64Array(cm), ny = new Float64Array(cm);
    for (const i of cIdx) { fy[i] = ACT.sigmoid(goal[i]); ny[i] = ACT.sigmoid(CS.z[i]); }
    fPlot.begin([C.grid.a, C.grid.b], [0, 1]);
    fPlot.line(cx, fy, cIdx, colours.target, 2.2); fPlot.line(cx, ny, cIdx, colours.network, 1.8); fPlot.end();
  }
  function setChallenge(j, v, fromSlider) {
    if (!Number.isFinite(v)) return;
    CS.heights[j] = Math.max(-3, Math.min(3, v));
    const r = $("ch" + j); if (!fromSlider) r.value = String(CS.heights[j]);
    $("ch" + j + "-out").textContent = CS.heights[j].toFixed(2);
    r.setAttribute("aria-valuetext", CS.heights[j].toFixed(2));
    challengeMeasure(); drawChallenge();
  }
  function initChallenge() {
    const box = $("challenge-sliders");
    for (let j = 0; j < CS.heights.length; j++) {
      const d = document.createElement("div"); d.className = "control";
      d.innerHTML = '<label for="ch' + j + '"><span>h' + (j + 1) + '</span><output id="ch' + j + '-out" for="ch' + j +
        '">0.00</output></label><input type="range" id="ch' + j + '" min="-3" max="3" step="0.01" value="0">';
      box.appendChild(d);
      const r = d.querySelector("input"); r.addEventListener("input", () => setChallenge(j, Number(r.value), true));
    }
    CS.H = hidden(cnet, 1, cx); CS.u = units(cnet, hidden(cnet, 1, cnet.handles), cnet.handles.length);
    $("best").textContent = "Best possible with five bumps (each height the median of σ⁻¹∘f over its cell): " +
      C.idealBestScore.toFixed(3) + " with ideal steps; " + C.bestScore.toFixed(3) + " with these sigmoid steps (w = " +
      C.weight + ").";
    $("challenge-zero").addEventListener("click", () => {
      for (let j = 0; j < CS.heights.length; j++) setChallenge(j, 0, false); });
    $("challenge-best").addEventListener("click", () => {
      for (let j = 0; j < CS.heights.length; j++) setChallenge(j, C.best[j], false); });
    draggable(cPlot, () => ({ x: cnet.handles, y: Array.from(CS.heights, (h, j) => h * CS.u[j]) }),
      (j, yv) => { if (Math.abs(CS.u[j]) > 1e-9) setChallenge(j, yv / CS.u[j], false); }, () => {});
    challengeMeasure();
  }

  // -- the neuron tab ------------------------------------------------------------------------------------------
  const nPlot = new Plot($("neuron-plot"), 0.4, 180, 320), nx = linspace(0, 1, 401), nIdx = strideIndex(401, 400);
  function neuronMode() { return document.querySelector('input[name="neuron-mode"]:checked').value; }
  function drawNeuron() {
    readColours();
    let w = Number($("nw").value), b = Number($("nb").value);
    if (neuronMode() === "ws") { b = -w * Number($("ns").value); }
    const y = new Float64Array(401); for (let i = 0; i < 401; i++) y[i] = ACT.sigmoid(w * nx[i] + b);
    const s = w !== 0 ? -b / w : null;
    $("nw-out").textContent = w.toFixed(1); $("nb-out").textContent = b.toFixed(2);
    $("ns-out").textContent = Number($("ns").value).toFixed(3);
    for (const id of ["nw", "nb", "ns"]) $(id).setAttribute("aria-valuetext", $(id + "-out").textContent);
    $("formula").textContent = "σ(w·x + b) = σ(" + w.toFixed(1) + "·x " + (b < 0 ? "− " : "+ ") +
      Math.abs(b).toFixed(2) +
      ")" + (s === null ? ": no step (w = 0)" : ", step at s = −b/w = " + s.toFixed(3));
    nPlot.begin([0, 1], [-0.05, 1.05]);
    nPlot.line(nx, y, nIdx, colours.network, 2.2);
    if (s !== null && s >= 0 && s <= 1) nPlot.vline(s, colours["bump-a"]);
    nPlot.end();
  }
  function initNeuron() {
    for (const id of ["nw", "nb", "ns"]) $(id).addEventListener("input", drawNeuron);
    for (const r of document.querySelectorAll('input[name="neuron-mode"]')) r.addEventListener("change", () => {
      const ws = neuronMode() === "ws", w = Number($("nw").value), b = Number($("nb").value);
      if (ws && w !== 0) $("ns").value = String(Math.min(1, Math.max(0, -b / w)));
      if (!ws) $("nb").value = String(-w * Number($("ns").value));
      $("nb-control").hidden = ws; $("ns-control").hidden = !ws; drawNeuron();
    });
  }

  // -- draw your own f -----------------------------------------------------------------------------------------
  // The sketch is y at D.sketch.n equally spaced x (numpy.linspace); the target is its linear interpolant (as
  // univ.Target.from_samples makes it, numpy.interp), and the network is univ's 1D construction ported from
  // univ/constructions/one_d.py (uniform knots): the same step points, steepness rule and heights, tested equal.
  const B = D.build, sx = linspace(D.domain[0], D.domain[1], D.sketch.n), sketch0 = f64(D.sketch.y);
  const DR = { y: Float64Array.from(sketch0), edited: false, method: "bumps", n: 0, net: null, H: null,
    key: "", values: null, goal: new Float64Array(m), maxError: NaN, rmse: NaN, ylim: null };
  const dPlot = new Plot($("draw-plot"), 0.5, 220, 420);
  function interp(xv, xs, ys) {  // numpy.interp for sorted xs, the same arithmetic
    const last = xs.length - 1;
    if (xv >= xs[last]) return ys[last];
    if (xv <= xs[0]) return ys[0];
    let lo = 0, hi = last;  // xs[lo] <= xv < xs[hi]
    while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (xs[mid] <= xv) lo = mid; else hi = mid; }
    if (xs[lo] === xv) return ys[lo];
    const slope = (ys[lo + 1] - ys[lo]) / (xs[lo + 1] - xs[lo]);
    return slope * (xv - xs[lo]) + ys[lo];
  }
  function diff(a) { const d = new Float64Array(a.length - 1); for (let i = 0; i < d.length; i++) d[i] = a[i + 1] - a[i];
    return d; }
  // the hidden layer depends only on the method and N (uniform knots); the heights on the sketch
  function buildHidden(method, N) {
    const a = D.domain[0], b = D.domain[1], K = B.steepness;
    if (method === "bumps") {  // N/2 bumps; edges pushed 12 logits outside the domain (OUTER_MARGIN_LOGITS)
      const M = N / 2, edges = linspace(a, b, M + 1), wd = diff(edges), wE = new Float64Array(M + 1);
      wE[0] = K / wd[0]; wE[M] = K / wd[M - 1];
      for (let i = 1; i < M; i++) wE[i] = K / Math.min(wd[i - 1], wd[i]);
      const s = Float64Array.from(edges);
      s[0] = a - B.margin / wE[0]; s[M] = b + B.margin / wE[M];
      const w = new Float64Array(N), bb = new Float64Array(N);
      for (let j = 0; j < M; j++) { w[2 * j] = wE[j]; w[2 * j + 1] = wE[j + 1];
        bb[2 * j] = -wE[j] * s[j]; bb[2 * j + 1] = -wE[j + 1] * s[j + 1]; }
      return { method, neurons: N, act: "sigmoid", w, b: bb, c: new Float64Array(N), edges, pairs: true };
    }
    const edges = linspace(a, b, N + 2), wd = diff(edges), w = new Float64Array(N), bb = new Float64Array(N);
    for (let i = 0; i < N; i++) { w[i] = K / Math.min(wd[i], wd[i + 1]); bb[i] = -w[i] * edges[i + 1]; }
    return { method, neurons: N, act: "sigmoid", w, b: bb, c: new Float64Array(N), edges, pairs: false };
  }
  function buildHeights(net, ys) {  // f at each cell's middle: bumps' heights, or steps' jumps and first value
    const e = net.edges, v = new Float64Array(e.length - 1);
    for (let i = 0; i < v.length; i++) v[i] = interp(0.5 * (e[i] + e[i + 1]), sx, ys);
    if (net.pairs) return { heights: v, bias: 0 };
    return { heights: diff(v), bias: v[0] };
  }
  function drawNetwork() {  // the sketch's network as it is built now: weights, output weights, bias
    const n = DR.net, hb = buildHeights(n, DR.y);
    return { ...n, heights: hb.heights, bias: hb.bias, out: "linear" };
  }
  function drawMeasure() {
    const key = DR.method + ":" + DR.n;
    if (DR.key !== key) { DR.net = buildHidden(DR.method, DR.n); DR.H = sparse(DR.net, 1, grid); DR.key = key; }
    const n = drawNetwork(), z = sparseOutput(DR.H, outWeights(n, n.heights), n.bias), g = DR.goal;
    let worst = 0, sq = 0;
    for (let i = 0; i < m; i++) { g[i] = interp(grid[i], sx, DR.y); const e = Math.abs(z[i] - g[i]);
      if (e > worst) worst = e; sq += wq[i] * e * e; }
    DR.values = z; DR.maxError = worst; DR.rmse = Math.sqrt(sq / (D.domain[1] - D.domain[0]));
    const me = $("draw-max-error"), rm = $("draw-rmse");
    me.textContent = fmt(worst); me.dataset.value = String(worst);
    rm.textContent = fmt(DR.rmse); rm.dataset.value = String(DR.rmse);
  }
  function drawDraw() {
    readColours();
    if (!DR.ylim) { const r = range([sketch0], [], 0.1), span = r[1] - r[0]; DR.ylim = [r[0] - 0.4 * span, r[1] + 0.4 * span]; }
    dPlot.begin([D.domain[0], D.domain[1]], DR.ylim);
    dPlot.line(grid, DR.goal, drawIdx, colours.target, 2.2);
    dPlot.line(grid, DR.values, drawIdx, colours.network, 1.8);
    dPlot.end();
  }
  function drawUpdate() { drawMeasure(); drawDraw(); }
  function setDrawN(N) {
    const r = $("draw-n"), bumps = DR.method === "bumps";
    N = Math.max(bumps ? 2 : 1, Math.min(B.maxNeurons, Math.round(N)));
    if (bumps && N % 2) N += N < B.maxNeurons ? 1 : -1;
    DR.n = N; r.value = String(N); $("draw-n-out").textContent = String(N);
    r.setAttribute("aria-valuetext", N + " neurons");
    drawUpdate();
  }
  function setDrawMethod(method) {
    if (!B.methods.includes(method)) return;
    DR.method = method; $("draw-method").value = method;
    const r = $("draw-n"); r.min = method === "bumps" ? "2" : "1"; r.step = method === "bumps" ? "2" : "1";
    r.max = String(B.maxNeurons);
    setDrawN(DR.n);
  }
  function sketchAt(i0, y0, i1, y1) {  // set the samples from index i0 to i1 on the line between the two values
    const lo = Math.min(i0, i1), hi = Math.max(i0, i1);
    for (let i = lo; i <= hi; i++) {
      const t = i1 === i0 ? 1 : (i - i0) / (i1 - i0);
      DR.y[i] = Number((y0 + t * (y1 - y0)).toPrecision(4));  // 4 digits: the link and the CSV carry it exactly
    }
    DR.edited = true;
  }
  function initDraw() {
    const canvas = dPlot.canvas; let last = null;
    function sample(ev) {
      const r = canvas.getBoundingClientRect(), px = ev.clientX - r.left, py = ev.clientY - r.top;
      const t = (px - dPlot.pad.l) / (dPlot.w - dPlot.pad.l - dPlot.pad.r);
      const i = Math.max(0, Math.min(sx.length - 1, Math.round(t * (sx.length - 1))));
      return [i, dPlot.invY(py)];
    }
    canvas.addEventListener("pointerdown", (ev) => {
      last = sample(ev); sketchAt(last[0], last[1], last[0], last[1]); canvas.setPointerCapture(ev.pointerId);
      ev.preventDefault(); drawUpdate(); });
    canvas.addEventListener("pointermove", (ev) => { if (!last) return; ev.preventDefault();
      const now = sample(ev); sketchAt(last[0], last[1], now[0], now[1]); last = now; drawUpdate(); });
    const stop = (ev) => { if (!last) return; last = null;
      try { canvas.releasePointerCapture(ev.pointerId); } catch (e) { /* already released */ } };
    canvas.addEventListener("pointerup", stop); canvas.addEventListener("pointercancel", stop);
    $("draw-method").addEventListener("change", () => setDrawMethod($("draw-method").value));
    $("draw-n").addEventListener("input", () => setDrawN(Number($("draw-n").value)));
    $("draw-reset").addEventListener("click", () => { DR.y = Float64Array.from(sketch0); DR.edited = false;
      drawUpdate(); });
    $("draw-flat").addEventListener("click", () => { let s = 0; for (const v of sketch0) s += v;
      DR.y.fill(Number((s / sketch0.length).toPrecision(4))); DR.edited = true; drawUpdate(); });
    $("draw-csv").addEventListener("click", () => {
      const rows = ["x,y"]; for (let i = 0; i < sx.length; i++) rows.push(String(sx[i]) + "," + String(DR.y[i]));
      save("sketch.csv", rows.join("\n") + "\n", "text/csv"); });
    const n0 = D.counts[D.start];
    DR.n = Math.min(B.maxNeurons, D.method === "bumps" ? n0 : 2 * Math.ceil(n0 / 2));
    setDrawMethod("bumps");
  }
  function save(name, text, type) {  // a download of text made in the page (no network: a blob URL)
    const url = URL.createObjectURL(new Blob([text], { type })), a = document.createElement("a");
    a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  // -- watch training: univ's own fit for the same target and width, snapshot by snapshot -----------------------
  const T = D.training, tPlot = new Plot($("train-plot"), 0.45, 200, 400);
  const TR = { at: 0, timer: 0, x: null, f: null, snaps: null, idx: null };
  function trainShow(k) {
    if (!T || T.error) return;
    TR.at = Math.max(0, Math.min(T.epochs.length - 1, k)); $("train-at").value = String(TR.at);
    const per = T.per + (T.epochs[TR.at] === 1 ? "" : "s");
    $("train-epoch").textContent = T.epochs[TR.at] + " " + per;
    $("train-at").setAttribute("aria-valuetext", "after " + T.epochs[TR.at] + " " + per);
    const lo = $("train-loss"), me = $("train-max-error");
    lo.textContent = fmt(T.loss[TR.at]); lo.dataset.value = String(T.loss[TR.at]);
    me.textContent = fmt(T.maxError[TR.at]); me.dataset.value = String(T.maxError[TR.at]);
    if (current() === "train") drawTrain();
  }
  function drawTrain() {
    if (!T || T.error) return;
    readColours();
    const n = TR.x.length, y = TR.snaps.subarray(TR.at * n, (TR.at + 1) * n);
    tPlot.begin([D.domain[0], D.domain[1]], range([TR.f, S.y], [], 0.12));
    tPlot.line(TR.x, TR.f, TR.idx, colours.target, 2.2);
    tPlot.line(grid, S.y, drawIdx, colours.network, 1.6, [6, 4]);
    tPlot.line(TR.x, y, TR.idx, colours["bump-a"], 2);
    tPlot.end();
  }
  function trainPlay(on) {
    clearInterval(TR.timer); TR.timer = 0;
    $("train-play").textContent = on ? "pause" : "play"; $("train-play").setAttribute("aria-pressed", String(on));
    if (!on) return;
    if (TR.at >= T.epochs.length - 1) trainShow(0);
    TR.timer = setInterval(() => { if (TR.at >= T.epochs.length - 1) trainPlay(false); else trainShow(TR.at + 1); },
      350);
  }
  function initTrain() {
    if (!T || T.error) {
      $("train-intro").textContent = T ? "univ's training run failed: " + T.error : "This page was written without a training run.";
      for (const id of ["train-play", "train-at"]) $(id).disabled = true;
      return;
    }
    TR.x = linspace(D.domain[0], D.domain[1], T.n); TR.f = f64(T.f); TR.snaps = f32(T.snapshots);
    TR.idx = Array.from(TR.x, (_, i) => i);
    $("train-intro").textContent = "univ's fit trained a net of the same width (1 → " + T.width + " " + T.activation +
      " → 1, " + T.optimizer + ", seed " + T.seed + ") on the same f. Play it, or move the slider, to watch its curve " +
      "find f beside the one built by hand.";
    $("train-final").textContent = "After " + T.final.epochs + " " + T.per + "s: univ.measure gives the trained net " +
      "max error " + fmt(T.final.maxError) + " and RMSE " + fmt(T.final.rmse) + " (the loss and max error above are " +
      "on the " + TR.x.length + " points each snapshot was taken on).";
    const r = $("train-at"); r.max = String(T.epochs.length - 1);
    r.addEventListener("input", () => { trainPlay(false); trainShow(Number(r.value)); });
    $("train-play").addEventListener("click", () => trainPlay(!TR.timer));
    trainShow(T.epochs.length - 1);
  }

  // -- tabs, theme, resizing -----------------------------------------------------------------------------------
  const tabs = ["bumps", "challenge", "neuron", "draw", "train", "decide"];
  function show(name) {
    for (const t of tabs) { const on = t === name; $("tab-" + t).setAttribute("aria-selected", String(on));
      $("tab-" + t).tabIndex = on ? 0 : -1; $("panel-" + t).hidden = !on; }
    $("tab-" + name).scrollIntoView({ block: "nearest", inline: "nearest" });  // on a phone the tab row scrolls
    redraw(true);
  }
  function current() { return tabs.find((t) => !$("panel-" + t).hidden); }
  function redraw(resize) {
    const t = current();
    if (t === "decide") { if (resize) DT.resize(); DT.draw(); return; }
    const plots = { bumps: [mainPlot, bumpsPlot], challenge: [cPlot, fPlot], neuron: [nPlot], draw: [dPlot],
      train: [tPlot] }[t];
    if (resize) for (const p of plots) p.resize();
    if (t === "bumps") { S.frozen = null; drawBumps(); } else if (t === "challenge") drawChallenge();
    else if (t === "draw") drawDraw(); else if (t === "train") drawTrain(); else drawNeuron();
  }
  function initTabs() {
    tabs.forEach((t, k) => {
      $("tab-" + t).addEventListener("click", () => show(t));
      $("tab-" + t).addEventListener("keydown", (ev) => {
        const d = ev.key === "ArrowRight" ? 1 : ev.key === "ArrowLeft" ? -1 : 0; if (!d) return;
        const next = tabs[(k + d + tabs.length) % tabs.length];
        show(next); $("tab-" + next).focus(); ev.preventDefault();
      });
    });
  }
  const THEMES = ["auto", "light", "dark"];
  function setTheme(name) {
    if (name === "auto") document.documentElement.removeAttribute("data-theme");
    else document.documentElement.setAttribute("data-theme", name);
    $("theme").textContent = "theme: " + name;
    try { localStorage.setItem("univ-theme", name); } catch (e) { /* file:// storage may be off */ }
    redraw(false);
  }
  function initTheme() {
    let saved = "auto"; try { saved = localStorage.getItem("univ-theme") || "auto"; } catch (e) { /* ignore */ }
    if (!THEMES.includes(saved)) saved = "auto";
    $("theme").addEventListener("click", () => {
      const now = document.documentElement.getAttribute("data-theme") || "auto";
      setTheme(THEMES[(THEMES.indexOf(now) + 1) % THEMES.length]);
    });
    if (saved !== "auto") setTheme(saved);
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => redraw(false));
  }
  let pending = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending); pending = requestAnimationFrame(() => redraw(true)); });

  // -- the network as a file: download what the page shows, open one univ wrote --------------------------------
  function networkJSON() {  // univ.Network.to_dict's format, as the page shows the net (steepness and heights)
    const n = net(), k = S.k, N = n.w.length, w = new Array(N), b = new Array(N);
    for (let j = 0; j < N; j++) { w[j] = k * n.w[j]; b[j] = k * n.b[j] + (1 - k) * n.c[j]; }
    const out = Array.from(outWeights(n, S.heights), (v) => [v]);
    const edited = S.heights.some((v, j) => v !== n.heights[j]);
    return { format: D.format.name, version: D.format.version, input_dim: 1,
      layers: [{ activation: n.act, weights: [w], biases: b }, { activation: n.out, weights: out, biases: [n.bias] }],
      info: { method: n.method || D.method, expression: D.expression, dimension: 1, domain: [D.domain],
        neurons: N, steepness: scale.kind === "steepness" && !n.loaded ? S.value : null,
        weight: scale.kind === "weight" && !n.loaded ? S.value : null, knots: B.knots,
        edges: n.edges ? Array.from(n.edges) : null, output: n.out, heights_edited: edited,
        made_by: "univ page " + D.version } };
  }
  const HANDLES = {  // where a piece's handle sits, from the cell edges e (univ.play.HANDLE_AT)
    bumps: (e) => Array.from(e.slice(0, -1), (v, j) => 0.5 * (v + e[j + 1])),
    steps: (e) => Array.from(e.slice(1, -1), (v, j) => 0.5 * (v + e[j + 2])),
    relu: (e) => Array.from(e.slice(1)),
  };
  HANDLES.heaviside = HANDLES.steps;
  function readNetwork(obj) {  // a network univ wrote, checked; returns the page's form of it or throws one line
    const bad = (why) => { throw new Error(why); };
    if (!obj || obj.format !== D.format.name) bad("not a univ network (its 'format' is not " + D.format.name + ")");
    if (obj.version !== D.format.version) bad("network version " + obj.version + "; this page reads " +
      D.format.version);
    if (!Array.isArray(obj.layers) || obj.layers.length !== 2 || obj.input_dim !== 1)
      bad("the page shows networks of x with one hidden layer");
    const [L0, L1] = obj.layers, finite = (a) => Array.isArray(a) && a.every((v) => Number.isFinite(v));
    if (!Array.isArray(L0.weights) || L0.weights.length !== 1 || !finite(L0.weights[0]) || !finite(L0.biases))
      bad("the hidden layer's weights are not a row of finite numbers");
    const N = L0.weights[0].length, info = obj.info || {};
    if (N < 1 || N > 4 * B.maxNeurons || L0.biases.length !== N)
      bad("the hidden layer has " + N + " neurons; the page shows 1 to " + 4 * B.maxNeurons);
    if (!["sigmoid", "relu", "heaviside"].includes(L0.activation))
      bad("hidden activation " + L0.activation + ": the page shows sigmoid, relu or heaviside");
    if (!["linear", "sigmoid"].includes(L1.activation)) bad("output activation " + L1.activation);
    if (!Array.isArray(L1.weights) || L1.weights.length !== N || !L1.weights.every((r) => finite(r) && r.length === 1)
      || !finite(L1.biases) || L1.biases.length !== 1) bad("the output layer does not match the hidden layer");
    const w = Float64Array.from(L0.weights[0]), b = Float64Array.from(L0.biases), out = L1.weights.map((r) => r[0]);
    const method = typeof info.method === "string" ? info.method : "";
    const pairs = method === "bumps" && N % 2 === 0 && out.every((v, j) => j % 2 === 1 || out[j + 1] === -v);
    const heights = Float64Array.from(pairs ? out.filter((_, j) => j % 2 === 0) : out);
    const edges = finite(info.edges) && info.edges.length > 1 ? Float64Array.from(info.edges) : null;
    const c = new Float64Array(N);  // c = b + w e about the step's cell edge, as univ.page._logit_offsets
    if (L0.activation !== "relu") for (let j = 0; j < N; j++) {
      let e = w[j] !== 0 ? -b[j] / w[j] : 0;
      if (edges) { let best = Infinity; for (const v of edges) if (Math.abs(v - e) < best) { best = Math.abs(v - e);
        e = v; } }  // nearest edge (the first nearest, as argmin)
      c[j] = b[j] + w[j] * e;
    }
    let handles = edges && HANDLES[method] ? HANDLES[method](edges) : null;
    if (!handles || handles.length !== heights.length) handles = Array.from(heights, (_, j) => {
      const s = (k) => (w[k] !== 0 ? -b[k] / w[k] : D.domain[0]), v = pairs ? 0.5 * (s(2 * j) + s(2 * j + 1)) : s(j);
      return Math.max(D.domain[0], Math.min(D.domain[1], v)); });
    return { neurons: N, act: L0.activation, w, b, c, heights, handles: Float64Array.from(handles), pairs,
      bias: L1.biases[0], out: L1.activation, edges, method: method || D.method, loaded: true };
  }
  function openNetwork(text, name) {
    let n;
    try { n = readNetwork(JSON.parse(text)); } catch (e) {
      say(name + ": " + (e instanceof SyntaxError ? "not JSON" : e.message)); return false; }
    nets.length = D.nets.length; nets.push(n);
    S.k = 1; S.value = scale.kind ? scale.value : null; $("scale").value = "0";
    setNet(nets.length - 1);
    $("loaded-note").textContent = name + ": " + n.neurons + " neurons (a loaded network is not in the link)";
    say("opened " + name); show("bumps"); return true;
  }
  function initFiles() {
    $("download").addEventListener("click", () => save("network.json", JSON.stringify(networkJSON()), "application/json"));
    $("open-network").addEventListener("change", async (ev) => {
      const file = ev.target.files[0]; if (!file) return;
      openNetwork(await file.text(), file.name); ev.target.value = ""; });
  }
  function say(text) { $("status").textContent = text; }

  // -- the whole state in the link's fragment --------------------------------------------------------------------
  // #f=<expression>&method=bumps&n=22&scale=-0.1&h=3:0.51,7:-0.1&tab=draw&theme=dark&dm=steps&dn=12&sk=...&cset=1&cn=37
  // (cset, cn: the Decisions tab's dataset and neuron count)
  function stateParams() {
    const p = new URLSearchParams(), n = net();
    p.set("f", D.expression); p.set("method", D.method);
    if (!n.loaded) {
      p.set("n", String(n.neurons));
      if (scale.kind && $("scale").value !== "0") p.set("scale", $("scale").value);
      const edits = []; S.heights.forEach((v, j) => { if (v !== n.heights[j]) edits.push(j + ":" + v); });
      if (edits.length) p.set("h", edits.join(","));
    }
    if (CS.heights.some((v) => v !== 0)) p.set("ch", Array.from(CS.heights).join(","));
    const tab = current(); if (tab !== "bumps") p.set("tab", tab);
    const theme = document.documentElement.getAttribute("data-theme"); if (theme) p.set("theme", theme);
    p.set("dm", DR.method); p.set("dn", String(DR.n));
    if (DR.edited) p.set("sk", Array.from(DR.y).join(","));
    if (T && !T.error && TR.at !== T.epochs.length - 1) p.set("ts", String(TR.at));
    DT.params(p);
    return p;
  }
  let restoring = false, timer = 0;
  function remember() {
    clearTimeout(timer); if (restoring) return;
    const hash = "#" + stateParams().toString().replace(/%2C/g, ",").replace(/%3A/g, ":");
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }
  function numbers(text, count) {  // comma-separated finite numbers, or null
    const v = text.split(",").map(Number);
    return v.length === count && v.every(Number.isFinite) ? v : null;
  }
  function restore(hash) {
    const p = new URLSearchParams(hash.replace(/^#/, "")); if (![...p.keys()].length) return;
    if (p.has("f") && p.get("f") !== D.expression) {
      say("this link is for f(x) = " + p.get("f") + "; this page shows " + D.expression + ", so it opens as is");
      return; }
    if (p.has("method") && p.get("method") !== D.method) {
      say("this link is for the " + p.get("method") + " construction; this page has " + D.method); return; }
    restoring = true;
    const problems = [];
    try {
      if (p.has("theme") && THEMES.includes(p.get("theme"))) setTheme(p.get("theme"));
      const index = p.has("n") ? D.counts.indexOf(Number(p.get("n"))) : S.index;
      if (index < 0) problems.push("no net of " + p.get("n") + " neurons here");
      else { $("neurons").value = String(index); setNet(index); }
      if (scale.kind) {
        const sc = $("scale"); sc.value = p.get("scale") || "0";
        setScale(scale.value * Math.pow(10, Number(sc.value)));
      }
      if (p.has("h")) for (const item of p.get("h").split(",")) {
        const [j, v] = item.split(":").map(Number);
        if (Number.isInteger(j) && j >= 0 && j < S.heights.length && Number.isFinite(v)) S.heights[j] = v;
        else problems.push("height " + item);
      }
      S.piece = 0; syncHeightSlider(); measureNow(); S.frozen = null;
      if (p.has("ch")) { const v = numbers(p.get("ch"), CS.heights.length);
        if (v) v.forEach((h, j) => setChallenge(j, h, false)); else problems.push("challenge heights"); }
      if (p.has("dm")) setDrawMethod(p.get("dm"));
      if (p.has("dn")) setDrawN(Number(p.get("dn")));
      if (p.has("sk")) { const v = numbers(p.get("sk"), DR.y.length);
        if (v) { DR.y = Float64Array.from(v); DR.edited = true; drawUpdate(); } else problems.push("sketch"); }
      if (p.has("ts")) trainShow(Number(p.get("ts")) || 0);
      DT.restore(p, problems);
      show(tabs.includes(p.get("tab")) ? p.get("tab") : "bumps");
    } finally { restoring = false; }
    if (problems.length) say("parts of this link could not be read: " + problems.join("; "));
  }
  function initShare() {
    for (const type of ["change", "click", "pointerup", "keyup"]) document.addEventListener(type, remember);
    document.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(remember, 250); });
    window.addEventListener("hashchange", () => restore(location.hash));
    $("copy-link").addEventListener("click", async () => {
      remember();
      const box = $("link"); box.value = location.href; box.parentElement.hidden = false;
      try { await navigator.clipboard.writeText(location.href); say("link copied"); } catch (e) {
        box.focus(); box.select(); say("copy the link from the box below"); }
    });
  }

  function at(plot, x, y) {  // a point of a plot in the viewport's coordinates (as pointer events see it)
    const r = plot.canvas.getBoundingClientRect();
    return { x: r.left + plot.X(x), y: r.top + plot.Y(y) };
  }
  readColours();
  const DT = decisionsTab();
  initTabs(); initBumps(); initChallenge(); initNeuron(); initDraw(); initTrain(); initTheme(); initFiles(); initShare();
  restore(location.hash);
  // for tests and the curious: the current state, in the numbers univ uses
  window.univPage = {
    state: () => ({ neurons: net().neurons, method: D.method, scale: scale.kind, value: S.value,
      heights: Array.from(S.heights), maxError: S.maxError, rmse: S.rmse, k: S.k }),
    values: () => Array.from(S.y),  // the network's output on univ.measure's points
    points: () => Array.from(grid),
    challenge: () => ({ heights: Array.from(CS.heights), score: CS.score }),
    handle: (j) => at(bumpsPlot, net().handles[j], S.heights[j] * S.u[j]),
    challengeHandle: (j) => at(cPlot, cnet.handles[j], CS.heights[j] * CS.u[j]),
    show,
    link: () => location.href,
    decisions: () => DT.state(),
    training: () => (T && !T.error ? { at: TR.at, epoch: T.epochs[TR.at], playing: !!TR.timer,
      curve: Array.from(TR.snaps.subarray(TR.at * TR.x.length, (TR.at + 1) * TR.x.length)) } : null),
    network: () => networkJSON(),
    open: (text, name) => openNetwork(text, name || "network.json"),
    draw: {
      state: () => ({ method: DR.method, neurons: DR.n, x: Array.from(sx), y: Array.from(DR.y), edited: DR.edited,
        maxError: DR.maxError, rmse: DR.rmse }),
      network: () => { const n = drawNetwork(); return { w: Array.from(n.w), b: Array.from(n.b),
        out: Array.from(outWeights(n, n.heights)), bias: n.bias }; },
      at: (x, y) => at(dPlot, x, y),
    },
  };
  document.body.dataset.ready = "1";
})();
