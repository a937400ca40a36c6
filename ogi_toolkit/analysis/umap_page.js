// The interactive projection page: points from #points drawn on a canvas, coloured by the
// column chosen in #colour-by (colours computed in Python, the same as the PNG figures),
// legend entries toggle their points, hovering a point shows its prompt and labels (and its id
// and thumbnail), clicking one opens it in the gallery, and a shift-drag lasso selects points
// whose ids can be saved as a list (`ogi subset --ids FILE`, `ogi filter --ids FILE`).
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
  let picked = new Set(), lasso = null;  // selected point indices; the lasso being drawn ([x, y] pairs)

  document.getElementById("note").textContent = `${n} points` + (n < P.total ? ` (a fixed sample of ${P.total})` : "")
    + `; ${P.method} of the prompts' sentence embeddings. Hover a point for its prompt; click a legend entry to hide it`
    + (P.gallery && P.id ? "; click a point to open it in the gallery." : ".");
  if (!P.id) document.getElementById("lasso").hidden = true;
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
      if (picked.has(i)) { ctx.globalAlpha = 1; ctx.strokeStyle = "#000"; ctx.stroke(); ctx.globalAlpha = 0.75; }
    }
    ctx.globalAlpha = 1;
    if (lasso && lasso.length > 1) {
      ctx.strokeStyle = "#000"; ctx.setLineDash([4, 3]); ctx.beginPath();
      lasso.forEach(([x, y], k) => (k ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.closePath(); ctx.stroke(); ctx.setLineDash([]);
    }
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

  const at = (e) => { const r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; };
  const visible = (i) => !(by && hidden.has(by.codes[i]));

  function nearest([mx, my]) {
    let best = -1, bestD = 64;
    for (let i = 0; i < n; i++) {
      if (!visible(i)) continue;
      const d = (px(P.x[i]) - mx) ** 2 + (py(P.y[i]) - my) ** 2;
      if (d < bestD) { best = i; bestD = d; }
    }
    return best;
  }

  // even-odd rule: a point is inside the lasso when a ray from it crosses the outline an odd number of times
  function inside(x, y, poly) {
    let odd = false;
    for (let a = 0, b = poly.length - 1; a < poly.length; b = a++) {
      const [xa, ya] = poly[a], [xb, yb] = poly[b];
      if ((ya > y) !== (yb > y) && x < ((xb - xa) * (y - ya)) / (yb - ya) + xa) odd = !odd;
    }
    return odd;
  }

  function showPicked() {
    document.getElementById("picked").textContent = picked.size;
    document.getElementById("save-ids").disabled = document.getElementById("clear-ids").disabled = !picked.size;
  }

  canvas.addEventListener("mousedown", (e) => {
    if (!e.shiftKey || !P.id) return;
    lasso = [at(e)];
    e.preventDefault();
  });
  window.addEventListener("mouseup", () => {
    if (!lasso) return;
    if (lasso.length > 2) {
      for (let i = 0; i < n; i++) if (visible(i) && inside(px(P.x[i]), py(P.y[i]), lasso)) picked.add(i);
    }
    lasso = null;
    showPicked();
    draw();
  });
  document.getElementById("clear-ids").addEventListener("click", () => { picked = new Set(); showPicked(); draw(); });
  document.getElementById("save-ids").addEventListener("click", () => {
    const text = [...picked].map((i) => P.id[i]).sort().join("\n") + "\n";
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    link.download = "selection.txt";
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });

  canvas.addEventListener("click", (e) => {
    if (e.shiftKey || !P.gallery || !P.id) return;
    const i = nearest(at(e));
    // one named gallery tab, reused: a second click changes its hash, which the gallery applies
    if (i >= 0) window.open(P.gallery + "#item=" + encodeURIComponent(P.id[i]), "ogi-gallery");
  });

  canvas.addEventListener("mousemove", (e) => {
    if (lasso) { lasso.push(at(e)); draw(); return; }
    const best = nearest(at(e));
    canvas.style.cursor = best >= 0 && P.gallery && P.id ? "pointer" : "default";
    if (best < 0) { tip.style.display = "none"; return; }
    const labels = P.colour_by.map((c) => `${c.name}: ${c.levels[c.codes[best]]}`).join(" \u00b7 ");
    tip.textContent = (P.id ? P.id[best] + "\n" : "") + P.text[best] + (labels ? "\n" + labels : "");
    if (P.thumb && P.thumb[best]) {
      const img = document.createElement("img");
      img.src = P.thumb[best]; img.alt = P.id ? P.id[best] : "";
      tip.append(img);
    }
    tip.style.whiteSpace = "pre-wrap";
    tip.style.left = e.clientX + 14 + "px"; tip.style.top = e.clientY + 14 + "px"; tip.style.display = "block";
  });
  canvas.addEventListener("mouseleave", () => { tip.style.display = "none"; });
  draw();
})();
