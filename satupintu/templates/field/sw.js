/* The field report app's service worker (scope /lapangan/), served by field/views.py so that
   it can name the hashed static files. It keeps the app shell so the page opens without a
   signal; the reports themselves wait in the page's outbox (IndexedDB), never here: posts go
   straight to the network. */
"use strict";
var CACHE = "lapangan-{{ version }}";
var SHELL = {{ shell_json|safe }};

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
      }
      return response;
    }).catch(function () {
      return caches.match(url.pathname).then(function (hit) { return hit || caches.match("/lapangan/"); });
    }));
    return;
  }
  event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
});
