// Sounds editor: each slider shows its level in percent as it moves. (A sound's settings fold
// away while it is off: style.css.)
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

  htmx.onLoad(function (root) {
    root.querySelectorAll("output[data-level-for]").forEach(bindLevel);
  });
})();
