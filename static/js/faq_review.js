// The FAQ review queue: keyboard review (j/k/a/e/d/s/x/?), selection with shift-click ranges and
// "all N matching", and bulk actions started as background jobs (their progress card polls itself).
// Without this script the page still works: every button is an ordinary form submission.
(function () {
  "use strict";

  var currentKey = null;
  var lastClicked = null;

  function queue() { return document.querySelector("[data-faq-queue]"); }
  function rows() { var q = queue(); return q ? Array.prototype.slice.call(q.querySelectorAll("[data-faq-key]")) : []; }
  function openRows() { return rows().filter(function (row) { return !row.hasAttribute("data-faq-done"); }); }
  function boxes() { return Array.prototype.slice.call(document.querySelectorAll("[data-faq-select]")); }
  function checkedBoxes() { return boxes().filter(function (b) { return b.checked; }); }
  function currentRow() {
    return rows().filter(function (row) { return row.getAttribute("data-faq-key") === currentKey; })[0] || null;
  }

  function setCurrent(row, focus) {
    rows().forEach(function (r) { r.classList.remove("is-current"); r.classList.remove("confirm-delete"); });
    if (!row) { currentKey = null; return; }
    currentKey = row.getAttribute("data-faq-key");
    row.classList.add("is-current");
    row.setAttribute("tabindex", "-1");
    if (focus) {
      row.focus({ preventScroll: true });
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var at = all.indexOf(currentRow());
    // Past either end of the page: on to the next (or previous) page, if there is one.
    if (at === all.length - 1 && step > 0 && goToPage(document.querySelector('[data-faq-pager] [rel="next"]'), "first")) return;
    if (at === 0 && step < 0 && goToPage(document.querySelector('[data-faq-pager] [rel="prev"]'), "last")) return;
    var next = at === -1 ? all[0] : all[Math.max(0, Math.min(all.length - 1, at + step))];
    setCurrent(next, true);
  }

  // -- pages ----------------------------------------------------------------------------------

  var landing = null; // "first" or "last": where the cursor goes on the page being loaded

  // Follow a pager link (the server corrects it for the rows that left this page), with the
  // cursor on the new page's first or last row. False when there is no such link.
  function goToPage(link, land) {
    if (!link) return false;
    landing = land;
    link.click();
    return true;
  }

  // -- selection ------------------------------------------------------------------------------

  function matchingTotal() {
    var count = document.getElementById("faq-result-count");
    return count ? parseInt(count.dataset.total, 10) || 0 : 0;
  }

  function scopeInput() { return document.querySelector("[data-bulk-scope]"); }

  function updateSelection() {
    var all = boxes();
    var checked = checkedBoxes();
    all.forEach(function (b) { var row = b.closest("[data-faq-key]"); if (row) row.classList.toggle("is-selected", b.checked); });
    var scope = scopeInput();
    var wholeFilter = scope && scope.value === "filter";
    var total = matchingTotal();
    var count = document.querySelector("[data-bulk-count]");
    if (count) {
      if (!count.dataset.idle) count.dataset.idle = count.innerHTML;  // the hint, with its <kbd>
      if (wholeFilter) count.textContent = "All " + total.toLocaleString() + " items matching this filter are selected, on every page.";
      else if (checked.length) count.textContent = checked.length + " selected";
      else count.innerHTML = count.dataset.idle;
    }
    var totalLabel = document.querySelector("[data-bulk-total]");
    if (totalLabel) totalLabel.textContent = total.toLocaleString();
    var pageBox = document.querySelector("[data-faq-select-page]");
    if (pageBox) {
      pageBox.checked = all.length > 0 && checked.length === all.length;
      pageBox.indeterminate = checked.length > 0 && checked.length < all.length;
    }
    var selectAll = document.querySelector("[data-bulk-select-all]");
    if (selectAll) {
      var offer = !wholeFilter && all.length > 0 && checked.length === all.length && total > all.length;
      selectAll.classList.toggle("d-none", !offer);
    }
    document.querySelectorAll("[data-bulk-action]").forEach(function (button) {
      button.disabled = !wholeFilter && checked.length === 0;
      if (button.dataset.armed) disarm(button);
    });
  }

  function clearScope() { var scope = scopeInput(); if (scope) scope.value = ""; }

  function onBoxClick(box, shift) {
    var all = boxes();
    if (shift && lastClicked && all.indexOf(lastClicked) !== -1) {
      var from = all.indexOf(lastClicked), to = all.indexOf(box);
      var lo = Math.min(from, to), hi = Math.max(from, to);
      for (var i = lo; i <= hi; i++) all[i].checked = box.checked;
    }
    lastClicked = box;
    if (!box.checked) clearScope();
    updateSelection();
  }

  // -- Approve and Save answer wait for an answer -----------------------------------------------

  // They publish what is in the box, so they stay disabled while it is blank (the server
  // refuses a blank one too, for pages without this script).
  function syncAnswerButtons(box) {
    var form = box.closest("form");
    if (!form) return;
    var blank = !box.value.trim();
    form.querySelectorAll("[data-faq-needs-answer]").forEach(function (button) {
      button.disabled = blank;
      button.title = blank ? "Write an answer first" : "";
    });
    var hint = form.querySelector("[data-faq-blank-hint]");
    if (hint) hint.hidden = !blank;
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-faq-answer]")) syncAnswerButtons(event.target);
  });

  // -- two-step confirmation for destructive buttons -------------------------------------------

  function arm(button, label) {
    button.dataset.armed = "1";
    var text = button.querySelector("[data-faq-delete-label]") || button;
    button.dataset.label = text.innerHTML;
    text.textContent = label;
    button.classList.add("btn-danger");
    button.classList.remove("btn-outline-danger");
    var row = button.closest("[data-faq-key]");
    if (row) row.classList.add("confirm-delete");
    button._disarm = window.setTimeout(function () { disarm(button); }, 5000);
  }

  function disarm(button) {
    if (!button.dataset.armed) return;
    delete button.dataset.armed;
    window.clearTimeout(button._disarm);
    var text = button.querySelector("[data-faq-delete-label]") || button;
    text.innerHTML = button.dataset.label;
    button.classList.remove("btn-danger");
    button.classList.add("btn-outline-danger");
    var row = button.closest("[data-faq-key]");
    if (row) row.classList.remove("confirm-delete");
  }

  // -- bulk actions: a background job whose card polls itself ---------------------------------

  // A job's card says when its job has finished (the navigation's count came with it): bring the
  // queue up to date. Asked with the job's id, it comes back with the items not done ticked.
  document.addEventListener("jobs:finished", function (event) {
    var detail = event.detail || {};
    if (detail.kind !== "faq_review.bulk") return;
    if (!document.getElementById("faq-results")) return;
    htmx.ajax("GET", window.location.href, { target: "#faq-results", swap: "innerHTML", values: { job: detail.id } });
  });

  // The bulk form is sent by htmx (the server answers with the job's card, which polls itself).
  // Delete asks for a second click first.
  document.addEventListener("htmx:confirm", function (event) {
    var submitter = event.detail.triggeringEvent && event.detail.triggeringEvent.submitter;
    if (!event.detail.elt.matches("[data-bulk-form]") || !submitter) return;
    if (submitter.value === "delete" && !submitter.dataset.armed) {
      event.preventDefault();
      var scope = scopeInput();
      var count = scope && scope.value === "filter" ? matchingTotal() : checkedBoxes().length;
      arm(submitter, "Click again to delete " + count);
    } else {
      disarm(submitter);
    }
  });

  // Approve what the page shows: an answer typed into a selected row is the one approved.
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt.matches("[data-bulk-form]")) return;
    checkedBoxes().forEach(function (box) {
      var answer = box.closest("[data-faq-key]").querySelector("[data-faq-answer]");
      if (answer) event.detail.parameters["answer:" + box.value] = answer.value;
    });
  });

  // -- clicks ----------------------------------------------------------------------------------

  document.addEventListener("click", function (event) {
    var box = event.target.closest("[data-faq-select]");
    if (box) { onBoxClick(box, event.shiftKey); return; }
    var pageBox = event.target.closest("[data-faq-select-page]");
    if (pageBox) {
      boxes().forEach(function (b) { b.checked = pageBox.checked; });
      if (!pageBox.checked) clearScope();
      updateSelection();
      return;
    }
    if (event.target.closest("[data-bulk-select-all]")) {
      var scope = scopeInput();
      if (scope) scope.value = "filter";
      boxes().forEach(function (b) { b.checked = true; });
      updateSelection();
      return;
    }
    var del = event.target.closest('[data-faq-action="delete"]');
    if (del && !del.dataset.armed) {
      event.preventDefault();
      arm(del, "Click again to delete");
      return;
    }
    var row = event.target.closest("[data-faq-key]");
    if (row && !event.target.closest("a")) setCurrent(row, false);
  });

  // -- keys ------------------------------------------------------------------------------------

  function showHelp() {
    var modal = document.getElementById("faq-keys");
    if (modal && window.bootstrap) window.bootstrap.Modal.getOrCreateInstance(modal).toggle();
  }

  function press(row, selector) {
    var button = row && row.querySelector(selector);
    if (button && !button.disabled) button.click();
    return Boolean(button);
  }

  function focusAnswer(row) {
    var answer = row && row.querySelector("[data-faq-answer]");
    if (answer) { answer.focus(); answer.setSelectionRange(answer.value.length, answer.value.length); }
    return Boolean(answer);
  }

  // A key that cannot act says why, in the page's polite live region, and moves nothing: the
  // focus stays where it was, so the next keys are not typed into a box.
  var statusTimer = null;
  function say(message) {
    var status = document.querySelector("[data-faq-key-status]");
    if (!status) return;
    window.clearTimeout(statusTimer);
    status.textContent = "";
    // Emptied first, then filled: the same sentence twice is announced twice.
    window.setTimeout(function () { status.textContent = message; }, 50);
    statusTimer = window.setTimeout(function () { status.textContent = ""; }, 8000);
  }

  function whyNot(row, key) {
    if (!row) return "No question is highlighted: press j to go to the first one.";
    if (row.hasAttribute("data-faq-done")) return "This question is done already: press j for the next one.";
    var box = row.querySelector("[data-faq-answer]");
    if (key === "a") {
      var approve = row.querySelector('[data-faq-action="approve"]');
      if (approve && approve.disabled) return "Nothing to approve yet: this question has no answer. Press e to write one.";
      if (!approve && box) return "Already answered: nothing to approve. Press e to change the answer.";
    }
    if (!box && (key === "a" || key === "e" || key === "d")) return "This question's answer can't be changed from here.";
    if (key === "s") return "Only questions waiting for review can be skipped for now.";
    if (key === "x") return "This question can't be ticked.";
    return "That key does nothing here.";
  }

  function act(row, key, selector) {
    var button = row && !row.hasAttribute("data-faq-done") && row.querySelector(selector);
    if (button && !button.disabled) { button.click(); return; }
    say(whyNot(row, key));
  }

  document.addEventListener("keydown", function (event) {
    if (!queue() && event.key !== "?") return;
    var target = event.target;
    var typing = target.matches && target.matches("input, textarea, select, [contenteditable]");
    if (typing) {
      var row = target.closest && target.closest("[data-faq-key]");
      if (row && target.matches("textarea") && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        press(row, '[data-faq-action="answer"]');
      } else if (row && event.key === "Escape") {
        target.blur();
        setCurrent(row, true);
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector(".modal.show") && event.key !== "?") return;
    var current = currentRow();
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "?": showHelp(); break;
      case "a": act(current, "a", '[data-faq-action="approve"]'); break;
      case "d": act(current, "d", '[data-faq-action="delete"]'); break;
      case "s": act(current, "s", '[data-faq-action="snooze"]'); break;
      case "e":
        if (!current || current.hasAttribute("data-faq-done") || !focusAnswer(current)) say(whyNot(current, "e"));
        break;
      case "x": act(current, "x", "[data-faq-select]"); break;
      case "Escape":
        document.querySelectorAll("[data-faq-action][data-armed]").forEach(disarm);
        return;
      default: return;
    }
    event.preventDefault();
  });

  // -- after swaps ----------------------------------------------------------------------------

  htmx.onLoad(function (root) {
    if (root.querySelectorAll) root.querySelectorAll("[data-faq-answer]").forEach(syncAnswerButtons);
    // A row acted on comes back in its "done" state: move on to the next open one.
    if (root.matches && root.matches("[data-faq-key]")) {
      if (root.getAttribute("data-faq-key") === currentKey) {
        if (root.hasAttribute("data-faq-done")) {
          var all = rows(), at = all.indexOf(root);
          var next = all.slice(at + 1).filter(function (r) { return !r.hasAttribute("data-faq-done"); })[0];
          setCurrent(next || root, true);
        } else {
          setCurrent(root, false);
        }
      }
      updateSelection();
      return;
    }
    if (!queue()) return;
    var newPage = root.matches && (root.matches("[data-faq-queue]") || root.querySelector("[data-faq-queue]"));
    if (newPage && landing) {
      var all = rows();
      setCurrent(landing === "last" ? all[all.length - 1] : (openRows()[0] || all[0]), true);
      landing = null;
    } else if (!currentRow()) {
      setCurrent(openRows()[0] || rows()[0] || null, false);
    }
    updateSelection();
  });
})();
