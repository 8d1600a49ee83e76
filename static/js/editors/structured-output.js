// Data to extract: the variables listed under the extraction prompt insert themselves at the
// cursor, and variables Revox can't fill in are pointed out as they are typed (the server
// refuses them too: see assistants/editors/forms/structured_output.py).
(function () {
  "use strict";

  var VARIABLE = /\{\{(.*?)\}\}/g;

  function bind(box) {
    if (box.dataset.bound) return;
    box.dataset.bound = "1";
    var textarea = document.getElementById(box.getAttribute("data-for"));
    var warning = box.querySelector("[data-unknown-variables]");
    if (!textarea) return;
    var known = Array.prototype.map.call(box.querySelectorAll("[data-variable]"), function (b) {
      return b.getAttribute("data-variable");
    });

    function check() {
      var unknown = [];
      var match;
      VARIABLE.lastIndex = 0;
      while ((match = VARIABLE.exec(textarea.value)) !== null) {
        if (known.indexOf(match[1]) < 0 && unknown.indexOf(match[0]) < 0) unknown.push(match[0]);
      }
      warning.textContent = unknown.length
        ? unknown.join(", ") + " can't be filled in: only the variables above are available."
        : "";
      warning.classList.toggle("d-none", unknown.length === 0);
    }

    box.addEventListener("click", function (event) {
      var button = event.target.closest("[data-variable]");
      if (!button || textarea.disabled || textarea.closest("fieldset[disabled]")) return;
      var text = "{{" + button.getAttribute("data-variable") + "}}";
      var start = textarea.selectionStart, end = textarea.selectionEnd;
      textarea.setRangeText(text, start, end, "end");
      textarea.focus();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    });
    textarea.addEventListener("input", check);
    check();
  }

  document.addEventListener("revox:init", function (event) {
    event.detail.root.querySelectorAll("[data-prompt-variables]").forEach(bind);
  });
})();
