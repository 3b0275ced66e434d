/* Client side of the lesson site: search over the index built at build time.
 *
 * The index is a script (assets/search-index.js) that sets `window.TSNB_SEARCH`, loaded by a <script>
 * tag, not fetched: browsers refuse fetch()/XHR of file:// URLs, so an index in a .json file (or
 * pagefind, which fetches its fragments) would break search for a reader who opens the site straight
 * from disk. Script tags load from file:// everywhere. */
/* global window, document, MiniSearch */
(function () {
  "use strict";
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  var data = window.TSNB_SEARCH;
  if (!input || !list || !data || typeof MiniSearch === "undefined") return;
  var root = document.body.getAttribute("data-root") || "";
  var index = MiniSearch.loadJS(data.index, data.options);
  var active = -1;

  function clear() {
    list.textContent = "";
    list.hidden = true;
    active = -1;
  }

  function show(query) {
    list.textContent = "";
    active = -1;
    if (!query.trim()) return clear();
    // Every word first (a reader typing "worker pool" means both); any word when nothing has all.
    var options = { prefix: true, fuzzy: 0.2, boost: { heading: 2, title: 1.5 }, combineWith: "AND" };
    var results = index.search(query, options);
    if (!results.length) {
      options.combineWith = "OR";
      results = index.search(query, options);
    }
    results = results.slice(0, 12);
    if (!results.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "No results for \u201c" + query + "\u201d";
      list.appendChild(none);
    }
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + r.href;
      a.textContent = r.heading || r.title;
      var small = document.createElement("small");
      small.textContent = r.heading && r.heading !== r.title ? r.title : r.kind;
      a.appendChild(small);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
  }

  function move(step) {
    var links = list.querySelectorAll("a");
    if (!links.length) return;
    if (active >= 0) links[active].classList.remove("active");
    active = (active + step + links.length) % links.length;
    links[active].classList.add("active");
    links[active].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("input", function () { show(input.value); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Escape") { clear(); input.blur(); }
    else if (e.key === "Enter") {
      var links = list.querySelectorAll("a");
      var target = links[active >= 0 ? active : 0];
      if (target) window.location.href = target.href;
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && document.activeElement !== input) { e.preventDefault(); input.focus(); }
  });
  document.addEventListener("click", function (e) {
    if (e.target !== input && !list.contains(e.target)) list.hidden = true;
  });
  input.addEventListener("focus", function () { if (list.childNodes.length) list.hidden = false; });
})();
