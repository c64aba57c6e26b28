// The site's few behaviours, from a static file so the Content-Security-Policy can forbid
// inline script. Each part looks for its element and does nothing on pages without it.
(function () {
  "use strict";

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
