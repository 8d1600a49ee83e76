// General editor: the first sentence is meaningless when the assistant waits to be spoken to.
htmx.onLoad(function (root) {
  root.querySelectorAll("[data-first-sentence-mode]").forEach(function (fieldset) {
    var form = fieldset.closest("form");
    var box = form && form.querySelector("[data-first-sentence-box] textarea");
    if (!box || fieldset.dataset.bound) return;
    fieldset.dataset.bound = "1";
    function update() {
      var checked = fieldset.querySelector("input:checked");
      box.disabled = checked && checked.value === "none";
    }
    fieldset.addEventListener("change", update);
    update();
  });
});
