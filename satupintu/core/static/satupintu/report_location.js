/* The report form: let the reporter's location pick the Kankemenag (resolved on the server).
   Messages come from the button's data-msg-* attributes (translated in the template). */
(function () {
  "use strict";
  function init() {
    var button = document.getElementById("use-location");
    if (!button || button.getAttribute("data-bound")) { return; }
    button.setAttribute("data-bound", "1");
    button.addEventListener("click", function () {
      var status = document.getElementById("location-status");
      if (!navigator.geolocation) { status.textContent = button.getAttribute("data-msg-unsupported"); return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("latitude").value = pos.coords.latitude.toFixed(5);
        document.getElementById("longitude").value = pos.coords.longitude.toFixed(5);
        document.getElementById("office").value = "";
        status.textContent = button.getAttribute("data-msg-used");
      }, function () { status.textContent = button.getAttribute("data-msg-failed"); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  document.addEventListener("satupintu:page-replaced", init);
})();
