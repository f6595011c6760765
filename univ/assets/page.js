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
      out: net.output };
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
    for (const k of ["fg", "muted", "line", "target", "network", "bump-a", "bump-b", "handle", "axis", "bg"])
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

  // -- the bumps tab -------------------------------------------------------------------------------------------
  // univ.measure's points (the ends and Gauss–Legendre nodes on equal panels) and its RMSE weights (0 at the ends)
  const grid = f64(D.points.x), m = grid.length, target = f64(D.target), wq = new Float64Array(m);
  for (let i = 1; i < m - 1; i++) wq[i] = D.points.weights[(i - 1) % 3];
  const drawIdx = strideIndex(m, 1000);
  const nets = D.nets.map(unpack);
  const scale = D.scale;  // {kind: "steepness" | "weight" | null, value, min, max}
  const S = { index: D.start, k: 1, value: scale.kind ? scale.value : null, heights: null, H: null, Hh: null, u: null,
    y: null, maxError: NaN, rmse: NaN, frozen: null, piece: 0 };
  const mainPlot = new Plot($("main-plot"), 0.42, 200, 380), bumpsPlot = new Plot($("bumps-plot"), 0.3, 150, 280);

  function net() { return nets[S.index]; }
  function rebuildHidden() {
    const n = net();
    S.H = hidden(n, S.k, grid);
    S.Hh = hidden(n, S.k, n.handles);
    S.u = units(n, S.Hh, n.handles.length);
  }
  function measureNow() {
    const n = net(), z = weighted(S.H, outWeights(n, S.heights), m, n.bias), f = ACT[n.out];
    let worst = 0, sq = 0;
    for (let i = 0; i < m; i++) { const v = f(z[i]); z[i] = v; const e = Math.abs(v - target[i]);
      if (e > worst) worst = e; sq += wq[i] * e * e; }
    S.y = z; S.maxError = worst; S.rmse = Math.sqrt(sq / (D.domain[1] - D.domain[0]));
    const me = $("max-error"), rm = $("rmse");
    me.textContent = fmt(worst); me.dataset.value = String(worst);
    rm.textContent = fmt(S.rmse); rm.dataset.value = String(S.rmse);
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
    const curves = [];
    for (let j = 0; j < M; j++) {
      const c = new Float64Array(drawIdx.length), h = S.heights[j];
      for (let k = 0; k < drawIdx.length; k++) { const i = drawIdx[k];
        c[k] = h * (n.pairs ? S.H[(2 * j) * m + i] - S.H[(2 * j + 1) * m + i] : S.H[j * m + i]); }
      curves.push(c); tops[j] = h * S.u[j];
    }
    if (!S.frozen) S.frozen = range(curves, [0, ...tops], 0.12);
    // where a piece is flat on zero the axis line shows it: skip those points (a bump is drawn over its support)
    const tiny = 5e-3 * Math.max(Math.abs(S.frozen[0]), Math.abs(S.frozen[1]));
    for (const c of curves) {
      const flat = Array.from(c, (v) => Math.abs(v) < tiny), last = c.length - 1;
      for (let k = 0; k <= last; k++)
        if (flat[k] && (k === 0 || flat[k - 1]) && (k === last || flat[k + 1])) c[k] = NaN;
    }
    bumpsPlot.begin(xlim, S.frozen);
    const xsub = drawIdx.map((i) => grid[i]), seq = drawIdx.map((_, k) => k);
    for (let j = 0; j < M; j++) bumpsPlot.line(xsub, curves[j], seq, cols[j % 2], 1.3);
    bumpsPlot.dots(n.handles, tops, colours.handle, M > 60 ? 3 : 5);
    if (S.piece < M) { bumpsPlot.g.strokeStyle = colours.network; bumpsPlot.g.lineWidth = 2; bumpsPlot.g.beginPath();
      bumpsPlot.g.arc(bumpsPlot.X(n.handles[S.piece]), bumpsPlot.Y(tops[S.piece]), 8, 0, 2 * Math.PI);
      bumpsPlot.g.stroke(); }
    bumpsPlot.end();
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

  // -- tabs, theme, resizing -----------------------------------------------------------------------------------
  const tabs = ["bumps", "challenge", "neuron"];
  function show(name) {
    for (const t of tabs) { const on = t === name; $("tab-" + t).setAttribute("aria-selected", String(on));
      $("tab-" + t).tabIndex = on ? 0 : -1; $("panel-" + t).hidden = !on; }
    redraw(true);
  }
  function current() { return tabs.find((t) => !$("panel-" + t).hidden); }
  function redraw(resize) {
    const t = current();
    const plots = t === "bumps" ? [mainPlot, bumpsPlot] : t === "challenge" ? [cPlot, fPlot] : [nPlot];
    if (resize) for (const p of plots) p.resize();
    if (t === "bumps") { S.frozen = null; drawBumps(); } else if (t === "challenge") drawChallenge(); else drawNeuron();
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

  function at(plot, x, y) {  // a point of a plot in the viewport's coordinates (as pointer events see it)
    const r = plot.canvas.getBoundingClientRect();
    return { x: r.left + plot.X(x), y: r.top + plot.Y(y) };
  }
  readColours();
  initTabs(); initBumps(); initChallenge(); initNeuron(); initTheme();
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
  };
  document.body.dataset.ready = "1";
})();
