// Sounds editor: each slider shows its level in percent as it moves, and a sound's settings
// fold away while that sound is off (they are still sent, unchanged).
(function () {
  "use strict";

  function bindLevel(output) {
    if (output.dataset.levelBound) return;
    output.dataset.levelBound = "1";
    var slider = document.getElementById(output.getAttribute("data-level-for"));
    if (!slider) return;
    var suffix = output.getAttribute("data-suffix") || "";
    function update() {
      var value = parseFloat(slider.value);
      output.textContent = isNaN(value) ? "" : Math.round(value * 100) + "%" + suffix;
    }
    slider.addEventListener("input", update);
    update();
  }

  function bindSection(section) {
    if (section.dataset.soundBound) return;
    section.dataset.soundBound = "1";
    var toggle = section.querySelector("input[type=checkbox], select");
    var detail = section.querySelector("[data-sound-detail]");
    function update() {
      var on = toggle.type === "checkbox" ? toggle.checked : toggle.value !== "";
      // A setting with an error stays in view, so the user can see what to fix.
      detail.classList.toggle("d-none", !on && !detail.querySelector(".invalid-feedback"));
    }
    toggle.addEventListener("change", update);
    update();
  }

  htmx.onLoad(function (root) {
    root.querySelectorAll("output[data-level-for]").forEach(bindLevel);
    root.querySelectorAll("[data-sound-section]").forEach(bindSection);
  });
})();
