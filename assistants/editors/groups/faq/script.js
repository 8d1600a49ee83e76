// FAQ editor: search and filter the rows, approve or answer the AI's suggestions. (A repeated
// question is flagged by the server as it is typed: fields.html, partial "live".) The rows themselves (add, remove, reorder) are static/js/formset.js's job.
// Rows hidden by the search get their own class: formset.js counts rows hidden with d-none as
// removed, and a row the search hides is still very much there.
(function () {
  "use strict";

  function questionKey(value) {
    return value.trim().replace(/\s+/g, " ").toLowerCase();
  }

  function liveRows(editor) {
    return Array.prototype.filter.call(editor.querySelectorAll("[data-formset-row]"), function (row) {
      return !row.classList.contains("d-none") && !row.closest("template");
    });
  }

  function field(row, suffix) {
    return row.querySelector('[name$="-' + suffix + '"]');
  }

  function applySearch(editor) {
    var search = editor.querySelector("[data-faq-search]");
    var onlyPending = editor.querySelector("[data-faq-only-pending]");
    var words = questionKey(search ? search.value : "").split(" ").filter(Boolean);
    var rows = liveRows(editor);
    var shown = 0;
    rows.forEach(function (row) {
      var question = field(row, "question"), answer = field(row, "answer");
      var haystack = ((question ? question.value : "") + " " + (answer ? answer.value : "")).toLowerCase();
      var match = words.every(function (word) { return haystack.indexOf(word) !== -1; });
      if (onlyPending && onlyPending.checked && !row.classList.contains("faq-row-pending")) match = false;
      row.classList.toggle("faq-search-miss", !match);
      if (match) shown += 1;
    });
    var filtering = words.length > 0 || (onlyPending && onlyPending.checked);
    var count = editor.querySelector("[data-faq-search-count]");
    if (count) count.textContent = filtering ? "Showing " + shown + " of " + rows.length : rows.length + " question" + (rows.length === 1 ? "" : "s");
    var noMatch = editor.querySelector("[data-faq-no-match]");
    if (noMatch) noMatch.classList.toggle("d-none", !(filtering && shown === 0 && rows.length > 0));
  }

  function setApproved(row, approved) {
    var box = field(row, "approve");
    if (box) box.checked = approved;
    row.classList.toggle("faq-row-approved", approved);
    var label = row.querySelector("[data-faq-approve-label]");
    if (label) label.textContent = approved ? "Undo approval" : "Approve";
  }

  function showAnswerError(row, message) {
    var answer = field(row, "answer");
    if (!answer) return;
    var feedback = row.querySelector("[data-faq-answer-error]");
    if (!feedback) {
      feedback = document.createElement("div");
      feedback.className = "invalid-feedback d-block";
      feedback.setAttribute("data-faq-answer-error", "");
      answer.insertAdjacentElement("afterend", feedback);
    }
    feedback.textContent = message;
    answer.classList.toggle("is-invalid", Boolean(message));
  }

  function bind(editor) {
    if (editor.dataset.faqBound) return;
    editor.dataset.faqBound = "1";
    editor.querySelectorAll("[data-faq-row]").forEach(function (row) {
      var box = field(row, "approve");
      if (box && box.checked) setApproved(row, true);
    });

    editor.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var row = button.closest("[data-faq-row]");
      if (!row) return;
      var answer = field(row, "answer");
      if (button.hasAttribute("data-faq-approve")) {
        event.preventDefault();
        var approved = row.classList.contains("faq-row-approved");
        if (!approved && answer && !answer.value.trim()) {
          showAnswerError(row, "Write an answer before approving this suggestion.");
          answer.focus();
          return;
        }
        showAnswerError(row, "");
        setApproved(row, !approved);
      } else if (button.hasAttribute("data-faq-answer")) {
        event.preventDefault();
        if (answer) {
          answer.focus();
          answer.setSelectionRange(answer.value.length, answer.value.length);
        }
      }
    });
    editor.addEventListener("input", function (event) {
      if (event.target.matches("[data-faq-search]")) applySearch(editor);
      if (event.target.matches('[name$="-answer"]') && event.target.value.trim()) {
        var row = event.target.closest("[data-faq-row]");
        if (row) showAnswerError(row, "");
      }
    });
    editor.addEventListener("change", function (event) {
      if (event.target.matches("[data-faq-only-pending]")) applySearch(editor);
    });
    // Rows added, removed or moved.
    editor.addEventListener("formset:changed", function () { applySearch(editor); });
    applySearch(editor);
  }

  htmx.onLoad(function (root) {
    if (root.matches && root.matches("[data-faq-editor]")) bind(root);
    root.querySelectorAll("[data-faq-editor]").forEach(bind);
  });
})();
