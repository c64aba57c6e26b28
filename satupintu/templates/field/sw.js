/* The field report app's service worker (scope /lapangan/), served by field/views.py so that
   it can name the hashed static files. It keeps the app shell so the page opens without a
   signal; the reports themselves wait in the outbox (IndexedDB), never in a cache: posts go
   straight to the network. The last copy also opens when the server answers with an error (5xx).
   The pages kept are the reporter's own: signing out deletes these
   caches (site.js), and so does this worker when the app is opened signed out.

   Background sync (where the browser has it): the page registers the tag "kirim-laporan"
   while reports wait, and the browser wakes this worker when the connection returns, even
   with the page closed. It sends with the same code as the page (outbox.js, imported below),
   so the same client_id and the same once-per-report answer. */
"use strict";
var CACHE = "lapangan-{{ version }}";
var SHELL = {{ shell_json|safe }};
importScripts({{ outbox_json|safe }});
var Outbox = self.SatuPintuOutbox;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("lapangan-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// Every copy kept here (pages and files); the files are kept again as the app loads them.
function forgetPages() {
  return caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("lapangan-") === 0; })
      .map(function (k) { return caches.delete(k); }));
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname === "/lapangan/api/laporan") { return; }  // the statuses: always fresh, or nothing
  if (request.mode === "navigate" || url.pathname.indexOf("/lapangan/api/kecamatan/") === 0) {
    // Network first (fresh statuses, a fresh CSRF cookie), the last copy without a signal.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && !response.redirected) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
      } else if (request.mode === "navigate" && (response.type === "opaqueredirect" || response.status === 403)) {
        // Sent to the sign-in page, or not a reporter: the pages kept are someone else's.
        return forgetPages().then(function () { return response; }, function () { return response; });
      } else if (response.status >= 500) {
        // A deploy or a database outage is, in the field, like no signal: the last copy opens and
        // reports wait in the outbox (which tries again later), instead of an error page.
        return caches.match(url.pathname).then(function (hit) { return hit || response; });
      }
      return response;
    }).catch(function () {
      return caches.match(url.pathname).then(function (hit) { return hit || caches.match("/lapangan/"); });
    }));
    return;
  }
  // The shell's files; one missing from the cache (signing out deletes the caches: site.js) is
  // kept again the next time the page loads it with a signal, so the app opens offline again.
  event.respondWith(caches.match(request).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok && SHELL.indexOf(url.pathname) !== -1) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    });
  }));
});


// The page reads document.cookie; a worker has none: the Cookie Store (Chromium, where there is
// background sync) or else the token the page kept with the report when it was saved.
function csrfToken(entry) {
  var kept = entry.csrf || "";
  if (!self.cookieStore) { return kept; }
  return self.cookieStore.get("csrftoken").then(function (c) { return c ? c.value : kept; }, function () { return kept; });
}

function tellPages() {
  return self.clients.matchAll({type: "window"}).then(function (pages) {
    pages.forEach(function (page) { page.postMessage({type: "outbox-changed"}); });
  });
}

// Who is signed in decides whose reports go (the outbox may hold another account's): the
// server says; no session, a disabled account or no signal: nothing is sent now.
function sendOutbox() {
  return fetch(Outbox.API, {credentials: "same-origin", headers: {"Accept": "application/json"}})
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (me) {
      if (!me || me.user === undefined) { return {tried: 0, waiting: 0}; }  // the page asks to sign in
      return Outbox.flush({user: String(me.user), csrf: csrfToken, offlineMessage: ""});
    })
    .then(function (result) {
      return tellPages().then(function () {
        // Rejecting asks the browser to try this sync again later (with its own backoff).
        if (result.waiting) { throw new Error("reports still waiting"); }
      });
    });
}

self.addEventListener("sync", function (event) {
  if (event.tag === Outbox.SYNC_TAG) { event.waitUntil(sendOutbox()); }
});