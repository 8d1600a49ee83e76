// Sounds editor: each slider shows its level in percent as it moves. (A sound's settings fold
// away while it is off: style.css.)
htmx.onLoad(function (root) {
  root.querySelectorAll("output[data-level-for]:not([data-bound])").forEach(function (output) {
    output.dataset.bound = "1";
    var slider = document.getElementById(output.getAttribute("data-level-for"));
    var suffix = output.getAttribute("data-suffix") || "";
    if (!slider) return;
    var update = function () {
      var value = parseFloat(slider.value);
      output.textContent = isNaN(value) ? "" : Math.round(value * 100) + "%" + suffix;
    };
    slider.addEventListener("input", update);
    update();
  });
});
