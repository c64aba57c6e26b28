// The Situation Room refreshes its body in place every minute (not while the tab is hidden),
// keeping the filters; and choosing another province clears the regency.
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
  var seconds = parseInt(body.getAttribute("data-refresh-seconds"), 10) || 60;
  function refresh() {
    if (document.hidden) { return; }
    var url = new URL(window.location.href);
    url.searchParams.set("partial", "1");
    fetch(url.toString(), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html) { body.innerHTML = html; } })
      .catch(function () { /* offline for a moment: try again next time */ });
  }
  window.setInterval(refresh, seconds * 1000);
})();
