/* Forms (templates/forms/): move focus to the error summary and from its links to the fields,
   check files in the browser before sending, and show upload progress. Without JavaScript
   every form still posts normally and the server does all the checking. No inline script:
   the Content-Security-Policy allows only files. */
(function () {
  "use strict";
  var EXTENSIONS = { "application/pdf": [".pdf"], "image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"] };

  function focusSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }

  function linkSummary() {
    var summary = document.getElementById("error-summary");
    if (!summary) { return; }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (!link) { return; }
      var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      if (!target) { return; }
      event.preventDefault();
      var label = document.querySelector("label[for='" + target.id + "']");
      (label || target).scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    });
  }

  function allowed(input, file) {
    var accept = (input.getAttribute("accept") || "").split(",").map(function (t) { return t.trim(); });
    var name = file.name.toLowerCase();
    return accept.some(function (type) {
      return (EXTENSIONS[type] || []).some(function (ext) { return name.slice(-ext.length) === ext; });
    });
  }

  function showFileError(input, message) {
    var id = input.id + "-client-error";
    var old = document.getElementById(id);
    if (old) { old.parentNode.removeChild(old); }
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (x) { return x && x !== id; });
    if (message) {
      var p = document.createElement("p");
      p.className = "error";
      p.id = id;
      p.textContent = message;
      input.insertAdjacentElement("afterend", p);
      described.push(id);
      input.setAttribute("aria-invalid", "true");
    } else if (!document.getElementById(input.id.replace(/^d-/, "f-") + "_error")) {
      input.removeAttribute("aria-invalid");
    }
    if (described.length) { input.setAttribute("aria-describedby", described.join(" ")); } else { input.removeAttribute("aria-describedby"); }
  }

  function checkFiles(form, input) {
    var max = parseInt(input.getAttribute("data-max-bytes") || "0", 10);
    var files = Array.prototype.slice.call(input.files || []);
    var message = "";
    files.forEach(function (file) {
      if (!message && !allowed(input, file)) { message = form.getAttribute("data-msg-type"); }
      if (!message && max && file.size > max) { message = form.getAttribute("data-msg-size"); }
    });
    showFileError(input, message);
    if (message) { input.value = ""; }  // never send a file that cannot be accepted
  }

  function busy(form, on) {
    var button = form.querySelector("button:not([type=button])");
    if (!button) { return; }
    if (on) {
      button.setAttribute("data-idle-text", button.textContent);
      button.textContent = button.getAttribute("data-busy-text") || button.textContent;
      button.disabled = true;
    } else {
      button.textContent = button.getAttribute("data-idle-text") || button.textContent;
      button.disabled = false;
    }
  }

  function replacePage(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    document.title = doc.title;
    document.body.replaceWith(document.adoptNode(doc.body));
    init();
    document.dispatchEvent(new CustomEvent("satupintu:page-replaced"));  // other page scripts bind again
    if (!document.getElementById("error-summary")) { window.scrollTo(0, 0); }
  }

  // Where the form posts, as the browser would read it (no fragment: an answer's address has none).
  function postedUrl(form) {
    var url = new URL(form.getAttribute("action") || window.location.href, window.location.href);
    url.hash = "";
    return url.href;
  }

  function sendWithProgress(form) {
    var box = form.querySelector(".upload-progress");
    var bar = box && box.querySelector("progress");
    var text = box && box.querySelector("[data-progress-text]");
    var xhr = new XMLHttpRequest();
    var posted = postedUrl(form);
    xhr.open("POST", posted);
    xhr.setRequestHeader("X-Form-Upload", "1");
    if (box) { box.hidden = false; }
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable || !bar) { return; }
      var percent = Math.round(100 * event.loaded / event.total);
      bar.value = percent;
      if (text) { text.textContent = percent + "%"; }
    });
    xhr.addEventListener("load", function () {
      var type = xhr.getResponseHeader("Content-Type") || "";
      if (type.indexOf("application/json") === 0) {
        try { window.location.assign(JSON.parse(xhr.responseText).redirect); return; } catch (e) { /* fall through */ }
      }
      // The server sent the post on elsewhere (the session ended: the sign-in page): go there,
      // at its own address. Shown here instead, its form would post to this form's address.
      if (xhr.responseURL && xhr.responseURL !== posted) { window.location.assign(xhr.responseURL); return; }
      replacePage(xhr.responseText);
    });
    xhr.addEventListener("error", function () {
      busy(form, false);
      form.removeAttribute("data-sending");
      if (bar) { bar.value = 0; }
      if (text) { text.textContent = form.getAttribute("data-msg-failed") || ""; }
    });
    xhr.send(new FormData(form));
  }

  function bindForm(form) {
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      input.addEventListener("change", function () { checkFiles(form, input); });
    });
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sending") === "1") { event.preventDefault(); return; }
      form.setAttribute("data-sending", "1");
      if (window.FormData && window.XMLHttpRequest && window.DOMParser) {
        event.preventDefault();
        busy(form, true);
        sendWithProgress(form);
      } else {
        window.setTimeout(function () { busy(form, true); }, 0);
      }
    });
  }

  function init() {
    document.querySelectorAll("form[data-upload-form]").forEach(bindForm);
    linkSummary();
    focusSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
