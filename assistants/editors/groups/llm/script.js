// Language model editor: show only the section of the kind chosen. Without this script every
// section shows and the server reads the chosen kind's fields only.
(function () {
  "use strict";

  function bind(editor) {
    if (editor.dataset.bound) return;
    editor.dataset.bound = "1";
    var kinds = editor.querySelector("[data-llm-kinds]");
    var note = editor.querySelector("[data-llm-nojs-note]");
    if (note) note.hidden = true;

    function update() {
      var checked = kinds.querySelector("input:checked");
      var kind = checked ? checked.value : "";
      editor.querySelectorAll("[data-llm-section]").forEach(function (section) {
        section.hidden = section.getAttribute("data-llm-section") !== kind;
      });
    }
    kinds.addEventListener("change", function () {
      update();
      // Bring the first field of the newly shown section under the user's hand.
      var shown = editor.querySelector("[data-llm-section]:not([hidden]) input:not([type=hidden]), [data-llm-section]:not([hidden]) select");
      if (shown) shown.focus({ preventScroll: true });
    });
    update();
  }

  htmx.onLoad(function (root) {
    root.querySelectorAll("[data-llm-editor]").forEach(bind);
  });
})();
