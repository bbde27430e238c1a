// triagesite search: suggestions under the header's search box, and filtering of the
// search page's list (or, when the list spans pages, matches from the index in its place).
// No framework and no requests but the site's own search-index.json and search-text.json,
// both fetched on first use.
// Without JavaScript (or from file://, where fetch is refused) the form still goes to
// search.html, which lists everything.
(function () {
  "use strict";
  var LIMIT = 20;
  var SAFE_HREF = /^[A-Za-z0-9._~\/#-]+$/;

  // match returns the positions of keys that contain every word of q, at most limit of them:
  // first those whose title is q itself (an exact name), then those where the first word
  // starts a word, then the rest.
  function match(keys, q, limit, titles) {
    var lq = q.toLowerCase().trim();
    var words = lq.split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    var exact = [], first = [], rest = [];
    for (var i = 0; i < keys.length && exact.length < limit; i++) {
      var k = keys[i], at = k.indexOf(words[0]);
      if (at < 0) continue;
      var all = true;
      for (var w = 1; w < words.length && all; w++) all = k.indexOf(words[w]) >= 0;
      if (!all) continue;
      if (titles && (titles[i] === lq || titles[i] === "@" + lq)) exact.push(i);
      else if (at === 0 || /[\s\/#@:._-]/.test(k.charAt(at - 1))) { if (first.length < limit) first.push(i); }
      else if (rest.length < limit) rest.push(i);
    }
    return exact.concat(first, rest).slice(0, limit);
  }

  // loadIndex fetches the page index, then the terms index beside it (search-text.json:
  // code, quotes, people and the words of each pattern), and calls done with every entry
  // and its lower-cased search key and title. A missing terms index leaves the pages.
  function loadIndex(src, done, fail) {
    var pages;
    fetch(src).then(function (r) { return r.json(); }).then(function (d) {
      pages = d.pages || [];
      return fetch(src.replace(/search-index\.json$/, "search-text.json")).then(function (r) { return r.json(); }).catch(function () { return { pages: [] }; });
    }).then(function (t) {
      pages = pages.concat(t.pages || []);
      done(pages,
        pages.map(function (p) { return (p[1] + " " + p[3] + (p[4] ? " " + p[4] : "")).toLowerCase(); }),
        pages.map(function (p) { return p[1].toLowerCase(); }));
    }).catch(fail);
  }

  function suggest(input) {
    var box = document.getElementById("search-results");
    var src = input.getAttribute("data-index");
    var root = input.getAttribute("data-root") || "";
    if (!box || !src || !window.fetch) return;
    var pages = null, keys = null, titles = null, loading = false;
    function load() {
      if (pages || loading) return;
      loading = true;
      loadIndex(src, function (p, k, t) {
        pages = p; keys = k; titles = t;
        render();
      }, function () { /* file:// or offline: the form still works */ });
    }
    function render() {
      while (box.firstChild) box.removeChild(box.firstChild);
      if (!keys || !input.value.trim()) { box.hidden = true; return; }
      var hits = match(keys, input.value, LIMIT, titles);
      var list = document.createElement("ul");
      hits.forEach(function (i) {
        if (SAFE_HREF.test(pages[i][2])) list.appendChild(entry(root, pages[i], false));
      });
      var more = document.createElement("a");
      more.href = root + "search.html?q=" + encodeURIComponent(input.value.trim());
      more.textContent = hits.length ? "All results" : "No match — browse everything";
      more.className = "more";
      box.appendChild(list);
      box.appendChild(more);
      box.hidden = false;
    }
    input.addEventListener("focus", load);
    input.addEventListener("input", function () { load(); render(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { box.hidden = true; }
      if (e.key === "ArrowDown" && !box.hidden) {
        var a = box.querySelector("a");
        if (a) { e.preventDefault(); a.focus(); }
      }
    });
    box.addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(box.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i < links.length - 1) { e.preventDefault(); links[i + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
      if (e.key === "Escape") { box.hidden = true; input.focus(); }
    });
    document.addEventListener("click", function (e) {
      if (!input.form.contains(e.target)) box.hidden = true;
    });
  }

  // entry is one search result: its link and kind, and, as the search page lists it (full),
  // spaced and with the other words it is found by.
  function entry(root, p, full) {
    var li = document.createElement("li"), a = document.createElement("a"), k = document.createElement("span");
    a.href = root + p[2];
    a.textContent = p[1];
    k.className = "kind";
    k.textContent = p[0];
    li.appendChild(a);
    if (full) li.appendChild(document.createTextNode(" "));
    li.appendChild(k);
    if (full && p[3]) {
      var alt = document.createElement("span");
      alt.className = "meta";
      alt.textContent = p[3];
      li.appendChild(document.createTextNode(" "));
      li.appendChild(alt);
    }
    return li;
  }

  // searchIndex answers ?q= on a search list that spans pages: the matches come from
  // search-index.json and stand in for the list and its pagers. Where the index cannot be
  // fetched (file://), the page's own entries are filtered instead.
  function searchIndex(input, list, count) {
    var src = input.getAttribute("data-index");
    var root = input.getAttribute("data-root") || "";
    var total = list.getAttribute("data-total");
    var pagers = document.querySelectorAll(".pager");
    var out = document.createElement("ul");
    out.className = "search-list";
    out.id = "search-matches";
    out.hidden = true;
    list.parentNode.insertBefore(out, list);
    var pages = null, keys = null, titles = null;
    function show(matching) {
      list.hidden = matching;
      out.hidden = !matching;
      Array.prototype.forEach.call(pagers, function (p) { p.hidden = matching; });
    }
    function run() {
      var q = input.value.trim();
      if (!q) {
        show(false);
        if (count) count.textContent = total + " entries, alphabetically.";
        return;
      }
      if (!keys) return;
      while (out.firstChild) out.removeChild(out.firstChild);
      var hits = match(keys, q, keys.length, titles);
      hits.forEach(function (i) {
        if (SAFE_HREF.test(pages[i][2])) out.appendChild(entry(root, pages[i], true));
      });
      show(true);
      if (count) count.textContent = hits.length + " of " + total + " entries match “" + q + "”.";
    }
    var q = new URLSearchParams(location.search).get("q");
    if (q) input.value = q;
    input.addEventListener("input", run);
    if (!window.fetch) { filterList(input, list, count); return; }
    loadIndex(src, function (p, k, t) {
      pages = p; keys = k; titles = t;
      run();
    }, function () {
      input.removeEventListener("input", run);
      out.parentNode.removeChild(out);
      filterList(input, list, count);
    });
  }

  // filterList hides the search page's entries that do not match its box, which ?q= fills.
  function filterList(input, list, count) {
    var sections = list.querySelectorAll("section");
    var items = list.querySelectorAll("li");
    var keys = Array.prototype.map.call(items, function (li) { return li.textContent.toLowerCase(); });
    var total = items.length;
    function run() {
      var q = input.value.trim();
      var shown = {};
      if (q) match(keys, q, total).forEach(function (i) { shown[i] = true; });
      for (var i = 0; i < items.length; i++) items[i].hidden = q !== "" && !shown[i];
      Array.prototype.forEach.call(sections, function (s) {
        s.hidden = q !== "" && !s.querySelector("li:not([hidden])");
      });
      if (count) count.textContent = q ? Object.keys(shown).length + " of " + total + " entries match “" + q + "”." : total + " entries, alphabetically.";
    }
    var q = new URLSearchParams(location.search).get("q");
    if (q) input.value = q;
    input.addEventListener("input", run);
    run();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var header = document.getElementById("q");
    if (header) suggest(header);
    var page = document.querySelector("input[data-filter-list]");
    var list = page && document.getElementById(page.getAttribute("data-filter-list"));
    if (!list) return;
    var count = document.getElementById("search-count");
    if (list.hasAttribute("data-paged")) searchIndex(page, list, count);
    else filterList(page, list, count);
  });
})();
