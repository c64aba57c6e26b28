/* The field report app (/lapangan/): the form, and an outbox in IndexedDB so that a report
   written without a signal is kept on the phone and sent when the connection returns.

   Every report gets a client_id (a UUID) when it is saved; the server answers a resend of the
   same client_id with the same report, so sending again after a lost answer is safe. States:
   waiting (no signal, server busy, signed out), sent, refused (the server said no: the reason is
   shown and it is not sent again). Messages come from the page's data-msg-* attributes. */
(function () {
  "use strict";
  var root = document.getElementById("field-app");
  var form = document.getElementById("field-form");
  if (!root || !form) { return; }
  var api = root.getAttribute("data-api");
  var user = root.getAttribute("data-user");
  var DB_NAME = "satupintu-lapangan", STORE = "outbox", MAX_PHOTOS = 5, RESIZE_OVER = 1200000, MAX_SIDE = 1600;
  var sending = false;

  function msg(name) { return root.getAttribute("data-msg-" + name) || ""; }
  function byId(id) { return document.getElementById(id); }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/lapangan/sw.js", {scope: "/lapangan/"}).catch(function () { /* app still works online */ });
  }

  // --- IndexedDB ------------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, {keyPath: "client_id"}); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function withStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var req = work(t.objectStore(STORE));
        t.oncomplete = function () { db.close(); resolve(req ? req.result : undefined); };
        t.onerror = function () { db.close(); reject(t.error); };
        t.onabort = function () { db.close(); reject(t.error); };
      });
    });
  }
  function allEntries() {
    return withStore("readonly", function (s) { return s.getAll(); }).then(function (rows) {
      return (rows || []).filter(function (e) { return e.user === user; })
        .sort(function (a, b) { return b.created - a.created; });
    });
  }
  function putEntry(entry) { return withStore("readwrite", function (s) { return s.put(entry); }); }
  function deleteEntry(id) { return withStore("readwrite", function (s) { return s["delete"](id); }); }

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
  regency.addEventListener("change", function () {
    var code = regency.value;
    if (!code) { fillDistricts([]); return; }
    if (provinceDistricts[code]) { fillDistricts(provinceDistricts[code]); return; }
    fetch(root.getAttribute("data-districts-api") + encodeURIComponent(code) + "/", {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : {districts: []}; })
      .then(function (j) { if (regency.value === code) { fillDistricts(j.districts); } })
      .catch(function () { fillDistricts([]); });
  });
  byId("use-gps").addEventListener("click", function () {
    var status = byId("gps-status");
    if (!navigator.geolocation) { status.textContent = msg("gps-unsupported"); return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.latitude.value = pos.coords.latitude.toFixed(6);
      form.elements.longitude.value = pos.coords.longitude.toFixed(6);
      status.textContent = msg("gps-used") + " (" + form.elements.latitude.value + ", " + form.elements.longitude.value + ")";
    }, function () { status.textContent = msg("gps-failed"); }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
  });

  // --- saving a report ------------------------------------------------------------------
  function problem() {
    var el = form.elements;
    if (!el.latitude.value && !regency.value) { return msg("location"); }
    if (!el.category.value) { return msg("category"); }
    if (!el.urgency.value) { return msg("urgency"); }
    if (!el.description.value.trim()) { return msg("description"); }
    var files = el.photos.files || [];
    if (files.length > MAX_PHOTOS) { return msg("photo"); }
    for (var i = 0; i < files.length; i++) {
      if (files[i].type !== "image/jpeg" && files[i].type !== "image/png") { return msg("photo"); }
    }
    return "";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var error = byId("form-error");
    error.textContent = problem();
    if (error.textContent) { return; }
    var el = form.elements, fields = {};
    ["category", "urgency", "people_involved", "description", "latitude", "longitude", "regency_code",
     "district_code"].forEach(function (name) { fields[name] = el[name].value; });
    // The phone's wall clock, sent with its offset so the server knows the moment.
    fields.occurred_at = el.occurred_at.value ? new Date(el.occurred_at.value).toISOString() : "";
    var label = selectedText(el.category) + " · " + (selectedText(regency) || msg("gps-used"));
    var files = Array.prototype.slice.call(el.photos.files || []);
    Promise.all(files.map(preparePhoto)).then(function (photos) {
      var entry = {client_id: uuid(), user: user, fields: fields, photos: photos, submitted_at: new Date().toISOString(),
                   created: Date.now(), state: "waiting", message: msg("saved"), label: label};
      return putEntry(entry);
    }).then(function () {
      form.reset();
      byId("gps-status").textContent = "";
      el.latitude.value = ""; el.longitude.value = "";
      fillDistricts([]);
      return render();
    }).then(flush).catch(function () { error.textContent = msg("storage"); });
  });

  // --- sending --------------------------------------------------------------------------
  function sendOne(entry) {
    var body = new FormData();
    Object.keys(entry.fields).forEach(function (k) { body.append(k, entry.fields[k]); });
    body.append("client_id", entry.client_id);
    body.append("submitted_at", entry.submitted_at);
    (entry.photos || []).forEach(function (p) { body.append("photos", p.blob, p.name); });
    return fetch(api, {method: "POST", body: body, credentials: "same-origin",
                       headers: {"X-CSRFToken": csrfToken(), "Accept": "application/json"}})
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) { return {status: r.status, body: j}; });
      })
      .then(function (res) {
        var retry = res.status === 401 || res.status === 408 || res.status === 429 || res.status >= 500 ||
          res.body.code === "csrf_failed";
        entry.message = res.body.message || ("HTTP " + res.status);
        if (res.status === 200 || res.status === 201) {
          entry.state = "sent"; entry.photos = [];  // the server has them: free the phone's space
        } else {
          entry.state = retry ? "waiting" : "refused";
        }
        return putEntry(entry).then(function () { return !retry; });
      }, function () {
        entry.state = "waiting"; entry.message = msg("offline");
        return putEntry(entry).then(function () { return false; });  // no connection: stop for now
      });
  }

  function flush() {
    setNetStatus();
    if (sending || !navigator.onLine) { return render(); }
    sending = true;
    return allEntries().then(function (entries) {
      var queue = entries.filter(function (e) { return e.state === "waiting" || e.state === "sending"; }).reverse();
      var sent = 0;
      function next() {
        var entry = queue.shift();
        if (!entry) { return Promise.resolve(); }
        return sendOne(entry).then(function (goOn) { sent += 1; return render().then(function () { return goOn ? next() : null; }); });
      }
      return next().then(function () { if (sent) { return refreshMine(); } });
    }).catch(function () { /* kept in the outbox: tried again on the next chance */ })
      .then(function () { sending = false; return render(); });
  }

  // --- drawing ----------------------------------------------------------------------------
  function render() {
    return allEntries().then(function (entries) {
      var list = byId("outbox");
      list.textContent = "";
      var week = Date.now() - 7 * 86400000;
      entries.forEach(function (e) {
        if (e.state === "sent" && e.created < week) { deleteEntry(e.client_id); return; }
        var li = document.createElement("li");
        li.setAttribute("data-state", e.state);
        li.setAttribute("data-client-id", e.client_id);
        var badge = document.createElement("span");
        badge.className = "badge " + (e.state === "sent" ? "completed" : e.state === "refused" ? "rejected" : "needs_completion");
        badge.textContent = msg(e.state === "sending" ? "waiting" : e.state);
        li.appendChild(badge);
        li.appendChild(document.createTextNode(" " + e.label + " "));
        var when = document.createElement("span");
        when.className = "meta";
        when.textContent = new Date(e.created).toLocaleString();
        li.appendChild(when);
        if (e.message) {
          var note = document.createElement("div");
          note.className = e.state === "refused" ? "error" : "meta";
          note.textContent = e.message;
          li.appendChild(note);
        }
        if (e.state !== "waiting") {
          var remove = document.createElement("button");
          remove.type = "button"; remove.className = "secondary"; remove.textContent = "×";
          remove.setAttribute("aria-label", msg("remove"));
          remove.addEventListener("click", function () { deleteEntry(e.client_id).then(render); });
          li.appendChild(remove);
        }
        list.appendChild(li);
      });
      if (!list.children.length) {
        var empty = document.createElement("li");
        empty.className = "meta"; empty.textContent = msg("empty");
        list.appendChild(empty);
      }
    }).catch(function () { byId("outbox").textContent = msg("storage"); });
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
          when.className = "meta"; when.textContent = new Date(r.occurred_at).toLocaleString();
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
})();
