// The dataset browser's script: filters, search, sorting and pages over the items embedded as
// JSON in #ogi-data, and a viewer for one item. Only the current page's cards are in the DOM, so
// 10,000 items filter and page as fast as 100. Text goes in through textContent, never HTML.
// The filters, sort, page and open item live in the URL's hash (#domain=...&item=ID), so a
// view can be linked, and a changed hash (a UMAP point, a twin's link) is applied at once.
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

  // "not checked" when nothing failed but some check could not run (never shown as passed)
  const checkState = (it) => (!it.check ? "not run" : it.check.passed === false ? "failed"
    : (it.check.not_checked || []).length || it.check.passed == null ? "not checked" : "passed");
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
    cluster: (it) => it.cluster || "none",
  };
  const chosen = Object.fromEntries(Object.keys(FILTERS).map((name) => [name, ""]));  // filter -> value ("": all)

  // ---- sorting ----
  const score = (it) => (it.judge && typeof it.judge.score === "number" ? it.judge.score : null);
  const failedChecks = (it) => (it.check ? it.check.checks.filter((c) => c.passed === false).length : 0);
  const byScore = (sign) => (a, b) => (score(a) === null) - (score(b) === null) || sign * (score(a) - score(b));
  const SORTS = {
    "": null,  // the page's order: generation first, then domain, subtask, id
    "score-asc": byScore(1), "score-desc": byScore(-1),
    "failed-checks": (a, b) => failedChecks(b) - failedChecks(a),
    subtask: (a, b) => String(a.subtask).localeCompare(String(b.subtask)),
  };

  // Each filter's counts are of the items that pass every OTHER filter, so a count says how many
  // items choosing that value would show; the chosen value stays listed even at 0.
  function fillSelect(name, pool) {
    const select = $("f-" + name);
    const counts = new Map();
    for (const it of pool) counts.set(FILTERS[name](it), (counts.get(FILTERS[name](it)) || 0) + 1);
    if (chosen[name] && !counts.has(chosen[name])) counts.set(chosen[name], 0);
    select.replaceChildren(el("option", { value: "", text: `all (${pool.length})` }));
    for (const value of [...counts.keys()].sort()) {
      select.append(el("option", { value, text: `${value} (${counts.get(value)})` }));
    }
    select.value = chosen[name];
  }

  function matches(it, except) {
    for (const name of Object.keys(FILTERS)) {
      if (name !== except && chosen[name] && FILTERS[name](it) !== chosen[name]) return false;
    }
    if ($("f-failures").checked && !isFailure(it)) return false;
    const words = $("f-search").value.toLowerCase().split(/\s+/).filter(Boolean);
    return words.every((w) => it._text.includes(w));
  }

  function applyFilters(keepPage) {
    for (const name of Object.keys(FILTERS)) fillSelect(name, items.filter((it) => matches(it, name)));
    shown = items.filter((it) => matches(it, null));
    const order = SORTS[$("f-sort").value];
    if (order) shown = shown.slice().sort(order);  // Array.sort is stable: ties keep the page's order
    if (!keepPage) page = 0;
    renderPage();
  }

  // ---- the URL's hash: the view as a link ----
  function writeHash() {
    const q = new URLSearchParams();
    for (const [name, value] of Object.entries(chosen)) if (value) q.set(name, value);
    if ($("f-search").value) q.set("q", $("f-search").value);
    if ($("f-failures").checked) q.set("failures", "1");
    if ($("f-sort").value) q.set("sort", $("f-sort").value);
    if (page > 0) q.set("page", page + 1);
    if ($("viewer").open && shown[openAt]) q.set("item", shown[openAt].id);
    const hash = q.toString();
    if (hash !== location.hash.slice(1)) history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
  }

  function readHash() {
    const q = new URLSearchParams(location.hash.slice(1));
    for (const name of Object.keys(FILTERS)) chosen[name] = q.get(name) || "";
    $("f-search").value = q.get("q") || "";
    $("f-failures").checked = q.get("failures") === "1";
    $("f-sort").value = SORTS[q.get("sort")] !== undefined ? q.get("sort") || "" : "";
    page = Math.max(0, (parseInt(q.get("page"), 10) || 1) - 1);
    applyFilters(true);
    const wanted = q.get("item");
    if (wanted && byId.has(wanted)) openById(wanted);
    else if ($("viewer").open) $("viewer").close();
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
    const checkClass = { passed: "good", failed: "bad" }[checkState(it)] || "";
    if (it.check) badges.append(el("span", { class: "badge " + checkClass, text: "checks " + checkState(it) }));
    if (it.judge) badges.append(el("span", { class: "badge " + (judgeState(it) === "passed" ? "good" : "bad"), text: "judge " + judgeState(it) }));
    // how faithfully the renderer draws this kind of item: a placeholder is never taken for a drawing
    if (it.fidelity && it.fidelity !== "faithful") badges.append(el("span", { class: "badge fidelity-" + it.fidelity, text: it.fidelity, title: "how faithfully the renderer draws this kind of item" }));
    if (it.leak) badges.append(el("span", { class: "badge bad", text: "leak " + leakState(it),
      title: `${it.leak.similarity} to: ${it.leak.prompt}` }));
    if (it.twins) badges.append(el("span", { class: "badge bad", text: "near-duplicate", title: "of " + it.twins.map((t) => t[0]).join(", ") }));
    badges.append(`${it.subtask} \u00b7 grade ${it.difficulty}` + (it.turns ? ` \u00b7 ${it.turns.length} turns` : "")
      + (score(it) !== null ? ` \u00b7 score ${score(it)}` : "") + (it.cluster ? ` \u00b7 ${it.cluster}` : ""));
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
    $("p-jump").max = pages;
    $("p-jump").value = page + 1;
    writeHash();
  }

  // ---- the viewer ----
  // a click on an image shows it at full size (scroll if larger than the window); a click closes it
  function zoom(src) {
    $("zoom-img").src = src;
    $("zoom").showModal();
  }

  function figure(src, caption, cls) {
    const image = src ? el("img", { src, alt: caption, title: "click: full size", class: "zoomable" })
      : el("div", { class: "noimg", text: "no image" });
    if (src) image.addEventListener("click", () => zoom(src));
    return el("figure", {}, image, el("figcaption", { class: cls, text: caption }));
  }

  // before/after of an edit: the output over the input, revealed up to the slider's position
  function slider(before, after) {
    const top = el("div", { class: "after" }, el("img", { src: after, alt: "after" }));
    const range = el("input", { type: "range", min: "0", max: "100", value: "50", class: "c-range", "aria-label": "before/after" });
    const line = el("div", { class: "c-line" });
    const move = () => {
      top.style.clipPath = `inset(0 0 0 ${range.value}%)`;
      line.style.left = range.value + "%";
    };
    range.addEventListener("input", move);
    move();
    return el("div", { class: "compare-box" }, el("h3", { text: "Before / after (drag the slider)" }),
      el("div", { class: "compare" }, el("img", { src: before, alt: "before" }), top, line), range);
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
      box.append(el("h3", { class: { passed: "pass", failed: "fail" }[checkState(it)] || "", text: "Checks: " + checkState(it) }),
        resultsTable(it.check.checks, [...(it.check.checks.some((c) => c.turn !== undefined) ? ["turn"] : []),
          "name", "value", "threshold", "passed", "reason"]));
    }
    if (it.judge) {
      const j = it.judge;
      box.append(el("h3", { class: judgeState(it) === "passed" ? "pass" : "fail",
        text: `Judge${j.judge ? " " + j.judge : ""}: ${judgeState(it)}` + (j.score !== undefined ? ` (score ${j.score})` : "") }));
      if (j.error) box.append(el("p", { class: "error", text: j.error }));
      const criteria = [...new Set([...Object.keys(j.criteria || {}), ...Object.keys(j.reasons || {})])];
      if (criteria.length) {
        box.append(resultsTable(criteria.map((c) => ({ criterion: c, score: (j.criteria || {})[c], reason: (j.reasons || {})[c] })),
          ["criterion", "score", "reason"]));
      }
      if (j.questions) {
        const extra = [...new Set(j.questions.flatMap((q) => Object.keys(q)))].filter((k) => k !== "question" && k !== "answer");
        box.append(resultsTable(j.questions, ["question", "answer", ...extra]));
      }
    }
    if (it.leak) {
      const l = it.leak;
      box.append(el("h3", { class: "fail", text: `Benchmark leak: ${l.kind} match in ${l.benchmark} (${l.similarity}, turn ${l.turn})` }),
        el("p", { class: "meta", text: l.prompt }));
    }
    if (it.twins) {
      const links = el("p", { class: "twins" }, "Near-duplicate of ");
      it.twins.forEach(([id, sim], k) => {
        if (k) links.append(", ");
        links.append(el("a", { href: "#item=" + encodeURIComponent(id), text: id }), ` (${sim})`);
      });
      box.append(el("h3", { class: "fail", text: "Near-duplicates" }), links);
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
    body.push(images(it));
    if (it.inputs.length === 1 && it.output && !it.turns && it.status === "done") body.push(slider(it.inputs[0], it.output));
    body.push(el("div", { class: "v-cols" },
      el("div", {}, el("h3", { text: "Spec" }), el("pre", { class: "spec", text: JSON.stringify(it.spec, null, 1) })),
      el("div", {}, results(it))));
    $("v-body").replaceChildren(...body);
    writeHash();
  }

  function openItem(index) {
    openAt = index;
    if (!$("viewer").open) $("viewer").showModal();
    renderViewer();
  }

  // an item by id; when the filters hide it, they are cleared so it can be shown and stepped from
  function openById(id) {
    if (!shown.includes(byId.get(id))) {
      for (const name of Object.keys(chosen)) chosen[name] = "";
      $("f-search").value = "";
      $("f-failures").checked = false;
      applyFilters(false);
    }
    openItem(shown.indexOf(byId.get(id)));
  }

  function step(delta) {
    if (openAt + delta < 0 || openAt + delta >= shown.length) return;
    openAt += delta;
    page = Math.floor(openAt / PAGE_SIZE);  // closing lands on the page of the item last seen
    renderViewer();
  }

  // ---- wiring ----
  for (const name of Object.keys(FILTERS)) {
    $("f-" + name).addEventListener("change", (e) => { chosen[name] = e.target.value; applyFilters(false); });
  }
  $("l-check").hidden = !items.some((it) => it.check);
  $("l-judge").hidden = !items.some((it) => it.judge);
  $("l-leak").hidden = !items.some((it) => it.leak);
  $("l-cluster").hidden = !items.some((it) => it.cluster);
  $("f-failures").addEventListener("change", () => applyFilters(false));
  $("f-sort").addEventListener("change", () => applyFilters(false));
  let typing;
  $("f-search").addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(() => applyFilters(false), 120); });
  $("f-size").addEventListener("input", (e) => document.documentElement.style.setProperty("--thumb", e.target.value + "px"));
  $("f-reset").addEventListener("click", () => {
    $("filters").reset();
    for (const name of Object.keys(chosen)) chosen[name] = "";
    document.documentElement.style.removeProperty("--thumb");
    applyFilters(false);
  });
  $("p-prev").addEventListener("click", () => { page -= 1; renderPage(); window.scrollTo(0, 0); });
  $("p-next").addEventListener("click", () => { page += 1; renderPage(); window.scrollTo(0, 0); });
  $("p-jump").addEventListener("change", (e) => { page = (parseInt(e.target.value, 10) || 1) - 1; renderPage(); window.scrollTo(0, 0); });
  $("v-prev").addEventListener("click", () => step(-1));
  $("v-next").addEventListener("click", () => step(1));
  $("v-close").addEventListener("click", () => $("viewer").close());
  $("viewer").addEventListener("close", () => { openAt = -1; renderPage(); });
  $("zoom").addEventListener("click", () => $("zoom").close());
  $("viewer").addEventListener("keydown", (e) => {
    if (e.key === "ArrowLeft") step(-1);
    else if (e.key === "ArrowRight") step(1);
  });
  // the view the link names (#item=ID opens that item), now and whenever the hash changes
  window.addEventListener("hashchange", readHash);
  readHash();
})();
