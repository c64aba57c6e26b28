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

  // The field app's service worker keeps the last /lapangan/ page (caches "lapangan-*") to open
  // without a signal; that page is the reporter's own (their reports, their account in
  // data-user). Signing out forgets it, so that whoever opens the app next without a signal is
  // not shown it, nor saves reports under that account: in a browser where the app was opened
  // (app.js leaves a mark) the sign-out form waits until the caches are deleted, and any page
  // shown signed out (a session that ended some other way, or a form that could not wait)
  // deletes them too. The outbox (IndexedDB) stays: it may hold other reporters' unsent
  // reports, each sent only under its own account.
  function forgetFieldPages() {
    if (!window.caches || !caches.keys) { return Promise.resolve(); }
    return caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("lapangan-") === 0; })
        .map(function (k) { return caches.delete(k); }));
    });
  }

  function isSignOut(form) {
    try {
      return new URL(form.getAttribute("action") || "", window.location.href).pathname === "/keluar/";
    } catch (e) { return false; }
  }

  function fieldAppUsedHere() {
    try { return window.localStorage.getItem("satupintu.lapangan") === "1"; } catch (e) { return false; }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !isSignOut(form) || event.defaultPrevented) { return; }
    if (!window.caches || !fieldAppUsedHere()) { return; }  // nothing to wait for: the form goes at once
    event.preventDefault();
    if (form.getAttribute("data-signing-out") === "1") { return; }  // pressed twice: it is going
    form.setAttribute("data-signing-out", "1");
    var sent = false;
    function go() {
      if (sent) { return; }
      sent = true;
      HTMLFormElement.prototype.submit.call(form);  // no second submit event
    }
    // A browser that never answers does not keep the person signed in: after 3 s the form goes,
    // and the signed-out page it leads to deletes the caches.
    window.setTimeout(go, 3000);
    forgetFieldPages().then(go, go);
  });

  if (document.body && document.body.hasAttribute("data-signed-out")) {
    forgetFieldPages().catch(function () { /* nothing kept, or storage refused: nothing to forget */ });
  }
})();
