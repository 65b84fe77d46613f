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

// A note typed in a conflict's form whose session had expired (the 401
// page gives it back: #unsent-note) is kept in this tab and put back in
// that form, when empty, once the officer has signed in again and is on
// the conflict's page; then it is forgotten.
document.addEventListener("DOMContentLoaded", function () {
  var key = function (page, form) { return "dancu-unsent:" + page + "#" + form; };
  var unsent = document.getElementById("unsent-note");
  if (unsent) {
    var q = unsent.querySelector("q");
    try { sessionStorage.setItem(key(unsent.dataset.page, unsent.dataset.form), q.textContent); } catch (e) {}
    return;
  }
  ["decide", "correct"].forEach(function (form) {
    var f = document.getElementById(form);
    var k = key(location.pathname, form), note;
    try { note = sessionStorage.getItem(k); } catch (e) { return; }
    if (note === null) return;
    var t = f && f.querySelector('textarea[name="note"]');
    if (t && t.value === "") t.value = note;
    sessionStorage.removeItem(k);
  });
});
