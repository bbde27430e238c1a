// triagesite: the theme toggle and the actions filter. Everything works without this file;
// it only adds. Loaded in <head> without defer so a chosen theme applies before first paint.
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

  document.addEventListener("DOMContentLoaded", function () {
    themeToggle();
    groupFilters();
  });
})();
