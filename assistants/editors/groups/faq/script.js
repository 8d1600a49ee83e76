// FAQ editor: search and filter the rows. (Approve is a toggle button, a repeated question and
// an approval without an answer are flagged by the server as they are typed: fields.html,
// partial "live"; the rows themselves are static/js/formset.js's.) Rows hidden by the search
// get their own class: formset.js counts rows hidden with d-none as removed, and a row the
// search hides is still very much there.
(function () {
  "use strict";

  function applySearch(editor) {
    var search = editor.querySelector("[data-faq-search]");
    var onlyPending = editor.querySelector("[data-faq-only-pending]");
    var words = (search ? search.value : "").toLowerCase().split(/\s+/).filter(Boolean);
    var rows = Array.prototype.filter.call(editor.querySelectorAll("[data-formset-row]"), function (row) {
      return !row.classList.contains("d-none") && !row.closest("template");
    });
    var shown = 0;
    rows.forEach(function (row) {
      var typed = Array.prototype.map.call(row.querySelectorAll('[name$="-question"], [name$="-answer"]'), function (field) {
        return field.value;
      });
      var haystack = typed.join(" ").toLowerCase();
      var match = words.every(function (word) { return haystack.indexOf(word) !== -1; }) &&
        !(onlyPending && onlyPending.checked && !row.classList.contains("faq-row-pending"));
      row.classList.toggle("faq-search-miss", !match);
      if (match) shown += 1;
    });
    var filtering = words.length > 0 || (onlyPending && onlyPending.checked);
    var count = editor.querySelector("[data-faq-search-count]");
    if (count) count.textContent = filtering ? "Showing " + shown + " of " + rows.length : rows.length + " question" + (rows.length === 1 ? "" : "s");
    var noMatch = editor.querySelector("[data-faq-no-match]");
    if (noMatch) noMatch.classList.toggle("d-none", !(filtering && shown === 0 && rows.length > 0));
  }

  function bind(editor) {
    if (editor.dataset.faqBound) return;
    editor.dataset.faqBound = "1";
    editor.addEventListener("input", function (event) {
      if (event.target.matches("[data-faq-search]")) applySearch(editor);
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
