/* The decision page: Accept / Reject / Leave each proposal, choose a group's version of each
   conflict, keep the choices in localStorage, export and import them as the decisions CSV. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("consult-data").textContent);
  var KEY = "consult-decisions:" + data.fingerprint;
  var state = load();             // {P1: "accept" | "reject" | "leave", C1: "v:Group 2" | ...}
  var current = -1;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function items() { return $$(".item").filter(function (el) { return el.offsetParent !== null || document.body.classList.contains("proj") && !el.closest(".hidden"); }); }

  /* -- deciding -------------------------------------------------------------------------- */
  function decide(pid, choice) {
    if (choice) { state[pid] = choice; } else { delete state[pid]; }
  }
  function decideConflict(cid, choice) {    // choice: "v:<group>" | "reject" | "leave"
    var c = data.conflicts[cid];
    state[cid] = choice;
    c.proposals.forEach(function (pid) {
      if (choice === "leave" || choice === "reject") { decide(pid, choice); return; }
      var group = choice.slice(2);
      decide(pid, data.proposals[pid].groups.indexOf(group) >= 0 ? "accept" : "reject");
    });
  }
  function act(el, choice) {
    if (el.dataset.c) {
      decideConflict(el.dataset.c, choice);
    } else if (el.dataset.p) {
      decide(el.dataset.p, choice);
    }
    save();
    render();
  }

  /* -- showing --------------------------------------------------------------------------- */
  var WORDS = {accept: "accepted", reject: "rejected", leave: "left tracked"};
  function render() {
    $$("[data-ins]").forEach(function (el) { mark(el, [state[el.dataset.ins]]); });
    $$("[data-del]").forEach(function (el) {
      mark(el, el.dataset.del.split(" ").map(function (p) { return state[p]; }));
    });
    $$(".prop").forEach(function (el) {
      var s = state[el.dataset.p];
      el.classList.remove("d-accept", "d-reject", "d-leave");
      if (s) { el.classList.add("d-" + s); }
      el.querySelector(".state").textContent = s ? WORDS[s] : "";
    });
    $$(".conflict").forEach(function (el) {
      var s = state[el.dataset.c] || "";
      $$("[data-v]", el).forEach(function (b) {
        b.classList.toggle("chosen", s === "v:" + b.dataset.v);
        b.setAttribute("aria-pressed", s === "v:" + b.dataset.v ? "true" : "false");
      });
      el.querySelector(":scope > .state").textContent = !s ? "" : s.indexOf("v:") === 0 ?
        s.slice(2) + "\u2019s version chosen" : s === "reject" ? "draft text kept" : "left tracked";
    });
    var ids = Object.keys(data.proposals);
    var done = ids.filter(function (p) { return state[p]; }).length;
    document.getElementById("progress").textContent = done + " of " + ids.length + " proposals decided.";
  }
  function mark(el, choices) {
    el.classList.remove("acc", "rej", "left");
    if (choices.indexOf("accept") >= 0) { el.classList.add("acc"); }
    else if (choices.indexOf("leave") >= 0) { el.classList.add("left"); }
    else if (choices.length && choices.every(function (c) { return c === "reject"; })) { el.classList.add("rej"); }
  }

  /* -- moving ---------------------------------------------------------------------------- */
  function go(k) {
    var list = items();
    if (!list.length) { return; }
    $$(".current").forEach(function (el) { el.classList.remove("current"); });
    current = Math.max(0, Math.min(k, list.length - 1));
    var el = list[current];
    el.classList.add("current");
    var card = el.closest(".card");
    if (card) { card.classList.add("current"); }
    el.focus({preventScroll: true});
    (card || el).scrollIntoView({block: document.body.classList.contains("proj") ? "start" : "nearest"});
  }
  function at() {
    var list = items(), el = document.querySelector(".item.current");
    var k = el ? list.indexOf(el) : -1;
    return k;
  }
  function step(d) { go(at() + d); }
  function currentItem() { var k = at(); return k >= 0 ? items()[k] : null; }

  document.addEventListener("keydown", function (ev) {
    var tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea" || ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var key = ev.key, el = currentItem();
    if (key === "j" || key === "n" || key === "ArrowDown") { step(1); }
    else if (key === "k" || key === "p" || key === "ArrowUp") { step(-1); }
    else if ((key === "a" || key === "r" || key === "l") && el) {
      if (key === "a" && el.dataset.c) { return; }      // a conflict takes a group's version
      act(el, {a: "accept", r: "reject", l: "leave"}[key]); step(1);
    } else if (/^[1-9]$/.test(key) && el && el.dataset.c) {
      var v = data.conflicts[el.dataset.c].versions[Number(key) - 1];
      if (!v) { return; }
      act(el, "v:" + v); step(1);
    } else { return; }
    ev.preventDefault();
  });
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("button");
    if (!b) { return; }
    var el = b.closest(".item");
    if (b.dataset.act && el) { act(el, b.dataset.act); }
    else if (b.dataset.v && el) { act(el, "v:" + b.dataset.v); }
    else { return; }
    go(items().indexOf(el));
  });
  document.getElementById("next").addEventListener("click", function () { step(1); });
  document.getElementById("prev").addEventListener("click", function () { step(-1); });

  /* -- modes ----------------------------------------------------------------------------- */
  var proj = document.getElementById("projector");
  proj.addEventListener("click", function () {
    var on = document.body.classList.toggle("proj");
    proj.setAttribute("aria-pressed", on ? "true" : "false");
    go(Math.max(at(), 0));
  });
  document.getElementById("share").addEventListener("change", function (ev) {
    var g = ev.target.value;
    $$("[data-groups]").forEach(function (el) {
      el.classList.toggle("hidden", !!g && el.dataset.groups.split("|").indexOf(g) < 0);
    });
    $$(".card:not([data-groups])").forEach(function (card) {
      card.classList.toggle("hidden", !!g &&
        !$$("[data-groups]", card).some(function (el) { return !el.classList.contains("hidden"); }));
    });
    go(0);
  });

  /* -- export and import ----------------------------------------------------------------- */
  function cell(v) {
    v = v == null ? "" : String(v);
    return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  function csv() {
    var cols = data.columns, lines = [cols.join(",")];
    function put(row, decision) {
      var r = Object.assign({}, row, {decision: decision || ""});
      lines.push(cols.map(function (c) { return cell(r[c]); }).join(","));
    }
    Object.keys(data.proposals).sort(byNumber).forEach(function (pid) {
      if (data.proposals[pid].conflict) { return; }
      data.proposals[pid].rows.forEach(function (row) { put(row, state[pid]); });
    });
    Object.keys(data.conflicts).sort(byNumber).forEach(function (cid) {
      var s = state[cid] || "";
      data.conflicts[cid].pieces.forEach(function (piece) {
        var d = s.indexOf("v:") === 0 ? (piece.groups.indexOf(s.slice(2)) >= 0 ? "accept" : "reject") : s;
        piece.rows.forEach(function (row) { put(row, d); });
      });
    });
    return "\ufeff" + lines.join("\r\n") + "\r\n";
  }
  function byNumber(a, b) { return Number(a.slice(1)) - Number(b.slice(1)); }
  function parse(text) {            // RFC 4180 rows
    var rows = [], row = [], f = "", q = false, i, ch;
    text = text.replace(/^\ufeff/, "");
    for (i = 0; i < text.length; i++) {
      ch = text[i];
      if (q) {
        if (ch === '"' && text[i + 1] === '"') { f += '"'; i++; }
        else if (ch === '"') { q = false; } else { f += ch; }
      } else if (ch === '"') { q = true; }
      else if (ch === ",") { row.push(f); f = ""; }
      else if (ch === "\n" || ch === "\r") {
        if (ch === "\r" && text[i + 1] === "\n") { i++; }
        row.push(f); rows.push(row); row = []; f = "";
      } else { f += ch; }
    }
    if (f || row.length) { row.push(f); rows.push(row); }
    return rows;
  }
  function importCsv(text) {
    var rows = parse(text), head = (rows.shift() || []).map(function (h) { return h.trim().toLowerCase(); });
    var at = function (r, name) { var k = head.indexOf(name); return k >= 0 ? (r[k] || "") : ""; };
    var key = function (r) { return [r.group, r.kind, r.text, r.paragraph].join("\u0000"); };
    var index = {}, pieces = {}, n = 0;
    Object.keys(data.proposals).forEach(function (pid) {
      if (data.proposals[pid].conflict) { return; }
      data.proposals[pid].rows.forEach(function (r) { index[key(r)] = pid; });
    });
    Object.keys(data.conflicts).forEach(function (cid) {
      data.conflicts[cid].pieces.forEach(function (piece, k) {
        piece.rows.forEach(function (r) { index[key(r)] = cid + "\u0000" + k; });
      });
    });
    rows.forEach(function (r) {
      var got = {group: at(r, "group"), kind: at(r, "kind"), text: at(r, "text"), paragraph: at(r, "paragraph")};
      var to = index[key(got)], d = at(r, "decision").trim().toLowerCase();
      if (!to || ["accept", "reject", "leave"].indexOf(d) < 0) { return; }
      n++;
      if (data.proposals[to]) { state[to] = d; } else { pieces[to] = d; }
    });
    Object.keys(data.conflicts).forEach(function (cid) {
      var c = data.conflicts[cid];
      var got = c.pieces.map(function (p, k) { return pieces[cid + "\u0000" + k]; });
      if (!got.some(function (d) { return d; })) { return; }
      var chosen = c.versions.filter(function (g) {
        return c.pieces.every(function (p, k) { return got[k] === (p.groups.indexOf(g) >= 0 ? "accept" : "reject"); });
      });
      if (chosen.length) { decideConflict(cid, "v:" + chosen[0]); }
      else if (got.every(function (d) { return d === "reject"; })) { decideConflict(cid, "reject"); }
      else { decideConflict(cid, "leave"); }
    });
    save(); render();
    return n;
  }
  document.getElementById("export").addEventListener("click", function () {
    var a = document.createElement("a");
    a.href = "data:text/csv;charset=utf-8," + encodeURIComponent(csv());
    a.download = "decisions.csv";
    document.body.appendChild(a); a.click(); a.remove();
  });
  document.getElementById("import").addEventListener("change", function (ev) {
    var file = ev.target.files[0];
    if (!file) { return; }
    var reader = new FileReader();
    reader.onload = function () { importCsv(String(reader.result)); };
    reader.readAsText(file, "utf-8");
  });

  window.consultDecisions = {csv: csv, importCsv: importCsv, state: function () { return state; }};
  render();
  go(0);
})();
