// dancu desk: the queue filters apply as soon as one changes.
document.addEventListener("DOMContentLoaded", function () {
  var f = document.getElementById("filters");
  if (!f) return;
  f.querySelectorAll("select").forEach(function (s) {
    s.addEventListener("change", function () { f.submit(); });
  });
});
