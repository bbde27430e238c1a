// triagesite: the theme toggle, the actions filter and the job tables' sorting and filters.
// Everything works without this file; it only adds. Loaded with defer, so it never holds up
// the first paint: a theme chosen here applies just after it.
(function () {
  "use strict";
  var KEY = "triagesite-theme";
  var root = document.documentElement;
  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function apply(t) {
    if (t === "light" || t === "dark") root.setAttribute("data-theme", t);
    else root.removeAttribute("data-theme");
  }
  apply(stored());

  function themeToggle() {
    var b = document.querySelector(".theme-toggle");
    if (!b) return;
    var order = ["auto", "dark", "light"];
    function label() {
      var t = stored() || "auto";
      b.textContent = "Theme: " + t;
      b.setAttribute("aria-label", "Colour theme: " + t + " (change)");
    }
    b.hidden = false;
    label();
    b.addEventListener("click", function () {
      var t = order[(order.indexOf(stored() || "auto") + 1) % order.length];
      try {
        if (t === "auto") localStorage.removeItem(KEY); else localStorage.setItem(KEY, t);
      } catch (e) { /* private mode: the choice lasts for this page only */ }
      apply(t);
      label();
      if (t !== "auto" && !stored()) b.textContent = "Theme: " + t;
    });
  }

  // A <select data-filter="TABLE"> shows only the <tbody data-group> of the chosen value.
  function groupFilters() {
    var selects = document.querySelectorAll("select[data-filter]");
    Array.prototype.forEach.call(selects, function (sel) {
      var table = document.getElementById(sel.getAttribute("data-filter"));
      if (!table) return;
      var groups = table.querySelectorAll("tbody[data-group]");
      function show() {
        Array.prototype.forEach.call(groups, function (g) {
          g.hidden = sel.value !== "" && g.getAttribute("data-group") !== sel.value;
        });
      }
      var hash = decodeURIComponent(location.hash.slice(1));
      for (var i = 0; i < sel.options.length; i++) {
        if (hash && sel.options[i].value === hash) sel.value = hash;
      }
      sel.addEventListener("change", show);
      if (sel.parentNode) sel.parentNode.hidden = false;
      show();
    });
  }

  // Job tables, as kettle's: a click on a column heading sorts by it (again: the other way);
  // a table with a .table-tools box before it gets a select for each column marked
  // data-filter. Sort and filters live in the address (?sort=figure&desc=1&severity=critical),
  // so a view can be shared. A cell sorts by its data-s and filters by its data-v ("|"
  // between values), or else by its text.
  var SEVERITY = { critical: 0, severe: 1, warning: 2, moderate: 3, low: 4, good: 4 };
  function jobTables() {
    var tables = document.querySelectorAll("table.sortable");
    Array.prototype.forEach.call(tables, function (table) {
      var heads = table.tHead ? table.tHead.rows[0].cells : [];
      var body = table.tBodies[0];
      if (!body) return;
      var rows = Array.prototype.slice.call(body.rows);
      var order = rows.slice();
      var params = new URLSearchParams(location.search);
      var filters = [];
      var count = null;
      function cell(row, i) { return row.cells[i]; }
      function values(td) {
        if (!td) return [""];
        var v = td.getAttribute("data-v");
        if (v === null) v = td.textContent.trim();
        return v === "" ? [""] : v.split("|");
      }
      function sortKey(td) {
        if (!td) return Infinity;
        var s = td.getAttribute("data-s");
        if (s !== null) return s !== "" && !isNaN(+s) ? +s : Infinity;
        var t = td.textContent.trim().toLowerCase();
        if (SEVERITY.hasOwnProperty(t)) return SEVERITY[t];
        var m = /^c=([\d.]+)/.exec(t) || /^(\d+(?:\.\d+)?)d?$/.exec(t) || /^(\d+(?:\.\d+)?)d? /.exec(t);
        return m ? +m[1] : t;
      }
      function column(key) {
        for (var i = 0; i < heads.length; i++) if (heads[i].getAttribute("data-key") === key) return i;
        return -1;
      }
      var tools = table.previousElementSibling;
      if (tools && tools.classList.contains("table-tools")) {
        var details = document.createElement("details");
        var summary = document.createElement("summary");
        details.appendChild(summary);
        count = summary;
        Array.prototype.forEach.call(heads, function (th, i) {
          if (!th.hasAttribute("data-filter")) return;
          var key = th.getAttribute("data-key");
          var seen = {};
          rows.forEach(function (r) { values(cell(r, i)).forEach(function (v) { seen[v] = true; }); });
          var label = document.createElement("label");
          label.textContent = th.textContent.trim() + " ";
          var sel = document.createElement("select");
          sel.name = key;
          sel.add(new Option("any", ""));
          Object.keys(seen).sort().forEach(function (v) { sel.add(new Option(v === "" ? "(none)" : v, v === "" ? "-" : v)); });
          if (params.has(key)) sel.value = params.get(key);
          if (sel.selectedIndex < 0) sel.value = "";
          label.appendChild(sel);
          details.appendChild(label);
          filters.push({ i: i, key: key, sel: sel });
          sel.addEventListener("change", function () { apply(true); });
        });
        tools.appendChild(details);
      }
      var sortBy = params.get("sort");
      var desc = params.get("desc") === "1";
      var moved = false; // the rows are not in the page's own order
      Array.prototype.forEach.call(heads, function (th) {
        var key = th.getAttribute("data-key");
        if (!key) return;
        var b = document.createElement("button");
        b.type = "button";
        b.className = "sort";
        while (th.firstChild) b.appendChild(th.firstChild);
        th.appendChild(b);
        b.addEventListener("click", function () {
          desc = sortBy === key ? !desc : false;
          sortBy = key;
          apply(true);
        });
      });
      function apply(push) {
        var i = sortBy ? column(sortBy) : -1;
        var sorted = order.slice();
        if (i >= 0) {
          sorted.sort(function (a, b) {
            var x = sortKey(cell(a, i)), y = sortKey(cell(b, i));
            var c = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === "number" ? -1 : 1);
            return desc ? -c : c;
          });
        }
        var shown = 0;
        sorted.forEach(function (r) {
          var ok = filters.every(function (f) {
            var want = f.sel.value;
            if (want === "") return true;
            return values(cell(r, f.i)).indexOf(want === "-" ? "" : want) >= 0;
          });
          if (r.hidden === ok) r.hidden = !ok;
          if (ok) shown++;
        });
        // Rows move only when the order changes: a page opened as written is not touched.
        if (i >= 0 || moved) {
          var frag = document.createDocumentFragment();
          sorted.forEach(function (r) { frag.appendChild(r); });
          body.appendChild(frag);
          moved = i >= 0;
        }
        Array.prototype.forEach.call(heads, function (th, k) {
          if (!th.getAttribute("data-key")) return;
          if (k === i) th.setAttribute("aria-sort", desc ? "descending" : "ascending");
          else th.removeAttribute("aria-sort");
        });
        if (count) {
          var active = filters.filter(function (f) { return f.sel.value !== ""; }).map(function (f) { return f.key + " " + f.sel.options[f.sel.selectedIndex].text; });
          count.textContent = "Filter: " + shown + " of " + rows.length + " shown" + (active.length ? " (" + active.join(", ") + ")" : "");
        }
        if (push) {
          var q = new URLSearchParams(location.search);
          filters.forEach(function (f) { if (f.sel.value) q.set(f.key, f.sel.value); else q.delete(f.key); });
          if (sortBy) q.set("sort", sortBy); else q.delete("sort");
          if (desc) q.set("desc", "1"); else q.delete("desc");
          var s = q.toString();
          history.replaceState(null, "", location.pathname + (s ? "?" + s : "") + location.hash);
        }
      }
      apply(false);
    });
  }

  function ready() {
    themeToggle();
    groupFilters();
    jobTables();
  }
  // Loaded with defer: the document is parsed by now, but DOMContentLoaded may not have fired.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
