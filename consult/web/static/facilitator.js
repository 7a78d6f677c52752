// The facilitator's dashboard: polls the session's status every two seconds.
(function () {
  "use strict";
  var base = document.getElementById("dash").dataset.base;

  function cell(tr, text) {
    var td = document.createElement("td");
    td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function fill(id, rows, columns) {
    var body = document.querySelector("#" + id + " tbody");
    body.textContent = "";
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      columns.forEach(function (c) { cell(tr, c(row)); });
      body.appendChild(tr);
    });
  }

  function show(data) {
    fill("groups", data.groups, [
      function (g) { return g.name; }, function (g) { return g.sections.join(", "); },
      function (g) { return String(g.comments); }, function (g) { return String(g.suggestions); },
      function (g) { return g.upload ? g.upload.file + " (" + g.upload.comments + " comments, " + g.upload.changes + " changes)" : ""; },
      function (g) { return g.last ? g.last.slice(11, 19) : ""; }]);
    fill("sections", data.sections, [
      function (s) { return (s.number ? s.number + " " : "") + s.title; },
      function (s) { return s.groups.join(", "); },
      function (s) { return String(s.comments); }, function (s) { return String(s.suggestions); }]);
    var list = document.getElementById("conflicts");
    list.textContent = "";
    data.conflicts.forEach(function (c) {
      var li = document.createElement("li");
      li.textContent = c.section + " “" + c.words + "”: " + c.groups.map(function (g) {
        return g.group + " " + g.kind + (g.text ? " “" + g.text + "”" : ""); }).join(" / ");
      list.appendChild(li);
    });
    document.getElementById("no-conflicts").hidden = data.conflicts.length > 0;
  }

  function poll() {
    fetch(base + "/api/status", { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); }).then(show).catch(function () {});
  }
  poll();
  setInterval(poll, 2000);
})();
