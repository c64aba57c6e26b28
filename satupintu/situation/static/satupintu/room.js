// The Situation Room refreshes its body in place every minute (not while the tab is hidden, nor
// while the focus is inside it), keeping the filters, and says so in a short status line; and
// choosing another province clears the regency.
(function () {
  "use strict";
  var body = document.getElementById("room-body");
  var filters = document.getElementById("room-filters");
  if (filters) {
    var province = filters.querySelector("[name=provinsi]");
    var regency = filters.querySelector("[name=kabkota]");
    if (province && regency) {
      province.addEventListener("change", function () { regency.value = ""; });
    }
  }
  if (!body || !window.fetch) { return; }
  var status = document.getElementById("room-status");
  var seconds = parseInt(body.getAttribute("data-refresh-seconds"), 10) || 60;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  // Someone working inside the body (a link, a button, a field focused) keeps it as it is:
  // replacing it would throw the keyboard focus away. The next minute tries again.
  function inUse() { return body.contains(document.activeElement); }
  function refresh() {
    if (document.hidden || inUse()) { return; }
    var url = new URL(window.location.href);
    url.searchParams.set("partial", "1");
    fetch(url.toString(), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      // Only the room's own answer: not an error, nor a page the request was sent on to (the
      // sign-in page once the session has ended).
      .then(function (r) { return r.ok && !r.redirected ? r.text() : null; })
      .then(function (html) {
        if (!html || inUse()) { return; }
        body.innerHTML = html;
        if (status) {  // a short line read out instead of the whole body
          var now = new Date();
          status.textContent = status.getAttribute("data-msg-updated") + " " + pad(now.getHours()) + "." + pad(now.getMinutes());
        }
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }
  window.setInterval(refresh, seconds * 1000);
})();
