// Calling hours & retries. The week grid, the summary and each window's reading of its times
// come from the server as the plan is edited (fields.html, partial "preview"); this script
// only makes the time-zone list searchable and shows a time as the server read it once its
// box is left. (The rows are static/js/formset.js's.)
(function () {
  "use strict";

  function filterZones(search) {
    var select = search.parentNode.querySelector("[data-zone-select]");
    var query = search.value.trim().toLowerCase().replace(/[\s_/]+/g, " ");
    var first = null;
    select.querySelectorAll("optgroup").forEach(function (group) {
      var region = group.label.toLowerCase();
      var shown = 0;
      group.querySelectorAll("option").forEach(function (option) {
        var hay = (region + " " + option.value + " " + option.textContent).toLowerCase().replace(/[\s_/]+/g, " ");
        var match = !query || hay.indexOf(query) !== -1;
        option.hidden = !match;
        if (match) { shown++; if (!first) first = option; }
      });
      group.hidden = shown === 0;
    });
    // While searching, show the matches as an open list; pick the best one so Enter or Save
    // takes it.
    select.size = query ? 8 : 0;
    if (query && first) select.value = first.value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function bindZoneSearch(search) {
    search.hidden = false;
    search.addEventListener("input", function () { filterZones(search); });
    search.addEventListener("keydown", function (event) {
      // Enter picks the highlighted zone instead of submitting the form.
      if (event.key !== "Enter") return;
      event.preventDefault();
      var select = search.parentNode.querySelector("[data-zone-select]");
      var keep = select.value;
      search.value = "";
      filterZones(search);
      select.value = keep;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      select.focus();
    });
  }

  htmx.onLoad(function (root) {
    root.querySelectorAll("[data-zone-search]:not([data-bound])").forEach(function (search) {
      search.dataset.bound = "1";
      bindZoneSearch(search);
    });
    // A time the server read ('9am'), shown as it will be saved (09:00) unless still typed in.
    root.querySelectorAll("[data-time-shown]").forEach(function (hint) {
      var input = document.getElementById(hint.getAttribute("data-time-shown"));
      if (input && input !== document.activeElement) input.value = hint.getAttribute("data-value");
    });
  });
})();
