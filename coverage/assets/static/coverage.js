// Coverage page: links a province on the maps, its bar and its table row
// (hover highlights all three) and marks the province drilled into.
(function () {
  "use strict";
  var sel = document.body.getAttribute("data-province");
  var era = document.body.getAttribute("data-era");
  // Codes were reused across the 2025 reform: only the map of the page's
  // era is linked to the bars and the table.
  function mark(code, on) {
    document.querySelectorAll('[data-code="' + code + '"]').forEach(function (el) {
      var map = el.closest(".coverage-map");
      if (map && map.getAttribute("data-era") !== era) { return; }
      el.classList.toggle("hl", on);
    });
  }
  document.querySelectorAll("[data-code]").forEach(function (el) {
    var code = el.getAttribute("data-code");
    if (!code) { return; }
    el.addEventListener("mouseenter", function () { mark(code, true); });
    el.addEventListener("mouseleave", function () { mark(code, false); });
  });
  if (sel) {
    document.querySelectorAll('.coverage-map[data-era="' + era + '"] path[data-code="' + sel + '"]').forEach(function (p) {
      p.classList.add("sel");
    });
  }
})();
