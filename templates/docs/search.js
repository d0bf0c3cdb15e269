/* Filters the index's tables as you type; every word must occur in a row. No network. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  var count = document.getElementById("search-count");
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-search]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-search-group]"));
  var others = Array.prototype.slice.call(document.querySelectorAll("[data-search-hide]"));
  function apply() {
    var words = box.value.toLowerCase().split(/\s+/).filter(function (w) { return w; });
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-search");
      var hit = words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !hit;
      if (hit) { shown += 1; }
    });
    groups.forEach(function (group) {
      group.hidden = words.length > 0 && group.querySelector("[data-search]:not([hidden])") === null;
    });
    others.forEach(function (section) { section.hidden = words.length > 0; });
    count.textContent = words.length ? shown + (shown === 1 ? " match" : " matches") : "";
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { box.value = query; }
  box.addEventListener("input", apply);
  apply();
})();
