/* The field report outbox, shared by the page (app.js) and the service worker (sw.js, through
   importScripts) so that both send a report the same way: one IndexedDB store keyed by the
   report's client_id, one POST per report, one reading of the server's answer. It touches no
   document (the worker has none): the caller gives the CSRF token and the user.

   The server answers a resend of the same client_id with the same report, and a Web Lock
   (where there is one) keeps the page and the worker from sending at the same moment, so the
   report arrives once whoever sends it. */
(function (scope) {
  "use strict";
  var DB_NAME = "satupintu-lapangan", STORE = "outbox", API = "/lapangan/api/laporan";
  var LOCK = "satupintu-lapangan-outbox";
  var TIMEOUT_MS = 120000;  // a dead connection must not hold the lock (and the outbox) for ever
  // Refusals about the account, not the report: fixing the report cannot help, so no resend.
  var ACCOUNT_CODES = ["account_disabled", "not_a_reporter"];
  // Answers that say "not now" rather than "no": the report stays waiting.
  var RETRY_CODES = ["csrf_failed", "other_account"];

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
        var result;
        work(t.objectStore(STORE), function (value) { result = value; });
        t.oncomplete = function () { db.close(); resolve(result); };
        t.onerror = function () { db.close(); reject(t.error); };
        t.onabort = function () { db.close(); reject(t.error); };
      });
    });
  }

  function entries(user) {
    return withStore("readonly", function (s, done) {
      var req = s.getAll();
      req.onsuccess = function () { done(req.result); };
    }).then(function (rows) {
      return (rows || []).filter(function (e) { return user === undefined || e.user === user; })
        .sort(function (a, b) { return b.created - a.created; });
    });
  }

  function get(id) {
    return withStore("readonly", function (s, done) {
      var req = s.get(id);
      req.onsuccess = function () { done(req.result || null); };
    });
  }

  function put(entry) { return withStore("readwrite", function (s) { s.put(entry); }); }

  function remove(id) { return withStore("readwrite", function (s) { s["delete"](id); }); }

  // The corrected report takes the refused one's place in one transaction (never both, never none).
  function replace(oldId, entry) {
    return withStore("readwrite", function (s) {
      if (oldId !== entry.client_id) { s["delete"](oldId); }
      s.put(entry);
    });
  }

  // Read, change and write in one transaction: what the server said is written onto the entry
  // as it is now (never bringing back one the reporter deleted meanwhile).
  function update(id, change) {
    return withStore("readwrite", function (s, done) {
      var req = s.get(id);
      req.onsuccess = function () {
        if (!req.result) { done(null); return; }
        change(req.result);
        s.put(req.result);
        done(req.result);
      };
    });
  }

  function isWaiting(e) { return e.state === "waiting" || e.state === "sending"; }

  function resendable(e) { return e.state === "refused" && ACCOUNT_CODES.indexOf(e.code) < 0; }

  // The server's reasons as a list of {code, field, message, photo}: several at once for a
  // form (errors), or the one answer.
  function reasons(body) {
    if (body.errors && body.errors.length) { return body.errors; }
    return [{code: body.code || "", field: body.field || null, message: body.message || ""}];
  }

  function withLock(work) {
    var locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(LOCK, work) : work();
  }

  function post(body) {
    var controller = scope.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return fetch(API, {method: "POST", body: body.data, credentials: "same-origin", signal: controller && controller.signal,
                       headers: {"X-CSRFToken": body.csrf, "Accept": "application/json"}})
      .then(function (r) {
        clearTimeout(timer);
        return r.json().catch(function () { return {}; }).then(function (j) { return {status: r.status, body: j}; });
      }, function (err) { clearTimeout(timer); throw err; });
  }

  // Send one entry. Resolves {state, retry}: retry means "stop for now, try later" (no
  // connection, server busy, signed out); a refusal is kept with its reasons for fixing.
  function sendOne(entry, csrf, offlineMessage) {
    var data = new FormData();
    Object.keys(entry.fields).forEach(function (k) { data.append(k, entry.fields[k]); });
    data.append("client_id", entry.client_id);
    data.append("submitted_at", entry.submitted_at);
    data.append("reporter", entry.user);
    (entry.photos || []).forEach(function (p) { data.append("photos", p.blob, p.name); });
    return post({data: data, csrf: csrf}).then(function (res) {
      var code = res.body.code || "";
      var retry = res.status === 401 || res.status === 408 || res.status === 429 || res.status >= 500 ||
        RETRY_CODES.indexOf(code) >= 0;
      var ok = res.status === 200 || res.status === 201;
      var state = ok ? "sent" : retry ? "waiting" : "refused";
      return update(entry.client_id, function (e) {
        e.state = state;
        e.message = res.body.message || ("HTTP " + res.status);
        e.code = ok ? "" : code;
        e.errors = state === "refused" ? reasons(res.body) : [];
        if (ok) { e.photos = []; }  // the server has them: free the phone's space
      }).then(function () { return {state: state, retry: retry}; });
    }, function () {
      return update(entry.client_id, function (e) {
        e.state = "waiting";
        if (offlineMessage) { e.message = offlineMessage; }
      }).then(function () { return {state: "waiting", retry: true}; });
    });
  }

  // Send the user's waiting reports, oldest first, until one says "later".
  // opts: user, csrf(entry) -> token or a promise of it, offlineMessage, onEach().
  // Resolves {tried, waiting}: waiting = how many of the user's reports still wait.
  function flush(opts) {
    return withLock(function () {
      return entries(opts.user).then(function (all) {
        var queue = all.filter(isWaiting).reverse();
        var tried = 0;
        function next() {
          var entry = queue.shift();
          if (!entry) { return null; }
          return Promise.resolve(opts.csrf(entry)).then(function (token) {
            return sendOne(entry, token || "", opts.offlineMessage);
          }).then(function (outcome) {
            tried += 1;
            if (opts.onEach) { opts.onEach(); }
            return outcome.retry ? null : next();
          });
        }
        return Promise.resolve(next()).then(function () { return entries(opts.user); }).then(function (left) {
          return {tried: tried, waiting: left.filter(isWaiting).length};
        });
      });
    });
  }

  scope.SatuPintuOutbox = {
    SYNC_TAG: "kirim-laporan", API: API, ACCOUNT_CODES: ACCOUNT_CODES,
    entries: entries, get: get, put: put, remove: remove, replace: replace,
    isWaiting: isWaiting, resendable: resendable, flush: flush
  };
})(self);
