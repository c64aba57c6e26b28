/* The field report app (/lapangan/): the form, and an outbox in IndexedDB (outbox.js, shared
   with the service worker) so that a report written without a signal is kept on the phone and
   sent when the connection returns: on load, on "online", every 30 s, on "Kirim sekarang", and
   where the browser has background sync, by the service worker even with the page closed.

   Every report gets a client_id (a UUID) when it is saved; the server answers a resend of the
   same client_id with the same report, so sending again after a lost answer is safe. States:
   waiting (no signal, server busy, signed out), sent, refused (the server said no: the reasons
   are shown, and the reporter may fix the report and send it again, or delete it). Messages
   come from the page's data-msg-* attributes. */
(function () {
  "use strict";
  var root = document.getElementById("field-app");
  var form = document.getElementById("field-form");
  var Outbox = window.SatuPintuOutbox;
  if (!root || !form || !Outbox) { return; }
  var api = root.getAttribute("data-api");
  var user = root.getAttribute("data-user");
  var MAX_PHOTOS = 5, RESIZE_OVER = 1200000, MAX_SIDE = 1600;
  var sending = false;
  var editing = null;  // the refused entry being fixed, while the form holds it
  var kept = [];  // its photos that go again (the ones the server found fine)

  function msg(name) { return root.getAttribute("data-msg-" + name) || ""; }
  function byId(id) { return document.getElementById(id); }
  // Times as the rest of the product writes them (06-12-2026 16.09; in English 6 Dec 2026 16:09),
  // not in the phone's own format. For what the phone itself made (the outbox); the server's list
  // comes with its times written in the place's zone.
  function localTime(value) {
    var d = new Date(value);
    function two(n) { return (n < 10 ? "0" : "") + n; }
    if (document.documentElement.lang === "en") {
      return d.getDate() + " " + d.toLocaleString("en", {month: "short"}) + " " + d.getFullYear() + " " +
        two(d.getHours()) + ":" + two(d.getMinutes());
    }
    return two(d.getDate()) + "-" + two(d.getMonth() + 1) + "-" + d.getFullYear() + " " + two(d.getHours()) + "." +
      two(d.getMinutes());
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/lapangan/sw.js", {scope: "/lapangan/"}).catch(function () { /* app still works online */ });
    // This browser keeps the app's pages offline: signing out (site.js) waits until they are deleted.
    try { window.localStorage.setItem("satupintu.lapangan", "1"); } catch (e) { /* no storage: deleted after sign-out instead */ }
    // The worker sent something (background sync): show it.
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "outbox-changed") { render().then(refreshMine); }
    });
  }

  // Where the browser has background sync, the worker sends the outbox when the connection
  // returns, even if this page is closed by then; elsewhere the page's own tries are all.
  function registerSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (reg) {
      return reg.sync ? reg.sync.register(Outbox.SYNC_TAG) : null;
    }).catch(function () { /* not allowed here: the page keeps trying itself */ });
  }

  // --- helpers --------------------------------------------------------------------------
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) { return decodeURIComponent(m[1]); }
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function selectedText(select) {
    return select && select.selectedIndex > 0 ? select.options[select.selectedIndex].text : "";
  }
  function setNetStatus() { byId("net-status").textContent = navigator.onLine ? msg("online") : msg("offline"); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  // An ISO moment as the datetime-local input wants it (the phone's wall clock).
  function localInput(iso) {
    if (!iso) { return ""; }
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return ""; }
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes());
  }

  // Big camera photos are scaled down on the phone: less to send over a weak signal.
  function preparePhoto(file) {
    if (file.size <= RESIZE_OVER || !window.createImageBitmap) { return Promise.resolve({name: file.name, blob: file}); }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob ? {name: file.name.replace(/\.\w+$/, "") + ".jpg", blob: blob} : {name: file.name, blob: file});
        }, "image/jpeg", 0.82);
      });
    }).catch(function () { return {name: file.name, blob: file}; });
  }

  // --- location -------------------------------------------------------------------------
  var regency = form.elements.regency_code, district = form.elements.district_code;
  var provinceDistricts = {};
  try { provinceDistricts = JSON.parse(root.getAttribute("data-districts") || "{}"); } catch (e) { provinceDistricts = {}; }

  function fillDistricts(list) {
    while (district.options.length > 1) { district.remove(1); }
    (list || []).forEach(function (d) { district.add(new Option(d.name, d.code)); });
  }
  function loadDistricts(code) {
    if (!code) { fillDistricts([]); return Promise.resolve(); }
    if (provinceDistricts[code]) { fillDistricts(provinceDistricts[code]); return Promise.resolve(); }
    return fetch(root.getAttribute("data-districts-api") + encodeURIComponent(code) + "/", {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {districts: []}; })
      .then(function (j) { if (regency.value === code) { fillDistricts(j.districts); } })
      .catch(function () { fillDistricts([]); });
  }
  regency.addEventListener("change", function () { loadDistricts(regency.value); });
  function showGps() {
    var el = form.elements;
    byId("gps-status").textContent = el.latitude.value ?
      msg("gps-used") + " (" + el.latitude.value + ", " + el.longitude.value + ")" : "";
  }
  byId("use-gps").addEventListener("click", function () {
    var status = byId("gps-status");
    if (!navigator.geolocation) { status.textContent = msg("gps-unsupported"); return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.latitude.value = pos.coords.latitude.toFixed(6);
      form.elements.longitude.value = pos.coords.longitude.toFixed(6);
      showGps();
    }, function () { status.textContent = msg("gps-failed"); }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
  });

  // --- the server's reasons next to their fields (fixing a refused report) ----------------
  // Where a field's reason goes: the field's own box, or for GPS the location's.
  function fieldBox(name) {
    if (name === "latitude" || name === "longitude") { return byId("gps-status"); }
    var control = form.elements[name];
    return control && control.closest ? control.closest(".field") : null;
  }
  function clearServerErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".server-error"), function (p) { p.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll("[data-server-invalid]"), function (c) {
      c.removeAttribute("aria-invalid"); c.removeAttribute("data-server-invalid");
      var ids = (c.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id.indexOf("server-error-") !== 0;
      });
      if (ids.length) { c.setAttribute("aria-describedby", ids.join(" ")); } else { c.removeAttribute("aria-describedby"); }
    });
    byId("fix-reasons").textContent = "";
  }
  function photoName(entry, number) {
    var p = number ? (entry.photos || [])[number - 1] : null;
    return p ? " (" + p.name + ")" : "";
  }
  // Each reason next to its field (the control marked invalid and described by it); the list
  // of them in the banner's alert, read out when the form opens. The first control at fault.
  function showServerErrors(entry) {
    var first = null, list = byId("fix-reasons");
    (entry.errors || []).forEach(function (e) {
      var text = e.message + photoName(entry, e.photo);
      var item = document.createElement("p");
      item.textContent = text;
      list.appendChild(item);
      var box = e.field ? fieldBox(e.field) : null;
      if (!box) { return; }
      var id = "server-error-" + e.field;
      var p = byId(id);
      if (!p) {
        p = document.createElement("p");
        p.className = "error server-error"; p.id = id;
        if (box.classList.contains("field")) { box.appendChild(p); } else { box.parentNode.insertBefore(p, box.nextSibling); }
      } else {
        p.textContent += " ";
      }
      p.textContent += text + (e.photo ? " " + msg("photo-dropped") : "");
      var control = e.field === "latitude" || e.field === "longitude" ? byId("use-gps") : form.elements[e.field];
      if (control && control.setAttribute) {
        control.setAttribute("aria-invalid", "true"); control.setAttribute("data-server-invalid", "");
        var described = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        if (described.indexOf(id) < 0) { described.push(id); }
        control.setAttribute("aria-describedby", described.join(" "));
        first = first || control;
      }
    });
    return first;
  }

  function renderKept() {
    var box = byId("kept-photos-box"), list = byId("kept-photos");
    list.textContent = "";
    box.hidden = !kept.length;
    kept.forEach(function (p, i) {
      var li = document.createElement("li");
      li.appendChild(document.createTextNode(p.name + " "));
      var drop = document.createElement("button");
      drop.type = "button"; drop.className = "secondary"; drop.textContent = msg("drop-photo");
      drop.setAttribute("aria-label", msg("drop-photo") + " " + p.name);
      drop.addEventListener("click", function () {
        kept.splice(i, 1); renderKept();
        form.elements.photos.focus();
      });
      li.appendChild(drop);
      list.appendChild(li);
    });
  }

  function clearForm() {
    form.reset();
    form.elements.latitude.value = ""; form.elements.longitude.value = "";
    byId("gps-status").textContent = "";
    showProblems([]);
    fillDistricts([]);
  }

  function stopFixing() {
    editing = null; kept = [];
    clearServerErrors();
    renderKept();
    byId("fix-banner").hidden = true;
    byId("save-report").textContent = msg("save");
  }

  // "Perbaiki dan kirim ulang": the refused report back in the form, every field as it was
  // saved, its good photos kept, each reason by its field; focus on the first field at fault.
  function startFixing(entry) {
    stopFixing();
    clearForm();
    editing = entry;
    var el = form.elements, f = entry.fields || {};
    ["category", "urgency", "people_involved", "description", "latitude", "longitude"].forEach(function (name) {
      el[name].value = f[name] || "";
    });
    el.occurred_at.value = localInput(f.occurred_at);
    showGps();
    regency.value = f.regency_code || "";
    var bad = (entry.errors || []).map(function (e) { return e.photo; }).filter(Boolean);
    kept = (entry.photos || []).filter(function (p, i) { return bad.indexOf(i + 1) < 0; });
    renderKept();
    byId("fix-label").textContent = entry.label;
    byId("save-report").textContent = msg("resend");
    var banner = byId("fix-banner");
    banner.hidden = false;
    return loadDistricts(regency.value).then(function () {
      district.value = f.district_code || "";
      var first = showServerErrors(entry);
      (first || banner).focus();
    });
  }
  byId("fix-cancel").addEventListener("click", function () {
    var id = editing && editing.client_id;
    stopFixing();
    clearForm();
    var again = id && document.querySelector('#outbox li[data-client-id="' + id + '"] .fix');
    (again || byId("outbox-title")).focus();
  });

  // --- saving a report ------------------------------------------------------------------
  // Every problem at once, each as [control, message]: one press shows all that is missing.
  function problems() {
    var el = form.elements, found = [];
    if (!el.latitude.value && !regency.value) { found.push([regency, msg("location")]); }
    if (!el.category.value) { found.push([el.category, msg("category")]); }
    if (!el.urgency.value) { found.push([el.urgency, msg("urgency")]); }
    if (!el.description.value.trim()) { found.push([el.description, msg("description")]); }
    var files = el.photos.files || [], badPhoto = files.length + kept.length > MAX_PHOTOS;
    for (var i = 0; i < files.length; i++) {
      if (files[i].type !== "image/jpeg" && files[i].type !== "image/png") { badPhoto = true; }
    }
    if (badPhoto) { found.push([el.photos, msg("photo")]); }
    return found;
  }

  // The summary at the top of the form, each message a link to its field; the field is marked
  // invalid and its message is written under it too (read with it: aria-describedby).
  function showProblems(found) {
    var summary = byId("form-error"), list = byId("form-error-list");
    list.textContent = "";
    Array.prototype.forEach.call(form.querySelectorAll("[data-client-invalid]"), function (c) {
      c.removeAttribute("aria-invalid"); c.removeAttribute("data-client-invalid");
      var own = byId(c.id + "-client-error");
      if (own) { own.parentNode.removeChild(own); }
      var described = (c.getAttribute("aria-describedby") || "").split(" ").filter(function (x) {
        return x && x !== c.id + "-client-error";
      });
      if (described.length) { c.setAttribute("aria-describedby", described.join(" ")); } else { c.removeAttribute("aria-describedby"); }
    });
    summary.hidden = !found.length;
    if (!found.length) { return false; }
    found.forEach(function (pair) {
      var control = pair[0], item = document.createElement("li"), link = document.createElement("a");
      link.href = "#" + control.id; link.textContent = pair[1];
      link.addEventListener("click", function (e) { e.preventDefault(); control.focus(); });
      item.appendChild(link); list.appendChild(item);
      var own = document.createElement("p");
      own.className = "error"; own.id = control.id + "-client-error"; own.textContent = pair[1];
      control.insertAdjacentElement("afterend", own);
      control.setAttribute("aria-describedby", ((control.getAttribute("aria-describedby") || "") + " " + own.id).trim());
      control.setAttribute("aria-invalid", "true"); control.setAttribute("data-client-invalid", "");
    });
    summary.focus();
    return true;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (showProblems(problems())) { return; }
    var el = form.elements, fields = {};
    ["category", "urgency", "people_involved", "description", "latitude", "longitude", "regency_code",
     "district_code"].forEach(function (name) { fields[name] = el[name].value; });
    // The phone's wall clock, sent with its offset so the server knows the moment.
    fields.occurred_at = el.occurred_at.value ? new Date(el.occurred_at.value).toISOString() : "";
    var label = selectedText(el.category) + " · " + (selectedText(regency) || msg("gps-used"));
    var files = Array.prototype.slice.call(el.photos.files || []);
    var fixing = editing;
    Promise.all(files.map(preparePhoto)).then(function (photos) {
      if (!fixing) {
        return Outbox.put({client_id: uuid(), user: user, fields: fields, photos: photos, csrf: csrfToken(),
                           submitted_at: new Date().toISOString(), created: Date.now(), state: "waiting",
                           message: msg("saved"), label: label});
      }
      // A refusal is not stored by the server (reports.submit writes nothing), so the fixed
      // report keeps its client_id: a lost answer to the resend still gets the same report.
      // Only an id the server gave to another report (client_id_taken/_invalid) is replaced.
      var newId = /^client_id_/.test(fixing.code || "") ? uuid() : fixing.client_id;
      return Outbox.replace(fixing.client_id, {
        client_id: newId, user: user, fields: fields, photos: kept.concat(photos), csrf: csrfToken(),
        submitted_at: fixing.submitted_at, created: fixing.created, state: "waiting", message: msg("saved"),
        label: label, code: "", errors: []});
    }).then(function () {
      stopFixing();
      clearForm();
      return render();
    }).then(flush).catch(function () {  // the phone's storage refused it: said where the problems are
      var item = document.createElement("li");
      item.textContent = msg("storage");
      byId("form-error-list").textContent = "";
      byId("form-error-list").appendChild(item);
      byId("form-error").hidden = false;
      byId("form-error").focus();
    });
  });

  // --- sending --------------------------------------------------------------------------
  function flush() {
    setNetStatus();
    var run = Promise.resolve(null);
    if (!sending && navigator.onLine) {
      sending = true;
      run = Outbox.flush({user: user, csrf: csrfToken, offlineMessage: msg("offline"), onEach: render})
        .then(function (result) { if (result.tried) { return refreshMine(); } })
        .catch(function () { /* kept in the outbox: tried again on the next chance */ })
        .then(function () { sending = false; });
    }
    return run.then(render).then(function (entries) {
      if ((entries || []).some(Outbox.isWaiting)) { registerSync(); }
    });
  }

  // --- drawing ----------------------------------------------------------------------------
  function button(text, className) {
    var b = document.createElement("button");
    b.type = "button"; b.className = className; b.textContent = text;
    return b;
  }

  // "Hapus", then "Yakin hapus?" on the same button: a second press deletes (no window.confirm,
  // which an installed app may not show).
  function deleteButton(e) {
    var b = button(msg("delete"), "secondary delete");
    b.addEventListener("click", function () {
      if (!b.hasAttribute("data-armed")) {
        b.setAttribute("data-armed", ""); b.textContent = msg("delete-confirm");
        return;
      }
      if (editing && editing.client_id === e.client_id) { stopFixing(); clearForm(); }
      Outbox.remove(e.client_id).then(render).then(function () { byId("outbox-title").focus(); });
    });
    b.addEventListener("blur", function () { b.removeAttribute("data-armed"); b.textContent = msg("delete"); });
    return b;
  }

  function refusedPart(li, e) {
    var reasons = (e.errors && e.errors.length) ? e.errors : [{message: e.message}];
    reasons.forEach(function (r) {
      var note = document.createElement("div");
      note.className = "error";
      note.textContent = r.message + photoName(e, r.photo);
      li.appendChild(note);
    });
    var actions = document.createElement("p");
    actions.className = "actions";
    if (Outbox.resendable(e)) {
      var fix = button(msg("fix"), "fix");
      fix.addEventListener("click", function () {
        Outbox.get(e.client_id).then(function (fresh) { if (fresh) { return startFixing(fresh); } });
      });
      actions.appendChild(fix);
      actions.appendChild(document.createTextNode(" "));
    } else {
      var why = document.createElement("div");
      why.className = "meta no-resend";
      why.textContent = msg("no-resend");
      li.appendChild(why);
    }
    actions.appendChild(deleteButton(e));
    li.appendChild(actions);
  }

  function render() {
    return Outbox.entries(user).then(function (entries) {
      var list = byId("outbox");
      list.textContent = "";
      var week = Date.now() - 7 * 86400000;
      entries.forEach(function (e) {
        if (e.state === "sent" && e.created < week) { Outbox.remove(e.client_id); return; }
        var li = document.createElement("li");
        li.setAttribute("data-state", e.state);
        li.setAttribute("data-client-id", e.client_id);
        if (editing && editing.client_id === e.client_id) { li.setAttribute("data-editing", ""); }
        var badge = document.createElement("span");
        badge.className = "badge " + (e.state === "sent" ? "completed" : e.state === "refused" ? "rejected" : "needs_completion");
        badge.textContent = msg(e.state === "sending" ? "waiting" : e.state);
        li.appendChild(badge);
        li.appendChild(document.createTextNode(" " + e.label + " "));
        var when = document.createElement("span");
        when.className = "meta";
        when.textContent = localTime(e.created);
        li.appendChild(when);
        if (e.state === "refused") {
          refusedPart(li, e);
        } else {
          if (e.message) {
            var note = document.createElement("div");
            note.className = "meta";
            note.textContent = e.message;
            li.appendChild(note);
          }
          if (e.state === "sent") {
            var remove = button("×", "secondary");
            remove.setAttribute("aria-label", msg("remove"));
            remove.addEventListener("click", function () { Outbox.remove(e.client_id).then(render); });
            li.appendChild(remove);
          }
        }
        list.appendChild(li);
      });
      if (!list.children.length) {
        var empty = document.createElement("li");
        empty.className = "meta"; empty.textContent = msg("empty");
        list.appendChild(empty);
      }
      return entries;
    }).catch(function () { byId("outbox").textContent = msg("storage"); return []; });
  }

  function refreshMine() {
    return fetch(api, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (!j) { return; }
        var list = byId("mine");
        list.textContent = "";
        j.reports.forEach(function (r) {
          var li = document.createElement("li");
          li.setAttribute("data-client-id", r.client_id);
          var badge = document.createElement("span");
          badge.className = "badge " + r.status; badge.textContent = r.status_label;
          li.appendChild(badge);
          li.appendChild(document.createTextNode(" " + r.category + " · " + r.place + " "));
          var when = document.createElement("span");
          when.className = "meta";
          when.textContent = r.occurred_shown ? r.occurred_shown + " · " + r.checked_by : localTime(r.occurred_at);
          li.appendChild(when);
          if (r.rejection_reason) {
            var why = document.createElement("div");
            why.className = "meta"; why.textContent = r.rejection_reason;
            li.appendChild(why);
          }
          list.appendChild(li);
        });
      }).catch(function () { /* offline: the list from the last visit stays */ });
  }

  byId("send-now").addEventListener("click", flush);
  window.addEventListener("online", flush);
  window.addEventListener("offline", setNetStatus);
  setInterval(flush, 30000);
  setNetStatus();
  render().then(flush);
  // Everything is wired: a press on "Simpan dan kirim" before this (a slow phone still loading the
  // script) posts the plain form; tests wait for this mark instead of guessing.
  form.setAttribute("data-ready", "");
})();
