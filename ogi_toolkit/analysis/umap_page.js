// The interactive projection page: points from #points drawn on a canvas, coloured by the
// column chosen in #colour-by (colours computed in Python, the same as the PNG figures),
// legend entries toggle their points, hovering a point shows its prompt and labels.
(function () {
  "use strict";
  const P = JSON.parse(document.getElementById("points").textContent);
  const canvas = document.getElementById("plot"), ctx = canvas.getContext("2d");
  const select = document.getElementById("colour-by"), legend = document.getElementById("legend");
  const tip = document.getElementById("tip");
  const M = { left: 46, right: 12, top: 12, bottom: 40 };
  const n = P.x.length;
  const lo = (a) => Math.min(...a), hi = (a) => Math.max(...a);
  const [x0, x1, y0, y1] = [lo(P.x), hi(P.x), lo(P.y), hi(P.y)];
  const W = canvas.width - M.left - M.right, H = canvas.height - M.top - M.bottom;
  // 4% of the frame left free on each side, so no point sits on the border
  const px = (v) => M.left + (0.04 + 0.92 * (x1 > x0 ? (v - x0) / (x1 - x0) : 0.5)) * W;
  const py = (v) => M.top + H - (0.04 + 0.92 * (y1 > y0 ? (v - y0) / (y1 - y0) : 0.5)) * H;
  const radius = n > 5000 ? 2 : n > 500 ? 3 : 4.5;
  let by = P.colour_by[0] || null, hidden = new Set();

  document.getElementById("note").textContent = `${n} points` + (n < P.total ? ` (a fixed sample of ${P.total})` : "")
    + `; ${P.method} of the prompts' sentence embeddings. Hover a point for its prompt; click a legend entry to hide it.`;
  for (const [k, c] of P.colour_by.entries()) select.append(new Option(c.name, k));
  if (!P.colour_by.length) select.parentElement.hidden = true;
  select.addEventListener("change", () => { by = P.colour_by[select.value]; hidden = new Set(); draw(); });

  function axes() {
    ctx.strokeStyle = "#888"; ctx.fillStyle = "#333"; ctx.font = "13px system-ui, sans-serif";
    ctx.strokeRect(M.left, M.top, W, H);
    ctx.textAlign = "center";
    ctx.fillText(P.method + " 1", M.left + W / 2, canvas.height - 12);
    ctx.save(); ctx.translate(16, M.top + H / 2); ctx.rotate(-Math.PI / 2); ctx.fillText(P.method + " 2", 0, 0); ctx.restore();
  }

  function draw() {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    axes();
    ctx.globalAlpha = 0.75;
    for (let i = 0; i < n; i++) {
      const code = by ? by.codes[i] : 0;
      if (hidden.has(code)) continue;
      ctx.fillStyle = by ? by.colours[code] : "#4c72b0";
      ctx.beginPath(); ctx.arc(px(P.x[i]), py(P.y[i]), radius, 0, 2 * Math.PI); ctx.fill();
    }
    ctx.globalAlpha = 1;
    legend.replaceChildren();
    if (!by) return;
    // counts of the whole set (the page may show a sample of it)
    const counts = by.totals;
    by.levels.forEach((name, k) => {
      const row = document.createElement("div"), dot = document.createElement("span");
      dot.style.background = by.colours[k];
      row.append(dot, `${name} (${counts[k].toLocaleString("en")})`);
      if (hidden.has(k)) row.className = "off";
      row.addEventListener("click", () => { hidden.has(k) ? hidden.delete(k) : hidden.add(k); draw(); });
      legend.append(row);
    });
    if (by.folded.length) {
      const note = document.createElement("p");
      note.className = "note";
      note.textContent = "other: " + by.folded.join(", ");
      legend.append(note);
    }
  }

  canvas.addEventListener("mousemove", (e) => {
    const r = canvas.getBoundingClientRect(), mx = e.clientX - r.left, my = e.clientY - r.top;
    let best = -1, bestD = 64;
    for (let i = 0; i < n; i++) {
      if (by && hidden.has(by.codes[i])) continue;
      const d = (px(P.x[i]) - mx) ** 2 + (py(P.y[i]) - my) ** 2;
      if (d < bestD) { best = i; bestD = d; }
    }
    if (best < 0) { tip.style.display = "none"; return; }
    const labels = P.colour_by.map((c) => `${c.name}: ${c.levels[c.codes[best]]}`).join(" \u00b7 ");
    tip.textContent = P.text[best] + (labels ? "\n" + labels : "");
    tip.style.whiteSpace = "pre-wrap";
    tip.style.left = e.clientX + 14 + "px"; tip.style.top = e.clientY + 14 + "px"; tip.style.display = "block";
  });
  canvas.addEventListener("mouseleave", () => { tip.style.display = "none"; });
  draw();
})();
