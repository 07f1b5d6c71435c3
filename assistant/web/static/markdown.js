/* Safe Markdown for the assistant's replies: builds DOM nodes, never parses HTML.
 *
 * The replies use a small subset: **bold**, *italic*, `code`, [label](https://link),
 * backslash escapes (user text quoted in a reply is escaped that way), "- " and
 * "1. " lists, and blank lines between paragraphs. Any "<script>" in a text stays
 * text: nothing is ever assigned to innerHTML. Links are http(s), mailto: or tel:
 * only, and open in a new tab without access to this page.
 */
(function (global) {
  "use strict";

  var SAFE_URL = /^(https?:\/\/|mailto:|tel:)/i;
  var ESCAPABLE = /[\\`*_{}\[\]()<>#+\-.!|~]/;
  var BULLET = /^\s*[-*•]\s+/;
  var NUMBERED = /^\s*(\d+)[.)]\s+/;

  function closingBracket(text, open) {
    var depth = 0;
    for (var i = open; i < text.length; i++) {
      if (text[i] === "\\") { i++; continue; }
      if (text[i] === "[") depth++;
      if (text[i] === "]" && --depth === 0) return i;
    }
    return -1;
  }

  function inline(text, parent, options) {
    var buffer = "";
    var i = 0;
    function flush() {
      if (buffer) { parent.appendChild(document.createTextNode(buffer)); buffer = ""; }
    }
    while (i < text.length) {
      var c = text[i];
      if (c === "\\" && i + 1 < text.length && ESCAPABLE.test(text[i + 1])) {
        buffer += text[i + 1]; i += 2; continue;
      }
      if (c === "*" && text[i + 1] === "*") {
        var endBold = text.indexOf("**", i + 2);
        if (endBold > i + 2) {
          flush();
          var strong = document.createElement("strong");
          inline(text.slice(i + 2, endBold), strong, options);
          parent.appendChild(strong);
          i = endBold + 2; continue;
        }
      }
      if (c === "*" && text[i + 1] && !/\s/.test(text[i + 1])) {
        var endEm = text.indexOf("*", i + 1);
        if (endEm > i + 1 && text[endEm + 1] !== "*") {
          flush();
          var em = document.createElement("em");
          inline(text.slice(i + 1, endEm), em, options);
          parent.appendChild(em);
          i = endEm + 1; continue;
        }
      }
      if (c === "`") {
        var endCode = text.indexOf("`", i + 1);
        if (endCode > i + 1) {
          flush();
          var code = document.createElement("code");
          code.textContent = text.slice(i + 1, endCode);
          parent.appendChild(code);
          i = endCode + 1; continue;
        }
      }
      if (c === "[") {
        var close = closingBracket(text, i);
        if (close > 0 && text[close + 1] === "(") {
          var end = text.indexOf(")", close + 2);
          var url = end > 0 ? text.slice(close + 2, end).trim() : "";
          if (end > 0 && SAFE_URL.test(url)) {
            flush();
            var link = document.createElement("a");
            link.href = url;
            link.target = "_blank";
            link.rel = "noopener noreferrer";
            link.className = "source-link";
            inline(text.slice(i + 1, close), link, options);
            if (options && options.newTabText) {
              var hint = document.createElement("span");
              hint.className = "visually-hidden";
              hint.textContent = " " + options.newTabText;
              link.appendChild(hint);
            }
            parent.appendChild(link);
            i = end + 1; continue;
          }
        }
      }
      buffer += c; i++;
    }
    flush();
  }

  function render(text, container, options) {
    var lines = String(text || "").replace(/\r\n?/g, "\n").split("\n");
    var paragraph = null;
    var list = null;
    lines.forEach(function (line) {
      if (!line.trim()) { paragraph = null; list = null; return; }
      var numbered = NUMBERED.exec(line);
      var bullet = !numbered && BULLET.test(line);
      if (numbered || bullet) {
        var kind = numbered ? "OL" : "UL";
        if (!list || list.tagName !== kind) {
          list = document.createElement(kind.toLowerCase());
          if (numbered && numbered[1] !== "1") list.start = parseInt(numbered[1], 10);
          container.appendChild(list);
        }
        var item = document.createElement("li");
        inline(line.replace(numbered ? NUMBERED : BULLET, ""), item, options);
        list.appendChild(item);
        paragraph = null;
        return;
      }
      list = null;
      var heading = /^#{1,6}\s+/.test(line);
      if (heading) {
        var strongLine = document.createElement("p");
        strongLine.className = "md-heading";
        inline(line.replace(/^#{1,6}\s+/, ""), strongLine, options);
        container.appendChild(strongLine);
        paragraph = null;
        return;
      }
      if (paragraph) {
        paragraph.appendChild(document.createElement("br"));
      } else {
        paragraph = document.createElement("p");
        container.appendChild(paragraph);
      }
      inline(line, paragraph, options);
    });
    return container;
  }

  global.SafeMarkdown = { render: render };
})(window);
