// dancu desk: a queue filter chosen with the mouse applies at once. One
// changed from the keyboard (arrow keys step through the options, each a
// change event) waits for Enter or the Filter button, so that a keyboard
// user can reach the option they want without the page reloading at each
// step (WCAG 3.2.2).
document.addEventListener("DOMContentLoaded", function () {
  var f = document.getElementById("filters");
  if (!f) return;
  f.querySelectorAll("select").forEach(function (s) {
    var byKey = false;
    s.addEventListener("keydown", function (e) {
      byKey = true;
      if (e.key === "Enter") { e.preventDefault(); f.submit(); }
    });
    s.addEventListener("pointerdown", function () { byKey = false; });
    s.addEventListener("change", function () { if (!byKey) f.submit(); });
  });
});
