/* Agent console: polls the live conversations and the selected one, renders everything
 * with textContent (patients' text is never interpreted) and SafeMarkdown for the
 * assistant's own replies, and offers search and lookups in the agent's language.
 * The passages of a conversation are those its last knowledge answer cited (from the tracker);
 * the search box asks the action server, as the assistant does (no retrieval of the console's own).
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("console-config").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var LIST_EVERY_MS = 3000, DETAIL_EVERY_MS = 2500;
  var state = {
    language: localStorage.getItem("agent-language") || config.agentLanguage,
    selected: null,
    detail: null,
    detailKey: null,
    mapKey: null,
  };

  function t(key) { return (config.texts[state.language] || config.texts[config.agentLanguage])[key] || key; }

  function el(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text != null) element.textContent = String(text);
    return element;
  }

  function clear(element) { while (element.firstChild) element.removeChild(element.firstChild); return element; }

  function markdown(text, container) {
    return SafeMarkdown.render(text, container, { newTabText: t("opens_new_tab") });
  }

  function status(message) { $("console-status").textContent = message || ""; }

  function api(path, params, options) {
    var query = new URLSearchParams(params || {});
    query.set("lang", state.language);
    return fetch(path + "?" + query.toString(), Object.assign({ credentials: "same-origin" }, options || {}))
      .then(function (response) {
        if (response.status === 401) { window.location.assign("/agent/login"); throw new Error("login"); }
        if (response.status === 503) {
          // Rasa or the action server's knowledge search: say which one is missing.
          return response.json().catch(function () { return {}; }).then(function (body) {
            status(t(body.error === "retrieval_unavailable" ? "retrieval_unavailable" : "unavailable"));
            throw new Error("unavailable");
          });
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        status("");
        return response.json();
      });
  }

  function applyTexts() {
    document.documentElement.lang = state.language;
    document.querySelectorAll("[data-text]").forEach(function (node) { node.textContent = t(node.dataset.text); });
  }

  function percent(value) { return value == null ? "" : Math.round(value * 100) + " %"; }

  function timeOf(seconds) {
    if (!seconds) return "";
    return new Date(seconds * 1000).toLocaleTimeString(state.language === "lb" ? "lb-LU" : state.language,
                                                       { hour: "2-digit", minute: "2-digit" });
  }

  function languageName(code) { return code ? code.toUpperCase() + " · " + (config.languageNames[code] || code) : "–"; }

  // ------------------------------------------------------------------ conversation list
  function renderList(conversations) {
    var list = clear($("conversation-list"));
    $("no-conversations").hidden = conversations.length > 0;
    conversations.forEach(function (c) {
      var item = el("li");
      var button = el("button", "conversation" + (c.emergency ? " is-emergency" : ""));
      button.type = "button";
      button.dataset.id = c.sender_id;
      if (c.sender_id === state.selected) button.setAttribute("aria-current", "true");
      var top = el("span", "conversation-top");
      top.appendChild(el("span", "badge badge-language", (c.language || "?").toUpperCase()));
      if (c.emergency) top.appendChild(el("span", "badge badge-emergency", "112"));
      if (c.human_requested) top.appendChild(el("span", "badge badge-human", t("human_requested")));
      top.appendChild(el("span", "conversation-time", timeOf(c.last_active)));
      button.appendChild(top);
      button.appendChild(el("span", "conversation-text", c.last_user_text || "…"));
      button.appendChild(el("span", "conversation-meta", (c.intent || "") + " · " + c.sender_id.slice(0, 8)));
      button.addEventListener("click", function () { select(c.sender_id); });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function pollList() {
    api("/agent/api/conversations").then(function (data) { renderList(data.conversations); })
      .catch(function () {}).then(function () { setTimeout(pollList, LIST_EVERY_MS); });
  }

  // ------------------------------------------------------------------ selected conversation
  function select(id) {
    state.selected = id;
    state.detailKey = null;
    history.replaceState(null, "", "#c=" + encodeURIComponent(id));
    document.querySelectorAll(".conversation").forEach(function (b) {
      if (b.dataset.id === id) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
    });
    loadDetail();
  }

  function fact(list, label, value, className) {
    list.appendChild(el("dt", null, label));
    var dd = el("dd", className || null);
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = value == null || value === "" ? "–" : value;
    list.appendChild(dd);
  }

  function renderFacts(detail) {
    var c = detail.conversation;
    var facts = clear($("facts"));
    fact(facts, t("conversation_language"), languageName(c.language), "fact-language");
    fact(facts, t("detected_language"), languageName(c.last_detected_language) +
      (c.language_source ? " (" + c.language_source + ")" : ""));
    var intent = el("span", "fact-intent");
    intent.appendChild(el("strong", null, c.intent || "–"));
    intent.appendChild(document.createTextNode(" · " + t("confidence") + " " + percent(c.confidence)));
    if (c.intent_ranking && c.intent_ranking.length > 1) {
      intent.appendChild(el("span", "muted small", " (" + c.intent_ranking.slice(1).map(function (r) {
        return r.name + " " + percent(r.confidence);
      }).join(", ") + ")"));
    }
    fact(facts, t("intent"), intent);
    var slotNames = Object.keys(c.slots || {});
    if (!slotNames.length) fact(facts, t("slots"), t("no_slots"));
    slotNames.forEach(function (name) { fact(facts, t("slot_" + name), String(c.slots[name])); });
    if (detail.insurer && detail.insurer.missing && detail.insurer.missing.length) {
      fact(facts, t("still_missing"), detail.insurer.missing.join(", "));
    }
    fact(facts, t("human_requested"), c.human_requested ? t("answer_yes") : t("answer_no"),
         c.human_requested ? "fact-alert" : null);
    fact(facts, t("channel"), c.channel || "–");
    $("emergency-banner").hidden = !c.emergency;
    $("human-banner").hidden = !c.human_requested;
  }

  function renderTranscript(turns) {
    var list = clear($("transcript"));
    turns.forEach(function (turn) {
      var item = el("li", "turn turn-" + turn.who);
      var head = el("span", "turn-head");
      head.appendChild(el("span", "turn-who", turn.who === "user" ? t("patient_said") : (turn.who === "agent" ? t("agent_said") : "🤖 " + t("assistant_said"))));
      if (turn.who === "user") {
        head.appendChild(el("span", "badge badge-language", (turn.language || "?").toUpperCase()));
        if (turn.intent) head.appendChild(el("span", "turn-intent", turn.intent + " " + percent(turn.confidence)));
      }
      head.appendChild(el("span", "conversation-time", timeOf(turn.time)));
      item.appendChild(head);
      var body = el("div", "turn-body");
      if (turn.who === "user") body.textContent = turn.text;       // the patient's words, as typed
      else markdown(turn.text, body);
      item.appendChild(body);
      if (turn.buttons && turn.buttons.length) item.appendChild(el("p", "muted small", "[" + turn.buttons.join(" | ") + "]"));
      list.appendChild(item);
    });
    list.scrollTop = list.scrollHeight;     // the newest turn, without moving the page itself
  }

  function renderSources(list, sources) {
    clear(list);
    (sources || []).forEach(function (source) {
      if (!source || !source.url) return;
      var item = el("li");
      item.appendChild(document.createTextNode(t("source_label") + " : "));
      var link = el("a", "source-link", source.title || source.url);
      link.href = /^https?:\/\//i.test(source.url) ? source.url : "#";
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  function renderSuggestion(suggestion) {
    var box = clear($("suggestion-text"));
    box.classList.toggle("is-emergency", suggestion.kind === "emergency");
    if (suggestion.kind === "unavailable") box.appendChild(el("p", "muted", t("retrieval_unavailable")));
    else if (!suggestion.text) box.appendChild(el("p", "muted", t("no_suggestion")));
    else markdown(suggestion.text, box);
    box.dataset.kind = suggestion.kind;
    box.dataset.language = suggestion.language;
    renderSources($("suggestion-sources"), suggestion.sources);
    $("send-suggestion").disabled = !suggestion.text;
    $("copy-suggestion").disabled = !suggestion.text;
  }

  // A passage of the action server's search, or a source the patient's reply cited (no text: the
  // reply is in the transcript): {id, language, title, section, text, url, date, score}.
  function renderPassages(container, passages) {
    clear(container);
    if (!passages || !passages.length) { container.appendChild(el("li", "muted", t("no_passages"))); return; }
    passages.forEach(function (p) {
      var item = el("li", "passage");
      item.dataset.id = p.id || "";
      var head = el("p", "passage-head");
      head.appendChild(el("span", "badge badge-language", (p.language || "?").toUpperCase()));
      head.appendChild(el("strong", null, " " + (p.title || p.id)));
      if (p.section) head.appendChild(document.createTextNode(" – " + p.section));
      head.appendChild(el("span", "passage-score", t("score") + " " + (p.score == null ? "–" : p.score)));
      item.appendChild(head);
      if (p.text) {
        var text = String(p.text);
        item.appendChild(el("p", "passage-text", text.length > 260 ? text.slice(0, 260) + "…" : text));
      }
      var sources = el("ul", "sources");
      renderSources(sources, [p]);
      item.appendChild(sources);
      container.appendChild(item);
    });
  }

  function renderCited(knowledge) {
    $("cited-question").textContent = knowledge ? t("cited_for") + " : " + knowledge.question : "";
    renderPassages($("passages"), knowledge ? knowledge.sources : []);
  }

  function replyDetails(container, text, open) {
    // The full reply folds away: the suggestion above usually says the same.
    var details = container.appendChild(el("details", "lookup-details"));
    details.open = !!open;
    details.appendChild(el("summary", null, t("full_reply")));
    markdown(text, details.appendChild(el("div", "lookup-reply")));
  }

  function renderInsurer(container, insurer, open) {
    clear(container);
    if (!insurer) return;
    var title = container.appendChild(el("h3", "insurer-title", t("insurer") + (insurer.competent_country ? " : " + insurer.competent_country : " : ?")));
    title.dataset.country = insurer.competent_country || "";
    var facts = [];
    if (insurer.institutions && insurer.institutions.length) facts.push(insurer.institutions.join(", "));
    if (insurer.forms && insurer.forms.length) facts.push(insurer.forms.join(", "));
    if (insurer.confidence) facts.push(t("confidence") + " " + insurer.confidence);
    if (facts.length) container.appendChild(el("p", "lookup-facts", facts.join(" · ")));
    if (insurer.missing && insurer.missing.length) {
      container.appendChild(el("p", "muted", t("still_missing") + " : " + insurer.missing.join(", ")));
    }
    replyDetails(container, insurer.reply, open);
    renderSources(container.appendChild(el("ul", "sources")), insurer.sources);
  }

  function renderFacility(container, facility, open) {
    clear(container);
    if (!facility) return;
    container.appendChild(el("h3", "facility-title", t("facilities") + (facility.place ? " : " + facility.place.name + " (" + facility.place.country + ")" : "")));
    var schemes = (facility.zones || []).map(function (z) { return z.name + " (" + z.membership + ")"; });
    if (schemes.length) container.appendChild(el("p", "lookup-facts", schemes.join(" · ")));
    replyDetails(container, facility.reply, open);
  }

  function renderMap(facility) {
    var key = JSON.stringify(facility ? [facility.place, (facility.options || []).map(function (o) { return o.id; })] : null);
    if (key === state.mapKey) return;
    state.mapKey = key;
    var list = clear($("map-list"));
    var hasPlace = !!(facility && facility.place);
    $("map-empty").hidden = hasPlace;
    ConsoleMap.draw($("map"), facility).catch(function () { $("map-empty").hidden = false; });
    if (!hasPlace) return;
    (facility.options || []).forEach(function (o) {
      list.appendChild(el("li", null, o.name + " (" + o.country + ") – " + o.distance_km + " km · " + o.scheme_name));
    });
    if (facility.domestic) {
      list.appendChild(el("li", "map-domestic", t("map_domestic") + " : " + facility.domestic.name + " – " +
        facility.domestic.distance_km + " km"));
    }
    list.appendChild(el("li", "muted small map-note", t("straight_line")));
  }

  function renderDetail(detail) {
    state.detail = detail;
    $("select-hint").hidden = true;
    $("detail-body").hidden = false;
    renderFacts(detail);
    renderTranscript(detail.conversation.transcript);
    renderSuggestion(detail.suggestion);
    renderCited(detail.conversation.knowledge);
    renderInsurer($("insurer-result"), detail.insurer);
    renderFacility($("facility-result"), detail.facility);
    renderMap(detail.facility);
  }

  function loadDetail() {
    if (!state.selected) return Promise.resolve();
    var id = state.selected;
    return api("/agent/api/conversation", { id: id }).then(function (detail) {
      if (id !== state.selected) return;
      var key = JSON.stringify([detail.conversation.transcript.length, detail.suggestion.kind, detail.suggestion.text,
                                state.language, detail.conversation.knowledge]);
      if (key !== state.detailKey) { state.detailKey = key; renderDetail(detail); }
    }).catch(function () {});
  }

  function pollDetail() {
    loadDetail().then(function () { setTimeout(pollDetail, DETAIL_EVERY_MS); });
  }

  // ------------------------------------------------------------------ actions and tools
  function feedback(key) {
    $("suggestion-feedback").textContent = t(key);
    setTimeout(function () { $("suggestion-feedback").textContent = ""; }, 4000);
  }

  function suggestionPlainText() { return $("suggestion-text").innerText.trim(); }

  $("copy-suggestion").addEventListener("click", function () {
    var text = suggestionPlainText();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { feedback("copied"); }, function () { feedback("send_failed"); });
    } else {
      var range = document.createRange();
      range.selectNodeContents($("suggestion-text"));
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      feedback(document.execCommand("copy") ? "copied" : "send_failed");
    }
  });

  $("send-suggestion").addEventListener("click", function () {
    if (!state.selected || !state.detail) return;
    fetch("/agent/api/send?lang=" + encodeURIComponent(state.language), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": config.csrf },
      body: JSON.stringify({ id: state.selected, text: state.detail.suggestion.text }),
    }).then(function (r) { feedback(r.ok ? "sent" : "send_failed"); if (r.ok) loadDetail(); },
            function () { feedback("send_failed"); });
  });

  function toolResult() { return clear($("tool-result")); }

  $("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    api("/agent/api/search", { q: $("search-query").value }).then(function (data) {
      var box = toolResult();
      if (data.answer) {
        box.appendChild(el("h3", null, t("suggested_reply")));
        var answer = box.appendChild(el("div", "lookup-reply"));
        markdown(data.answer.text, answer);
        renderSources(box.appendChild(el("ul", "sources")), data.answer.sources);
      }
      box.appendChild(el("h3", null, t("passages")));
      renderPassages(box.appendChild(el("ol", "passages")), data.passages);
    }).catch(function () {});
  });

  $("insurer-form").addEventListener("submit", function (event) {
    event.preventDefault();
    api("/agent/api/insurer", { q: $("insurer-query").value }).then(function (data) {
      var box = toolResult();
      renderInsurer(box, data.insurer, true);
    }).catch(function () {});
  });

  $("facility-form").addEventListener("submit", function (event) {
    event.preventDefault();
    api("/agent/api/facility", { place: $("facility-query").value }).then(function (data) {
      renderFacility(toolResult(), data.facility, true);
      renderMap(data.facility);
    }).catch(function () {});
  });

  $("agent-language").value = state.language;
  $("agent-language").addEventListener("change", function (event) {
    state.language = event.target.value;
    localStorage.setItem("agent-language", state.language);
    state.detailKey = null;
    state.mapKey = null;
    applyTexts();
    loadDetail();
  });

  applyTexts();
  var fromHash = /^#c=(.+)$/.exec(window.location.hash);
  if (fromHash) select(decodeURIComponent(fromHash[1]));
  pollList();
  pollDetail();
})();
