// Data to extract: the variables listed under the extraction prompt insert themselves at the
// cursor. (Variables Revox can't fill in are pointed out by the server as the prompt is typed.)
htmx.onLoad(function (root) {
  root.querySelectorAll("[data-prompt-variables]:not([data-bound])").forEach(function (box) {
    box.dataset.bound = "1";
    var textarea = document.getElementById(box.getAttribute("data-for"));
    if (!textarea) return;
    box.addEventListener("click", function (event) {
      var button = event.target.closest("[data-variable]");
      if (!button || textarea.disabled || textarea.closest("fieldset[disabled]")) return;
      var text = "{{" + button.getAttribute("data-variable") + "}}";
      textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, "end");
      textarea.focus();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });
});
