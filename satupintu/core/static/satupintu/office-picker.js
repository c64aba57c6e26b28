// The service page's office picker: "Gunakan lokasi saya" asks the browser for the position and
// sends it with the form; the server finds the regency's office. Without JavaScript the button
// stays hidden and the typed name or the list does the same job.
(function () {
  "use strict";
  var form = document.querySelector("form.office-picker");
  if (!form || !navigator.geolocation) { return; }
  var button = form.querySelector("[data-locate]");
  var status = form.querySelector("[data-locate-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.getAttribute("data-wait") || "…";
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.lat.value = pos.coords.latitude.toFixed(5);
      form.elements.lon.value = pos.coords.longitude.toFixed(5);
      form.elements.nama.value = "";
      form.elements.office.value = "";
      form.submit();
    }, function () {
      button.disabled = false;
      status.textContent = button.getAttribute("data-denied") || "";
    }, { timeout: 15000, maximumAge: 600000 });
  });
})();
