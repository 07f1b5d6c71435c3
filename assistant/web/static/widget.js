/* Patient chat widget: Rasa's socket.io channel, session persistence, language selector.
 *
 * - The conversation id (Rasa's session_id) and the transcript live in sessionStorage:
 *   a reload keeps the conversation, closing the tab forgets it on this device.
 * - The selected language travels with every message as customData {"language": "xx"};
 *   "automatic" sends none and the assistant follows what the user writes.
 * - User text is always shown as text; replies go through SafeMarkdown (no innerHTML).
 * - A reply starting with the siren (the assistant's 112 instruction, in every language)
 *   is shown as an emergency, announced assertively, with a tel:112 link.
 * - A facility answer is followed by a bot_uttered without text carrying {facility_map}: it is
 *   kept on the answer it belongs to (so a reload redraws it) and drawn under it by
 *   widget-map.js; the answer's text is rendered exactly as without it.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("widget-config").textContent);
  var EMERGENCY = /^\s*\uD83D\uDEA8/;      // 🚨
  var FROM_AGENT = /^\s*\uD83D\uDC64/;     // 👤
  var $ = function (id) { return document.getElementById(id); };
  var log = $("log"), form = $("composer"), input = $("message"), status = $("status");
  var typing = $("typing"), languageSelect = $("language");
  var store = load();
  var socket = null;
  var confirmed = false;
  var outbox = [];
  var typingTimer = null;

  function newSessionId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function load() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(config.storageKey) || "null");
      if (saved && saved.sessionId && Array.isArray(saved.messages)) return saved;
    } catch (e) { /* a corrupt entry: start afresh */ }
    return { sessionId: newSessionId(), language: "", messages: [] };
  }

  function save() {
    try { sessionStorage.setItem(config.storageKey, JSON.stringify(store)); } catch (e) { /* private mode */ }
  }

  function uiLanguage() { return store.language || config.pageLanguage; }

  function t(key) {
    var texts = config.texts[uiLanguage()] || config.texts[config.pageLanguage];
    return texts[key] || "";
  }

  function applyTexts() {
    document.documentElement.lang = uiLanguage();
    document.title = t("page_title");
    document.querySelectorAll("[data-text]").forEach(function (el) { el.textContent = t(el.dataset.text); });
    document.querySelectorAll("[data-placeholder]").forEach(function (el) { el.placeholder = t(el.dataset.placeholder); });
    document.querySelectorAll("[data-label]").forEach(function (el) { el.setAttribute("aria-label", t(el.dataset.label)); });
    log.querySelectorAll("[data-speaker]").forEach(function (el) { el.textContent = t(el.dataset.speaker) + ": "; });
    log.querySelectorAll("[data-call]").forEach(function (el) { el.textContent = t("call_112"); });
    $("zones-link").href = "/zones?lang=" + uiLanguage();
  }

  function setStatus(key) {
    status.dataset.text = key;
    status.textContent = t(key);
    status.classList.toggle("is-offline", key === "status_offline");
  }

  function speakerKey(message) {
    if (message.who === "user") return "you_said";
    return FROM_AGENT.test(message.text) ? "agent_said" : "assistant_said";
  }

  function renderMessage(message, index) {
    var item = document.createElement("div");
    var emergency = message.who === "bot" && EMERGENCY.test(message.text);
    item.className = "msg msg-" + message.who + (emergency ? " msg-emergency" : "") +
      (FROM_AGENT.test(message.text) ? " msg-agent" : "");
    if (emergency) item.setAttribute("role", "alert");
    var speaker = document.createElement("span");
    speaker.className = "visually-hidden";
    speaker.dataset.speaker = speakerKey(message);
    speaker.textContent = t(speaker.dataset.speaker) + ": ";
    item.appendChild(speaker);
    var body = document.createElement("div");
    body.className = "msg-body";
    if (message.who === "user") {
      body.textContent = message.text;          // what the user typed is never interpreted
    } else {
      SafeMarkdown.render(message.text, body, { newTabText: t("opens_new_tab") });
    }
    item.appendChild(body);
    if (emergency) {
      var call = document.createElement("a");
      call.className = "call-112";
      call.href = "tel:112";
      call.dataset.call = "1";
      call.textContent = t("call_112");
      item.appendChild(call);
    }
    if (message.map && window.WidgetMap) WidgetMap.append(item, message.map, t, uiLanguage());
    if (message.buttons && message.buttons.length) {
      var group = document.createElement("div");
      group.className = "quick-replies";
      group.setAttribute("role", "group");
      message.buttons.forEach(function (button) {
        var element = document.createElement("button");
        element.type = "button";
        element.className = "quick-reply";
        element.textContent = button.title;
        element.addEventListener("click", function () {
          clearButtons();
          send(button.title, button.payload);
        });
        group.appendChild(element);
      });
      item.appendChild(group);
    }
    item.dataset.index = String(index);
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function clearButtons() {
    store.messages.forEach(function (m) { m.buttons = []; });
    log.querySelectorAll(".quick-replies").forEach(function (el) { el.remove(); });
    save();
  }

  function addMessage(message) {
    store.messages.push(message);
    save();
    renderMessage(message, store.messages.length - 1);
  }

  function showTyping(on) {
    typing.hidden = !on;
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(function () { typing.hidden = true; }, 20000);
  }

  function emit(packet) {
    if (confirmed && socket && socket.connected) socket.emit("user_uttered", packet);
    else outbox.push(packet);
  }

  function send(text, payload) {
    text = String(text || "").trim();
    if (!text) return;
    clearButtons();
    addMessage({ who: "user", text: text });
    var packet = { message: payload || text, session_id: store.sessionId };
    if (store.language) packet.customData = { language: store.language };
    emit(packet);
    showTyping(true);
  }

  function attachMap(payload) {
    // The payload follows the text of the same utterance: it belongs to the last bot message.
    for (var i = store.messages.length - 1; i >= 0; i--) {
      if (store.messages[i].who !== "bot") continue;
      store.messages[i].map = payload;
      save();
      var item = log.querySelector('[data-index="' + i + '"]');
      if (item && window.WidgetMap) WidgetMap.append(item, payload, t, uiLanguage());
      return;
    }
  }

  function onBotMessage(data) {
    if (!data) return;
    if (data.facility_map && typeof data.text !== "string") { attachMap(data.facility_map); return; }
    var buttons = (data.quick_replies || data.buttons || []).map(function (b) {
      return { title: String(b.title || ""), payload: String(b.payload || b.title || "") };
    });
    var text = typeof data.text === "string" ? data.text : "";
    if (!text && data.attachment && data.attachment.payload && data.attachment.payload.src) {
      text = "[" + data.attachment.payload.src + "](" + data.attachment.payload.src + ")";
    }
    if (!text && !buttons.length) return;
    showTyping(false);
    addMessage({ who: "bot", text: text, buttons: buttons });
  }

  function connect() {
    // websocket first: no CORS preflight, no long polling; polling only if a proxy blocks websockets.
    socket = io(config.socketUrl, { transports: ["websocket", "polling"], reconnectionDelayMax: 10000 });
    socket.on("connect", function () {
      confirmed = false;
      socket.emit("session_request", { session_id: store.sessionId });
    });
    socket.on("session_confirm", function (data) {
      var id = typeof data === "string" ? data : data && data.session_id;
      if (id && id !== store.sessionId) { store.sessionId = id; save(); }
      confirmed = true;
      setStatus("status_online");
      while (outbox.length) socket.emit("user_uttered", outbox.shift());
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function () { confirmed = false; setStatus("status_offline"); });
    socket.on("connect_error", function () { setStatus("status_offline"); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    send(text);
    input.focus();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  languageSelect.value = store.language || "";
  languageSelect.addEventListener("change", function () {
    store.language = languageSelect.value;
    save();
    applyTexts();
  });
  $("new-conversation").addEventListener("click", function () {
    sessionStorage.removeItem(config.storageKey);
    window.location.reload();
  });

  store.messages.forEach(renderMessage);
  applyTexts();
  setStatus("status_connecting");
  connect();
})();
