// The demo's WhatsApp simulator: shows the chat the Graph API stand-in holds and sends the
// citizen's messages (text, button and list choices, a location, a file). No inline script (CSP).
(function () {
  "use strict";
  var phone = document.getElementById("wa-phone");
  if (!phone) { return; }
  var chat = document.getElementById("wa-chat");
  var nomor = phone.dataset.nomor;
  var token = document.querySelector("#wa-send input[name=csrfmiddlewaretoken]").value;
  var shown = 0;

  function post(fields) {
    var data = new FormData();
    data.append("nomor", nomor);
    Object.keys(fields).forEach(function (k) { data.append(k, fields[k]); });
    return fetch(phone.dataset.send, {method: "POST", body: data, headers: {"X-CSRFToken": token}, credentials: "same-origin"})
      .then(function () { setTimeout(poll, 300); });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text) { node.textContent = text; }
    return node;
  }

  function choiceButton(id, title, isList) {
    var b = el("button", "choice", title);
    b.type = "button";
    b.addEventListener("click", function () { post({choice: id, title: title, list: isList ? "1" : "0"}); });
    return b;
  }

  function render(message) {
    var body = message.body;
    var li = el("li", "bubble " + (message.direction === "in" ? "out" : "in"));
    if (message.direction === "in") {  // what the citizen sent
      var said = body.text ? body.text.body : body.interactive ? "› " + (body.interactive.button_reply || body.interactive.list_reply).title
        : body.location ? "📍 " + body.location.latitude + ", " + body.location.longitude : "📎 " + body.type;
      li.appendChild(el("div", "text", said));
      return li;
    }
    if (body.type === "text") {
      li.appendChild(el("div", "text", body.text.body));
    } else if (body.type === "interactive") {
      var inter = body.interactive;
      li.appendChild(el("div", "text", inter.body.text));
      var choices = el("div", "choices");
      if (inter.type === "button") {
        inter.action.buttons.forEach(function (b) { choices.appendChild(choiceButton(b.reply.id, b.reply.title, false)); });
      } else {
        inter.action.sections.forEach(function (s) {
          s.rows.forEach(function (r) { choices.appendChild(choiceButton(r.id, r.title, true)); });
        });
      }
      li.appendChild(choices);
    } else if (body.type === "template") {
      var params = (body.template.components[0] || {parameters: []}).parameters.map(function (p) { return p.text; });
      li.appendChild(el("div", "text", "[" + body.template.name + "] " + params.join(" · ")));
    } else {
      li.appendChild(el("div", "text", "📎 " + (body.document ? body.document.filename : body.type)));
    }
    return li;
  }

  function poll() {
    fetch(phone.dataset.poll + "?nomor=" + encodeURIComponent(nomor), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var list = data.messages || [];
        for (var i = shown; i < list.length; i++) { chat.appendChild(render(list[i])); }
        if (list.length > shown) { chat.scrollTop = chat.scrollHeight; }
        shown = list.length;
      })
      .catch(function () {});
  }

  document.getElementById("wa-send").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = document.getElementById("wa-text");
    if (!input.value.trim()) { return; }
    post({text: input.value});
    input.value = "";
  });
  document.getElementById("wa-file").addEventListener("change", function (e) {
    if (e.target.files.length) { post({file: e.target.files[0]}); e.target.value = ""; }
  });
  document.getElementById("wa-send-place").addEventListener("click", function () {
    var value = document.getElementById("wa-place").value;
    if (!value) { return; }
    var parts = value.split(",");
    post({latitude: parts[0], longitude: parts[1]});
  });
  poll();
  setInterval(poll, 1500);
}());
