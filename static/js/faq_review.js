// The FAQ review queue: keyboard review (j/k/a/e/d/s/x/?), selection with shift-click ranges and
// "all N matching", and bulk actions started as background jobs (their progress card polls itself).
// Without this script the page still works: every button is an ordinary form submission.
(function () {
  "use strict";

  var currentKey = null;
  var lastClicked = null;
  var reselect = null; // keys to select again once the queue is reloaded (failed rows)

  function queue() { return document.querySelector("[data-faq-queue]"); }
  function rows() { var q = queue(); return q ? Array.prototype.slice.call(q.querySelectorAll("[data-faq-key]")) : []; }
  function openRows() { return rows().filter(function (row) { return !row.hasAttribute("data-faq-done"); }); }
  function boxes() { return Array.prototype.slice.call(document.querySelectorAll("[data-faq-select]")); }
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
    if (at === all.length - 1 && step > 0 && goToPage(document.querySelector("[data-faq-next]"), "first")) return;
    if (at === 0 && step < 0 && goToPage(document.querySelector('[data-faq-pager] [rel="prev"]'), "last")) return;
    var next = at === -1 ? all[0] : all[Math.max(0, Math.min(all.length - 1, at + step))];
    setCurrent(next, true);
  }

  // -- pages ----------------------------------------------------------------------------------

  var landing = null; // "first" or "last": where the cursor goes on the page being loaded

  function pageStart() { var q = queue(); return q ? parseInt(q.dataset.pageStart, 10) || 0 : 0; }
  function pageSize() { var q = queue(); return q ? parseInt(q.dataset.pageSize, 10) || 20 : 20; }

  // Rows acted on that no longer match the filter (approved while showing "waiting", deleted)
  // have left the queue: every later item moved up by that many places.
  function leftCount() { return rows().filter(function (row) { return row.hasAttribute("data-faq-left"); }).length; }

  function pageUrl(start) {
    var url = new URL(window.location.href);
    url.searchParams.delete("page");
    url.searchParams.delete("start");
    if (start % pageSize() === 0) { if (start > 0) url.searchParams.set("page", String(start / pageSize() + 1)); }
    else url.searchParams.set("start", String(start));
    return url.pathname + url.search;
  }

  // Load the page a pager link points to, corrected for the items that left this page, with
  // the cursor on its first or last row. False when there is no such link.
  function goToPage(link, land) {
    if (!link || !window.htmx) return false;
    var target = parseInt(link.getAttribute("data-faq-page"), 10) || 0;
    if (target > pageStart()) target = Math.max(pageStart(), target - leftCount());
    var url = pageUrl(target);
    landing = land || null;
    window.htmx.ajax("GET", url, { target: "#faq-results", swap: "innerHTML" }).then(function () {
      window.history.pushState({ htmx: true }, "", url);
    });
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
    var checked = all.filter(function (b) { return b.checked; });
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

  function setNavTotal(pending) {
    // app.js keeps the navigation's badge, on every page.
    document.dispatchEvent(new CustomEvent("faq:total", { detail: { pending: pending } }));
  }

  function reloadQueue(keep) {
    reselect = keep;
    if (window.htmx) window.htmx.ajax("GET", window.location.href, { target: "#faq-results", swap: "innerHTML" });
  }

  // The server starts the job and answers with its card (jobs/_card.html), which asks for its
  // own progress until the job is done; closing the page does not stop the job.
  function startJob(form, submitter, extra) {
    var data = new FormData(form, submitter);
    (extra || []).forEach(function (pair) { data.append(pair[0], pair[1]); });
    var buttons = document.querySelectorAll("[data-bulk-action], [data-progress-submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    var report = document.getElementById("bulk-report");
    // getAttribute: the buttons named "action" shadow form.action.
    fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (!report) return;
        var old = report.querySelector("#bulk-nothing-selected");
        if (old) old.remove();
        report.insertAdjacentHTML("afterbegin", html);
        // The navigation's job count came along out of band: put it in place.
        var badge = report.querySelector("#nav-jobs-count");
        var navBadge = document.getElementById("nav-jobs-count");
        if (badge && navBadge) { badge.removeAttribute("hx-swap-oob"); navBadge.replaceWith(badge); }
        if (window.htmx) window.htmx.process(report.firstElementChild || report);
        if (badge && window.htmx) window.htmx.process(badge);
        var preview = document.getElementById("import-preview");
        if (preview && form.hasAttribute("data-progress-form")) preview.remove();
      })
      .catch(function () {
        document.dispatchEvent(new CustomEvent("revox:toast", { detail: { level: "danger", message: "The action could not be started. Reload the page: if it did start, it shows there and on Jobs; running it again never applies anything twice." } }));
      })
      .then(function () { buttons.forEach(function (b) { b.disabled = false; }); updateSelection(); });
  }

  // A job's card says when its job has finished: bring the queue and the badge up to date,
  // keeping ticked the items that were not done.
  document.addEventListener("jobs:finished", function (event) {
    var detail = event.detail || {};
    if (detail.kind !== "faq_review.bulk") return;
    if (typeof detail.pending === "number") setNavTotal(detail.pending);
    if (document.getElementById("faq-results")) reloadQueue(detail.failed_keys || []);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-bulk-form], [data-progress-form]") || !window.fetch) return;
    var submitter = event.submitter;
    event.preventDefault();
    if (form.hasAttribute("data-bulk-form")) {
      var scope = scopeInput();
      var checked = boxes().filter(function (b) { return b.checked; });
      var count = scope && scope.value === "filter" ? matchingTotal() : checked.length;
      if (submitter && submitter.value === "delete" && !submitter.dataset.armed) {
        arm(submitter, "Click again to delete " + count);
        return;
      }
      if (submitter) disarm(submitter);
      // Approve what the page shows: an answer typed into a selected row is the one approved.
      var extra = [];
      checked.forEach(function (box) {
        var row = box.closest("[data-faq-key]");
        var answer = row && row.querySelector("[data-faq-answer]");
        if (answer) extra.push(["answer:" + box.value, answer.value]);
      });
      startJob(form, submitter, extra);
    } else {
      startJob(form, submitter, []);
    }
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
    if (event.target.closest("[data-faq-help]")) { showHelp(); return; }
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
    // Only in the reloaded results: not in a job's card or the badge it brings along.
    if (reselect && root.closest && root.closest("#faq-results")) {
      var keep = reselect;
      reselect = null;
      boxes().forEach(function (b) { b.checked = keep.indexOf(b.value) !== -1; });
    }
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

  // A pager link clicked after some rows of this page left the queue: the later pages moved
  // up, so the link is corrected before htmx follows it (capture: this runs first).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-faq-pager] a[data-faq-page]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    var target = parseInt(link.getAttribute("data-faq-page"), 10) || 0;
    if (!leftCount() || target <= pageStart()) return;
    event.preventDefault();
    event.stopPropagation();
    goToPage(link, "first");
  }, true);

})();
