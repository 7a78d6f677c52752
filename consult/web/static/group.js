// A group's page: select words, then comment or suggest; list, edit, withdraw, reply.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf"]').content;
  var base = document.getElementById("draft").dataset.base;
  var panel = document.getElementById("panel");
  var quote = document.getElementById("quote");
  var text = document.getElementById("text");
  var error = document.getElementById("panel-error");
  var chosen = null;
  var closed = false;

  function nonce() {
    var a = new Uint8Array(16);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function textOf(node) {
    while (node && !(node.nodeType === 1 && node.classList.contains("t"))) { node = node.parentNode; }
    return node;
  }

  function offset(el, container, at) {
    var r = document.createRange();
    r.selectNodeContents(el);
    r.setEnd(container, at);
    return r.toString().length;
  }

  function onSelection() {
    if (closed) { return; }
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
    var range = sel.getRangeAt(0);
    var el = textOf(range.startContainer);
    if (!el || textOf(range.endContainer) !== el) {
      error.textContent = "Select words within one paragraph.";
      panel.hidden = false;
      chosen = null;
      return;
    }
    var start = offset(el, range.startContainer, range.startOffset);
    var end = offset(el, range.endContainer, range.endOffset);
    if (end <= start) { return; }
    chosen = { paragraph: parseInt(el.dataset.p, 10), start: start, end: end,
               quote: el.textContent.slice(start, end) };
    quote.textContent = chosen.quote;
    error.textContent = "";
    panel.hidden = false;
  }

  function post(url, body) {
    return fetch(url, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body) }).then(function (r) {
        return r.json().then(function (data) {
          if (!r.ok) { throw new Error(data.error || ("error " + r.status)); }
          return data;
        });
      });
  }

  function send(kind) {
    if (!chosen) { error.textContent = "Select some words first."; return; }
    var body = { nonce: nonce(), kind: kind, paragraph: chosen.paragraph, start: chosen.start,
                 end: chosen.end, text: text.value };
    post(base + "/api/responses", body).then(function () {
      text.value = "";
      panel.hidden = true;
      chosen = null;
      window.getSelection().removeAllRanges();
      refresh();
    }).catch(function (e) { error.textContent = e.message; });
  }

  function describe(item) {
    if (item.kind === "comment") { return "Comment on “" + item.quote + "”: " + item.text; }
    if (item.kind === "replace") { return "Replace “" + item.quote + "” with “" + item.text + "”"; }
    if (item.kind === "insert") { return "Insert “" + item.text + "” after “" + item.quote + "”"; }
    if (item.kind === "delete") { return "Delete “" + item.quote + "”"; }
    return "Reply: " + item.text;
  }

  function button(label, cls, fn) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.className = cls;
    b.addEventListener("click", fn);
    return b;
  }

  function editor(li, item) {
    var box = document.createElement("div");
    var area = document.createElement("textarea");
    area.value = item.text;
    area.rows = 2;
    box.appendChild(area);
    box.appendChild(button("Save", "save", function () {
      post(base + "/api/responses/" + item.id, { action: "edit", text: area.value })
        .then(refresh).catch(function (e) { alert(e.message); });
    }));
    li.appendChild(box);
    area.focus();
  }

  function replyBox(li, item) {
    var box = document.createElement("div");
    var area = document.createElement("textarea");
    area.rows = 2;
    area.className = "reply-text";
    box.appendChild(area);
    box.appendChild(button("Send reply", "send-reply", function () {
      post(base + "/api/responses", { nonce: nonce(), kind: "reply", parent: item.id, text: area.value })
        .then(refresh).catch(function (e) { alert(e.message); });
    }));
    li.appendChild(box);
    area.focus();
  }

  function render(items) {
    var list = document.getElementById("mine");
    list.textContent = "";
    document.getElementById("mine-empty").hidden = items.length > 0;
    document.querySelectorAll(".t.responded").forEach(function (el) { el.classList.remove("responded"); });
    var replies = {};
    items.forEach(function (it) { if (it.kind === "reply") { (replies[it.parent] = replies[it.parent] || []).push(it); } });
    items.forEach(function (it) {
      if (it.kind === "reply") { return; }
      var li = document.createElement("li");
      li.dataset.id = it.id;
      li.className = "item " + it.kind;
      var p = document.createElement("div");
      p.className = "what";
      p.textContent = describe(it);
      li.appendChild(p);
      var el = document.querySelector('.t[data-p="' + it.paragraph + '"]');
      if (el) { el.classList.add("responded"); }
      if (replies[it.id]) {
        var ul = document.createElement("ul");
        ul.className = "replies";
        replies[it.id].forEach(function (r) {
          var rl = document.createElement("li");
          rl.textContent = describe(r);
          if (!closed) { rl.appendChild(button("Withdraw", "quiet withdraw", function () {
            post(base + "/api/responses/" + r.id, { action: "withdraw" }).then(refresh); })); }
          ul.appendChild(rl);
        });
        li.appendChild(ul);
      }
      if (!closed) {
        var actions = document.createElement("div");
        actions.className = "actions";
        if (it.kind !== "delete") { actions.appendChild(button("Edit", "quiet edit", function () { editor(li, it); })); }
        if (it.kind === "comment") { actions.appendChild(button("Reply", "quiet reply", function () { replyBox(li, it); })); }
        actions.appendChild(button("Withdraw", "quiet withdraw", function () {
          post(base + "/api/responses/" + it.id, { action: "withdraw" }).then(refresh)
            .catch(function (e) { alert(e.message); });
        }));
        li.appendChild(actions);
      }
      list.appendChild(li);
    });
  }

  function refresh() {
    return fetch(base + "/api/responses", { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (data.state !== "open" && !closed) {
          closed = true;
          panel.hidden = true;
          document.getElementById("state").textContent = "The session is closed: responses can no longer be changed.";
        }
        render(data.items || []);
      }).catch(function () { /* the next poll tries again */ });
  }

  document.addEventListener("selectionchange", onSelection);
  document.querySelectorAll("#panel button[data-kind]").forEach(function (b) {
    b.addEventListener("mousedown", function (e) { e.preventDefault(); });
    b.addEventListener("click", function () { send(b.dataset.kind); });
  });
  document.getElementById("do-cancel").addEventListener("click", function () {
    panel.hidden = true; chosen = null; window.getSelection().removeAllRanges();
  });
  refresh();
  setInterval(refresh, 10000);
})();
