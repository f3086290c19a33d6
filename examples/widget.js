/*
 * recbot chat widget: a floating button that opens a small chat panel talking to the recbot HTTP API.
 * No dependencies. Put it on any page:
 *
 *   <script src="https://YOUR-HOST/examples/widget.js" data-api="https://YOUR-HOST" defer></script>
 *
 * Attributes (all optional): data-api (API origin; default: where this script came from), data-title,
 * data-greeting, data-api-key (sent as X-API-Key; only for private deployments: anything in a page is public).
 * The API must list the page's origin in RECBOT_CORS_ORIGINS when it runs on another origin.
 *
 * Safety: every string from the server or the catalog goes into the page with textContent, never innerHTML.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__recbotWidget) return;
  window.__recbotWidget = true;

  var data = script.dataset;
  var API = (data.api || new URL(script.src, location.href).origin).replace(/\/+$/, "");
  var TITLE = data.title || "Need a film tip?";
  var GREETING = data.greeting || "Hi! Tell me a film you loved or what you are in the mood for.";
  var STORE_KEY = "recbot.session";
  var SESSION_RE = /^[A-Za-z0-9_-]{1,128}$/;

  var CSS = [
    ":host{all:initial;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;}",
    ".launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:999px;",
    "padding:12px 18px;background:#4f46e5;color:#fff;font-size:15px;cursor:pointer;box-shadow:0 6px 20px #0003;}",
    ".panel{position:fixed;right:20px;bottom:76px;z-index:2147483000;width:min(380px,calc(100vw - 40px));",
    "height:min(560px,calc(100vh - 100px));display:flex;flex-direction:column;background:#fff;color:#111;",
    "border-radius:14px;box-shadow:0 12px 40px #0004;overflow:hidden;font-size:14px;}",
    ".panel[hidden]{display:none;}",
    "header{display:flex;align-items:center;gap:8px;padding:10px 12px;background:#4f46e5;color:#fff;}",
    "header strong{flex:1;font-size:15px;}",
    "header button{background:transparent;border:1px solid #fff8;color:#fff;border-radius:6px;cursor:pointer;",
    "font-size:12px;padding:3px 7px;}",
    ".log{flex:1;overflow-y:auto;padding:10px;display:flex;flex-direction:column;gap:8px;background:#f8fafc;}",
    ".msg,.cards{flex-shrink:0;}",
    ".msg{max-width:88%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;line-height:1.4;}",
    ".user{align-self:flex-end;background:#4f46e5;color:#fff;}",
    ".bot{align-self:flex-start;background:#fff;border:1px solid #e2e8f0;}",
    ".error{align-self:center;background:#fef2f2;color:#991b1b;border:1px solid #fecaca;}",
    ".cards{display:flex;gap:8px;overflow-x:auto;padding-bottom:4px;}",
    ".card{flex:0 0 150px;background:#fff;border:1px solid #e2e8f0;border-radius:10px;overflow:hidden;",
    "display:flex;flex-direction:column;}",
    ".card img,.ph{width:100%;height:90px;object-fit:cover;background:linear-gradient(135deg,#e0e7ff,#fce7f3);",
    "display:flex;align-items:center;justify-content:center;font-size:28px;}",
    ".card .body{padding:6px 8px;display:flex;flex-direction:column;gap:4px;flex:1;}",
    ".card .t{font-weight:600;font-size:13px;}",
    ".card .explore{font-size:11px;color:#7c3aed;font-style:italic;}",
    ".card .why{font-size:11px;color:#475569;margin:0;padding-left:14px;}",
    ".card .why mark{background:#fff3b0;color:inherit;}",
    ".card .why small{color:#94a3b8;font-size:10px;}",
    ".card .acts{display:flex;gap:4px;margin-top:auto;}",
    ".card .acts button{flex:1;border:1px solid #cbd5e1;background:#f8fafc;border-radius:6px;cursor:pointer;",
    "font-size:12px;padding:3px;}",
    ".card .acts button[aria-pressed=true]{background:#dcfce7;border-color:#16a34a;}",
    "form{display:flex;gap:6px;padding:8px;border-top:1px solid #e2e8f0;background:#fff;}",
    "input{flex:1;padding:8px;border:1px solid #cbd5e1;border-radius:8px;font-size:14px;}",
    "form button{border:0;border-radius:8px;background:#4f46e5;color:#fff;padding:0 14px;cursor:pointer;}",
    "form button:disabled{opacity:.5;cursor:wait;}"
  ].join("");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function sessionId() {
    var id = null;
    try { id = localStorage.getItem(STORE_KEY); } catch (e) { /* storage blocked: one session per page view */ }
    return id && SESSION_RE.test(id) ? id : null;
  }

  function keepSession(id) {
    if (!id || !SESSION_RE.test(id)) return;
    try { localStorage.setItem(STORE_KEY, id); } catch (e) { /* ignore */ }
  }

  function headers() {
    var h = { "Content-Type": "application/json" };
    if (data.apiKey) h["X-API-Key"] = data.apiKey;
    return h;
  }

  function httpUrl(url) {
    try {
      var u = new URL(url);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) { return null; }
  }

  // The reply is markdown: bold titles, and backslash escapes that keep catalog text literal. Shown as plain text.
  function plainText(markdown) {
    return markdown.replace(/\*\*(.+?)\*\*/g, "$1").replace(/\\([\\`*_[\]~])/g, "$1");
  }

  async function errorText(response) {
    try {
      var body = await response.json();
      if (body && typeof body.detail === "string") return body.detail;
    } catch (e) { /* not JSON */ }
    return "The service answered " + response.status + "; please try again.";
  }

  // --- DOM --------------------------------------------------------------------------------------------------
  var host = el("div");
  host.id = "recbot-widget";
  var root = host.attachShadow({ mode: "open" });
  var style = el("style");
  style.textContent = CSS;
  var launcher = el("button", "launcher", "💬 " + TITLE);
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  var panel = el("section", "panel");
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", TITLE);
  var header = el("header");
  var forgetBtn = el("button", "forget", "Forget me");
  forgetBtn.type = "button";
  forgetBtn.title = "Delete everything this assistant stored about you";
  var closeBtn = el("button", "close", "✕");
  closeBtn.type = "button";
  closeBtn.setAttribute("aria-label", "Close");
  header.append(el("strong", null, TITLE), forgetBtn, closeBtn);
  var log = el("div", "log");
  log.setAttribute("aria-live", "polite");
  var form = el("form");
  var input = el("input");
  input.name = "message";
  input.maxLength = 2000;
  input.placeholder = "e.g. a funny heist film";
  input.setAttribute("aria-label", "Your message");
  input.autocomplete = "off";
  var sendBtn = el("button", "send", "Send");
  sendBtn.type = "submit";
  form.append(input, sendBtn);
  panel.append(header, log, form);
  root.append(style, launcher, panel);

  function add(node) {
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
    return node;
  }

  function say(kind, text) { return add(el("div", "msg " + kind, text)); }

  // Text with the marked words in <mark>, built as DOM nodes (never innerHTML: catalog text stays text).
  function marked(text, words) {
    var span = el("span");
    var list = (words || []).filter(function (w) { return w && w.trim(); });
    if (!list.length) { span.textContent = text; return span; }
    var escaped = list.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    var re = new RegExp("(" + escaped.join("|") + ")", "gi");
    var last = 0, m;
    while ((m = re.exec(text)) !== null) {
      if (!m[0]) { re.lastIndex++; continue; }
      span.appendChild(document.createTextNode(text.slice(last, m.index)));
      span.appendChild(el("mark", null, m[0]));
      last = m.index + m[0].length;
    }
    span.appendChild(document.createTextNode(text.slice(last)));
    return span;
  }

  // Every reason, quoted words marked, with its source in small print and on hover.
  function reasons(item) {
    var rows = (item.explanations && item.explanations.length) ? item.explanations
      : (item.reasons || []).map(function (t) { return { text: t, source: "", marked: [] }; });
    if (!rows.length) return null;
    var list = el("ul", "why");
    rows.forEach(function (r) {
      var li = el("li");
      li.appendChild(marked(r.text, r.marked));
      if (r.source) {
        var source = "from " + (r.source === "log" ? "interaction log" : r.source.split(",").join(", "))
          + (r.count != null ? " (" + r.count + ")" : "");
        li.title = source;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("small", null, source));
      }
      list.appendChild(li);
    });
    return list;
  }

  function card(item) {
    var box = el("div", "card");
    box.dataset.itemId = String(item.item_id);
    var src = item.image_url ? httpUrl(item.image_url) : null;
    var placeholder = el("div", "ph", "🎬");
    if (src) {
      var img = el("img");
      img.alt = "";
      img.loading = "lazy";
      img.referrerPolicy = "no-referrer";
      img.addEventListener("error", function () { img.replaceWith(placeholder); });
      img.src = src;
      box.appendChild(img);
    } else {
      box.appendChild(placeholder);
    }
    var body = el("div", "body");
    body.appendChild(el("div", "t", item.title + (item.year ? " (" + item.year + ")" : "")));
    if (item.explore) body.appendChild(el("div", "explore", "something different to try"));
    var why = reasons(item);
    if (why) body.appendChild(why);
    var acts = el("div", "acts");
    [[true, "👍 Like"], [false, "👎 No"]].forEach(function (pair) {
      var b = el("button", pair[0] ? "like" : "dislike", pair[1]);
      b.type = "button";
      b.setAttribute("aria-pressed", "false");
      b.setAttribute("aria-label", (pair[0] ? "Like " : "Dislike ") + item.title);
      b.addEventListener("click", function () { feedback(item.item_id, pair[0], b, acts); });
      acts.appendChild(b);
    });
    body.appendChild(acts);
    box.appendChild(body);
    return box;
  }

  // --- API calls ---------------------------------------------------------------------------------------------
  async function feedback(itemId, liked, button, group) {
    var id = sessionId();
    if (!id) return;
    try {
      var r = await fetch(API + "/api/feedback", {
        method: "POST", headers: headers(),
        body: JSON.stringify({ session_id: id, item_id: itemId, liked: liked })
      });
      if (!r.ok) { say("error", await errorText(r)); return; }
      group.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
    } catch (e) {
      say("error", "Could not reach the assistant; check your connection.");
    }
  }

  async function send(text) {
    say("user", text);
    var bubble = say("bot", "…");
    var reply = "";
    sendBtn.disabled = true;
    try {
      var body = { message: text };
      var id = sessionId();
      if (id) body.session_id = id;
      var r = await fetch(API + "/api/chat/stream", { method: "POST", headers: headers(), body: JSON.stringify(body) });
      if (!r.ok) {
        bubble.remove();
        say("error", await errorText(r));
        // Busy (503) or rate-limited (429): the message says when to retry; give the text back to resend it.
        if ((r.status === 503 || r.status === 429) && !input.value) input.value = text;
        return;
      }
      keepSession(r.headers.get("X-Session-Id"));
      var reader = r.body.getReader();
      var decoder = new TextDecoder();
      var buffered = "";
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) break;
        buffered += decoder.decode(chunk.value, { stream: true });
        var lines = buffered.split("\n");
        buffered = lines.pop();
        lines.forEach(function (line) {
          if (!line.trim()) return;
          var event = JSON.parse(line);
          if (event.type === "delta") {
            reply += event.text;
            bubble.textContent = plainText(reply);
            log.scrollTop = log.scrollHeight;
          } else if (event.type === "done") {
            keepSession(event.session_id);
            if (event.items && event.items.length) {
              var row = el("div", "cards");
              event.items.forEach(function (item) { row.appendChild(card(item)); });
              add(row);
            }
          } else if (event.type === "error") {
            say("error", event.detail);
          }
        });
      }
    } catch (e) {
      say("error", "Could not reach the assistant; check your connection.");
    } finally {
      sendBtn.disabled = false;
      input.focus();
    }
  }

  async function forget() {
    var id = sessionId();
    if (id) {
      try {
        var r = await fetch(API + "/api/profile/" + encodeURIComponent(id), { method: "DELETE", headers: headers() });
        if (!r.ok) { say("error", await errorText(r)); return; }
      } catch (e) { say("error", "Could not reach the assistant; nothing was deleted."); return; }
    }
    try { localStorage.removeItem(STORE_KEY); } catch (e) { /* ignore */ }
    log.replaceChildren();
    say("bot", "Done: everything I knew about you is deleted. " + GREETING);
  }

  // --- wiring ------------------------------------------------------------------------------------------------
  function toggle(open) {
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      if (!log.childElementCount) say("bot", GREETING);
      input.focus();
    }
  }
  launcher.addEventListener("click", function () { toggle(panel.hidden); });
  closeBtn.addEventListener("click", function () { toggle(false); });
  forgetBtn.addEventListener("click", forget);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || sendBtn.disabled) return;
    input.value = "";
    send(text);
  });

  function mount() { document.body.appendChild(host); }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
