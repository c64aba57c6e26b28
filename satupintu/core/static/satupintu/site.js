// The site's few behaviours, from a static file so the Content-Security-Policy can forbid
// inline script. Each part looks for its element and does nothing on pages without it.
(function () {
  "use strict";

  // Language switch (every page): choosing a language submits its form; <noscript> keeps a button.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Apply form: once sent, the button says so and cannot be pressed twice.
  var send = document.getElementById("kirim");
  if (send && send.form) {
    send.form.addEventListener("submit", function () {
      setTimeout(function () { send.disabled = true; send.textContent = "Mengirim…"; }, 0);
    });
  }

  // Complaint form: the reporter's location picks the Kankemenag (resolved on the server).
  var useLocation = document.getElementById("use-location");
  var locationText = document.getElementById("location-text");
  if (useLocation && locationText) {
    useLocation.addEventListener("click", function () {
      var status = document.getElementById("location-status");
      if (!navigator.geolocation) { status.textContent = locationText.dataset.unsupported; return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        document.getElementById("latitude").value = pos.coords.latitude.toFixed(5);
        document.getElementById("longitude").value = pos.coords.longitude.toFixed(5);
        document.getElementById("office").value = "";
        status.textContent = locationText.dataset.used;
      }, function () { status.textContent = locationText.dataset.failed; });
    });
  }

  // Situation Room import: follow the job until it is done, then show the final page.
  var job = document.getElementById("job");
  if (job && job.dataset.url && window.fetch && job.dataset.status !== "done" && job.dataset.status !== "failed") {
    var timer = setInterval(function () {
      fetch(job.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (j) {
        document.getElementById("job-count").textContent = j.done + " / " + j.total;
        document.getElementById("job-added").textContent = j.added;
        document.getElementById("job-progress").value = j.percent;
        if (j.status === "done" || j.status === "failed") { clearInterval(timer); window.location.reload(); }
      });
    }, 1500);
  }
})();
