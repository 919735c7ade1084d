// Small progressive enhancements for the review area; every page works without this file.
(function () {
  "use strict";

  // Queue shortcuts: j/k move between claims and Enter opens one (the focused link); x selects
  // the current claim, a assigns the selected claims (or else the current one) to me, d picks
  // them for dismissal, / goes to the search box and ? lists the shortcuts.
  var focusAfterSwap = null;

  function queueLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-keynav] .row-link"));
  }

  function currentRow() {
    var active = document.activeElement;
    return active && active.closest ? active.closest("[data-keynav] tr.queue-row") : null;
  }

  function rowBox(row) {
    return row ? row.querySelector("input[data-select-row]") : null;
  }

  // The claims a shortcut acts on: those ticked, or else the current row's (ticked for it).
  function chosenBoxes() {
    var ticked = rowBoxes().filter(function (box) { return box.checked; });
    if (ticked.length) return ticked;
    var box = rowBox(currentRow());
    if (!box) return [];
    box.checked = true;
    updateBulkBar();
    return [box];
  }

  var shortcuts = {
    j: function () { moveFocus(1); },
    k: function () { moveFocus(-1); },
    x: function () {
      var box = rowBox(currentRow());
      if (!box) return;
      box.checked = !box.checked;
      lastTicked = box;
      updateBulkBar();
    },
    a: function () {
      var boxes = chosenBoxes();
      var form = document.getElementById("bulk-form");
      if (!boxes.length || !form || !window.htmx) return;
      focusAfterSwap = boxes[0].value.split(":")[0];
      window.htmx.ajax("POST", form.getAttribute("action"), {
        source: form,
        target: "#bulk-result",
        swap: "outerHTML",
        values: { action: "take", claims: boxes.map(function (box) { return box.value; }) }
      });
    },
    d: function () {
      if (!chosenBoxes().length) return;
      var reason = document.querySelector("[data-bulk-reason]");
      if (!reason) return;
      reason.scrollIntoView({ block: "nearest" });
      reason.focus();
    },
    "/": function () {
      var search = document.querySelector("#queue-filters input[name=q]");
      if (search) { search.focus(); search.select(); }
    },
    "?": function () {
      var help = document.getElementById("shortcut-help");
      if (help && !help.open) help.showModal();
    }
  };

  function moveFocus(step) {
    var links = queueLinks();
    if (!links.length) return;
    var index = links.indexOf(document.activeElement);
    if (index === -1) {
      var row = currentRow();
      index = row ? links.indexOf(row.querySelector(".row-link")) : -1;
    }
    index = step > 0 ? Math.min(links.length - 1, index + 1) : Math.max(0, index - 1);
    links[index].focus();
    links[index].closest("tr").scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable], dialog")) return;
    var action = shortcuts[event.key];
    if (!action || !document.querySelector("[data-keynav]")) return;
    action();
    event.preventDefault();
  });

  // After the queue reloads (a shortcut's action), keep the place: focus the same claim.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!focusAfterSwap || !event.detail.target || event.detail.target.id !== "queue-results") return;
    var box = document.querySelector("[data-keynav] input[data-select-row][value^='" + focusAfterSwap + ":']");
    focusAfterSwap = null;
    var link = box ? box.closest("tr").querySelector(".row-link") : null;
    if (link) link.focus();
  });

  // Article page: select words in the text to add a claim the extractor missed. Offsets are
  // counted in the text content, which is exactly the article's cleaned text.
  function offsetWithin(root, node, offset) {
    var range = document.createRange();
    range.setStart(root, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function currentSelection(root) {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    var range = selection.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
    var start = offsetWithin(root, range.startContainer, range.startOffset);
    var end = offsetWithin(root, range.endContainer, range.endOffset);
    if (end <= start) return null;
    return { start: start, end: end, text: range.toString(), rect: range.getBoundingClientRect() };
  }

  document.addEventListener("mouseup", function () {
    var root = document.querySelector("[data-article-text]");
    var tool = document.getElementById("selection-tool");
    if (!root || !tool) return;
    window.setTimeout(function () {
      var picked = currentSelection(root);
      if (!picked || !picked.text.trim()) { tool.hidden = true; return; }
      tool.hidden = false;
      tool.style.top = (window.scrollY + picked.rect.bottom + 6) + "px";
      tool.style.left = (window.scrollX + picked.rect.left) + "px";
      tool.dataset.start = picked.start;
      tool.dataset.end = picked.end;
      tool.dataset.text = picked.text;
    }, 0);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-add-selection]");
    if (!button) return;
    var tool = document.getElementById("selection-tool");
    var details = document.getElementById("add-claim");
    var form = details.querySelector("form");
    form.elements.start.value = tool.dataset.start;
    form.elements.end.value = tool.dataset.end;
    form.elements.quote.value = tool.dataset.text;
    form.elements.quote.readOnly = true;
    details.open = true;
    tool.hidden = true;
    details.scrollIntoView({ block: "center" });
    form.elements.speaker.focus();
  });

  // Article page: after the side panel changes, mark the open claim in the text and keep the
  // highlight's status colour in step with what was just saved.
  document.addEventListener("htmx:afterSettle", function () {
    var panel = document.getElementById("claim-panel");
    var links = document.querySelectorAll("#article-text a.hl");
    if (!links.length) return;
    var id = panel ? panel.dataset.claim : null;
    links.forEach(function (link) {
      var mine = link.dataset.claim === id;
      link.classList.toggle("is-selected", mine);
      if (mine && panel.dataset.status) {
        link.className = link.className.replace(/hl-status-\S+/, "hl-status-" + panel.dataset.status);
      }
    });
  });

  // Typing into the quote by hand clears selection offsets, so the text is searched instead.
  document.addEventListener("input", function (event) {
    if (event.target.name === "quote" && event.target.form) {
      event.target.form.elements.start.value = "";
      event.target.form.elements.end.value = "";
    }
  });
  // Comments: after "@", offer colleagues (the server lists staff whose username starts with
  // what was typed); arrows choose, Enter or Tab or a click puts "@username " in the text.
  var MENTION_AT_CARET = /(?:^|[^\w@.+-])@([\w.+-]*)$/;

  function mentionList(textarea) {
    var list = textarea.mentionList;
    if (!list) {
      list = document.createElement("ul");
      list.className = "mention-options";
      list.id = (textarea.id || "comment") + "-mentions";
      list.setAttribute("role", "listbox");
      list.hidden = true;
      var box = textarea.parentNode;
      box.classList.add("mention-box");
      box.appendChild(list);
      textarea.setAttribute("aria-controls", list.id);
      textarea.mentionList = list;
    }
    return list;
  }

  function closeMentions(textarea) {
    if (textarea.mentionList) textarea.mentionList.hidden = true;
    textarea.setAttribute("aria-expanded", "false");
  }

  function insertMention(textarea, username) {
    var caret = textarea.selectionStart;
    var before = textarea.value.slice(0, caret);
    var match = before.match(MENTION_AT_CARET);
    if (!match) return;
    var start = caret - match[1].length;
    var after = textarea.value.slice(caret);
    textarea.value = textarea.value.slice(0, start) + username + " " + after.replace(/^[\w.+-]*/, "");
    var position = start + username.length + 1;
    textarea.setSelectionRange(position, position);
    closeMentions(textarea);
    textarea.focus();
  }

  document.addEventListener("input", function (event) {
    var textarea = event.target;
    if (!textarea.matches || !textarea.matches("textarea[data-mentions]") || !window.htmx) return;
    var match = textarea.value.slice(0, textarea.selectionStart).match(MENTION_AT_CARET);
    if (!match) { closeMentions(textarea); return; }
    var list = mentionList(textarea);
    window.htmx.ajax("GET", textarea.dataset.mentions + "?q=" + encodeURIComponent(match[1]), {
      target: list, swap: "innerHTML"
    }).then(function () {
      list.hidden = !list.querySelector("[data-mention]");
      textarea.setAttribute("aria-expanded", String(!list.hidden));
    });
  });

  document.addEventListener("keydown", function (event) {
    var textarea = event.target;
    if (!textarea.matches || !textarea.matches("textarea[data-mentions]")) return;
    var list = textarea.mentionList;
    if (!list || list.hidden) return;
    var options = Array.prototype.slice.call(list.querySelectorAll("[data-mention]"));
    var current = list.querySelector("[aria-selected=true]");
    var index = options.indexOf(current);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      index = event.key === "ArrowDown" ? Math.min(options.length - 1, index + 1) : Math.max(0, index - 1);
      options.forEach(function (option, i) { option.setAttribute("aria-selected", String(i === index)); });
      event.preventDefault();
    } else if ((event.key === "Enter" || event.key === "Tab") && current) {
      insertMention(textarea, current.dataset.mention);
      event.preventDefault();
    } else if (event.key === "Escape") {
      closeMentions(textarea);
      event.preventDefault();
    }
  });

  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest(".mention-options [data-mention]");
    if (!option) return;
    var textarea = option.closest(".mention-box").querySelector("textarea[data-mentions]");
    event.preventDefault(); // keep the caret in the text box
    insertMention(textarea, option.dataset.mention);
  });
  // Queue: tick claims for the bulk bar; shift-click ticks the range since the last one ticked.
  var lastTicked = null;

  function rowBoxes() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-keynav] input[data-select-row]"));
  }

  function updateBulkBar() {
    var boxes = rowBoxes();
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    boxes.forEach(function (box) { box.closest("tr").classList.toggle("is-selected", box.checked); });
    var count = document.querySelector("[data-bulk-count]");
    if (count) count.textContent = ticked ? ticked + (ticked === 1 ? " claim selected" : " claims selected") : "No claims selected";
    var bar = document.getElementById("bulk-form");
    if (bar) bar.classList.toggle("has-selection", ticked > 0);
    var all = document.querySelector("[data-keynav] input[data-select-page]");
    if (all) {
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    var button = document.querySelector("[data-select-page-button]");
    if (button) button.hidden = !boxes.length || ticked === boxes.length;
  }

  function tickAll(on) {
    rowBoxes().forEach(function (box) { box.checked = on; });
    updateBulkBar();
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    var box = event.target.closest("input[data-select-row]");
    if (box) {
      var boxes = rowBoxes();
      if (event.shiftKey && lastTicked && lastTicked !== box && boxes.indexOf(lastTicked) !== -1) {
        var from = boxes.indexOf(lastTicked), to = boxes.indexOf(box);
        boxes.slice(Math.min(from, to), Math.max(from, to) + 1).forEach(function (other) {
          other.checked = box.checked;
        });
      }
      lastTicked = box;
      updateBulkBar();
      return;
    }
    var all = event.target.closest("input[data-select-page]");
    if (all) { tickAll(all.checked); return; }
    if (event.target.closest("[data-select-page-button]")) tickAll(true);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "queue-results") lastTicked = null;
    updateBulkBar();
  });
  document.addEventListener("DOMContentLoaded", updateBulkBar);
})();
