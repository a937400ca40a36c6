// The dataset browser's script: filters, search and pages over the items embedded as JSON in
// #ogi-data, and a viewer for one item. Only the current page's cards are in the DOM, so
// 10,000 items filter and page as fast as 100. Text goes in through textContent, never HTML.
(function () {
  "use strict";
  const PAGE_SIZE = 60;
  const items = JSON.parse(document.getElementById("ogi-data").textContent).items;
  const byId = new Map(items.map((it) => [it.id, it]));
  const $ = (id) => document.getElementById(id);
  let shown = items;   // the items that pass the filters, in page order
  let page = 0;
  let openAt = -1;     // index in `shown` of the item in the viewer

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  const checkState = (it) => (!it.check ? "not run" : it.check.passed ? "passed" : "failed");
  const judgeState = (it) => (!it.judge ? "not run" : it.judge.error ? "error" : it.judge.passed ? "passed" : "failed");
  // a benchmark match (ogi leakage --table): "exact geneval", ... or "none"
  const leakState = (it) => (it.leak ? `${it.leak.kind} ${it.leak.benchmark}` : "none");
  const isFailure = (it) => it.status !== "done" || checkState(it) === "failed" || ["failed", "error"].includes(judgeState(it));
  for (const it of items) {
    it._text = [it.id, it.instruction, it.original || "", ...(it.turns || []).map((t) => t.instruction)].join(" \n").toLowerCase();
  }

  // ---- filters ----
  const FILTERS = {
    domain: (it) => it.domain, subtask: (it) => it.subtask, difficulty: (it) => String(it.difficulty),
    status: (it) => it.status, check: checkState, judge: judgeState, leak: leakState,
  };

  function fillSelect(name, pool) {
    const select = $("f-" + name);
    const previous = select.value;
    const counts = new Map();
    for (const it of pool) counts.set(FILTERS[name](it), (counts.get(FILTERS[name](it)) || 0) + 1);
    select.replaceChildren(el("option", { value: "", text: `all (${pool.length})` }));
    for (const value of [...counts.keys()].sort()) {
      select.append(el("option", { value, text: `${value} (${counts.get(value)})` }));
    }
    select.value = counts.has(previous) ? previous : "";
  }

  function matches(it) {
    for (const name of Object.keys(FILTERS)) {
      const wanted = $("f-" + name).value;
      if (wanted && FILTERS[name](it) !== wanted) return false;
    }
    if ($("f-failures").checked && !isFailure(it)) return false;
    const words = $("f-search").value.toLowerCase().split(/\s+/).filter(Boolean);
    return words.every((w) => it._text.includes(w));
  }

  function applyFilters() {
    // the subtask list follows the chosen domain
    fillSelect("subtask", $("f-domain").value ? items.filter((it) => it.domain === $("f-domain").value) : items);
    shown = items.filter((it) => matches(it));
    page = 0;
    renderPage();
  }

  // ---- the grid ----
  function thumb(src, alt) {
    return src ? el("img", { src, alt, loading: "lazy" }) : el("div", { class: "noimg", text: "no image" });
  }

  function card(it, index) {
    const thumbs = el("div", { class: "thumbs" });
    if (it.status !== "done") {
      thumbs.append(el("div", { class: "noimg", text: it.status + (it.error ? ": " + it.error : "") }));
    } else {
      it.inputs.forEach((src, k) => thumbs.append(thumb(src, k === 0 ? "input" : "reference image")));
      if (it.inputs.length) thumbs.append(el("span", { class: "arrow", text: "\u2192" }));
      thumbs.append(thumb(it.output, "output"));
    }
    const badges = el("div", { class: "meta" },
      el("span", { class: "badge" + (it.status === "done" ? "" : " bad"), text: it.status }));
    if (it.check) badges.append(el("span", { class: "badge " + (it.check.passed ? "good" : "bad"), text: "checks " + checkState(it) }));
    if (it.judge) badges.append(el("span", { class: "badge " + (judgeState(it) === "passed" ? "good" : "bad"), text: "judge " + judgeState(it) }));
    // how faithfully the renderer draws this kind of item: a placeholder is never taken for a drawing
    if (it.fidelity && it.fidelity !== "faithful") badges.append(el("span", { class: "badge fidelity-" + it.fidelity, text: it.fidelity, title: "how faithfully the renderer draws this kind of item" }));
    if (it.leak) badges.append(el("span", { class: "badge bad", text: "leak " + leakState(it),
      title: `${it.leak.similarity} to: ${it.leak.prompt}` }));
    badges.append(`${it.subtask} \u00b7 grade ${it.difficulty}` + (it.turns ? ` \u00b7 ${it.turns.length} turns` : ""));
    const node = el("div", { class: "card", tabindex: "0", "data-id": it.id, title: it.id },
      thumbs, el("div", { class: "instr", text: it.instruction }), badges);
    node.addEventListener("click", () => openItem(index));
    node.addEventListener("keydown", (e) => { if (e.key === "Enter") openItem(index); });
    return node;
  }

  function renderPage() {
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    page = Math.min(Math.max(page, 0), pages - 1);
    const start = page * PAGE_SIZE;
    $("grid").replaceChildren(...shown.slice(start, start + PAGE_SIZE).map((it, k) => card(it, start + k)));
    $("count").textContent = shown.length === items.length ? `${items.length} items`
      : `${shown.length} of ${items.length} items`;
    $("p-label").textContent = `page ${page + 1} of ${pages}`;
    $("p-prev").disabled = page === 0;
    $("p-next").disabled = page >= pages - 1;
    $("empty").hidden = shown.length > 0;
  }

  // ---- the viewer ----
  function figure(src, caption, cls) {
    const image = src ? el("a", { href: src, target: "_blank", title: "open full size" }, el("img", { src, alt: caption }))
      : el("div", { class: "noimg", text: "no image" });
    return el("figure", {}, image, el("figcaption", { class: cls, text: caption }));
  }

  function images(it) {
    const row = el("div", { class: "v-images" });
    const arrow = () => el("span", { class: "arrow", text: "\u2192" });
    it.inputs.forEach((src, k) => row.append(figure(src, k === 0 ? "input" : "reference image")));
    if (it.turns) {
      it.turns.forEach((turn, k) => row.append(arrow(), figure(turn.image, `turn ${k + 1}: ${turn.instruction}`, "v-turn")));
    } else if (it.status === "done") {
      if (it.inputs.length) row.append(arrow());
      row.append(figure(it.output, "output"));
    }
    // images share the viewer's width (small ones are scaled up, so in-image labels are readable)
    row.style.setProperty("--n", row.querySelectorAll("figure").length);
    return row;
  }

  function resultsTable(rows, columns) {
    const table = el("table", { class: "results" }, el("tr", {}, ...columns.map((c) => el("th", { text: c }))));
    for (const row of rows) {
      table.append(el("tr", { class: row.passed === false ? "fail" : "" },
        ...columns.map((c) => el("td", { text: row[c] === undefined || row[c] === null ? "" : typeof row[c] === "object" ? JSON.stringify(row[c]) : String(row[c]) }))));
    }
    return table;
  }

  function results(it) {
    const box = el("div", {});
    if (it.check) {
      box.append(el("h3", { class: it.check.passed ? "pass" : "fail", text: "Checks: " + checkState(it) }),
        resultsTable(it.check.checks, ["name", "value", "threshold", "passed", "reason"]));
    }
    if (it.judge) {
      const j = it.judge;
      box.append(el("h3", { class: judgeState(it) === "passed" ? "pass" : "fail",
        text: `Judge${j.judge ? " " + j.judge : ""}: ${judgeState(it)}` + (j.score !== undefined ? ` (score ${j.score})` : "") }));
      if (j.error) box.append(el("p", { class: "error", text: j.error }));
      if (j.criteria) box.append(el("pre", { class: "spec", text: JSON.stringify(j.criteria, null, 1) }));
      if (j.reasons) box.append(el("pre", { class: "spec", text: JSON.stringify(j.reasons, null, 1) }));
      if (j.questions) box.append(el("pre", { class: "spec", text: JSON.stringify(j.questions, null, 1) }));
    }
    if (it.leak) {
      const l = it.leak;
      box.append(el("h3", { class: "fail", text: `Benchmark leak: ${l.kind} match in ${l.benchmark} (${l.similarity}, turn ${l.turn})` }),
        el("p", { class: "meta", text: l.prompt }));
    }
    if (!it.check && !it.judge) box.append(el("p", { class: "meta", text: "No check or judge results for this item." }));
    return box;
  }

  function renderViewer() {
    const it = shown[openAt];
    $("v-pos").textContent = `${openAt + 1} of ${shown.length} \u00b7 ${it.id}`;
    $("v-prev").disabled = openAt === 0;
    $("v-next").disabled = openAt >= shown.length - 1;
    const body = [
      el("div", { class: "meta", text: [it.kind, it.domain, it.subtask, "grade " + it.difficulty, "template " + it.template,
        it.model, it.status].filter(Boolean).join(" \u00b7 ") }),
      el("p", { class: "v-instr", text: it.instruction }),
    ];
    if (it.original) body.push(el("p", { class: "v-orig", text: "Before rewriting: " + it.original }));
    if (it.error) body.push(el("p", { class: "error", text: `${it.status}: ${it.error}` }));
    body.push(images(it), el("div", { class: "v-cols" },
      el("div", {}, el("h3", { text: "Spec" }), el("pre", { class: "spec", text: JSON.stringify(it.spec, null, 1) })),
      el("div", {}, results(it))));
    $("v-body").replaceChildren(...body);
    history.replaceState(null, "", "#item=" + encodeURIComponent(it.id));
  }

  function openItem(index) {
    openAt = index;
    renderViewer();
    if (!$("viewer").open) $("viewer").showModal();
  }

  function step(delta) {
    if (openAt + delta < 0 || openAt + delta >= shown.length) return;
    openAt += delta;
    page = Math.floor(openAt / PAGE_SIZE);  // closing lands on the page of the item last seen
    renderViewer();
  }

  // ---- wiring ----
  for (const name of Object.keys(FILTERS)) {
    fillSelect(name, items);
    $("f-" + name).addEventListener("change", applyFilters);
  }
  $("l-check").hidden = !items.some((it) => it.check);
  $("l-judge").hidden = !items.some((it) => it.judge);
  $("l-leak").hidden = !items.some((it) => it.leak);
  $("f-failures").addEventListener("change", applyFilters);
  let typing;
  $("f-search").addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(applyFilters, 120); });
  $("f-size").addEventListener("input", (e) => document.documentElement.style.setProperty("--thumb", e.target.value + "px"));
  $("f-reset").addEventListener("click", () => {
    $("filters").reset();
    document.documentElement.style.removeProperty("--thumb");
    applyFilters();
  });
  $("p-prev").addEventListener("click", () => { page -= 1; renderPage(); window.scrollTo(0, 0); });
  $("p-next").addEventListener("click", () => { page += 1; renderPage(); window.scrollTo(0, 0); });
  $("v-prev").addEventListener("click", () => step(-1));
  $("v-next").addEventListener("click", () => step(1));
  $("v-close").addEventListener("click", () => $("viewer").close());
  $("viewer").addEventListener("close", () => { history.replaceState(null, "", location.pathname); renderPage(); });
  $("viewer").addEventListener("keydown", (e) => {
    if (e.key === "ArrowLeft") step(-1);
    else if (e.key === "ArrowRight") step(1);
  });
  renderPage();
  // a link to #item=ID opens that item
  const wanted = decodeURIComponent((location.hash.match(/^#item=(.+)$/) || [])[1] || "");
  if (byId.has(wanted)) openItem(shown.indexOf(byId.get(wanted)));
})();
