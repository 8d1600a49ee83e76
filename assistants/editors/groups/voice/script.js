// Voice editor: live search and filters over the voice cards, the provider switch, and
// sliders that show their value. Without this script the page still works: every voice shows,
// grouped by provider, and the server checks the speed against the provider's range. "Listen"
// is a submit button of the form: the server answers with the editor and its player.
(function () {
  "use strict";

  function bind(editor) {
    if (editor.dataset.bound) return;
    editor.dataset.bound = "1";
    var form = editor.closest("form");
    var ranges = JSON.parse(editor.getAttribute("data-speed-ranges") || "{}");
    var filters = editor.querySelector("[data-voice-filters]");
    var search = editor.querySelector("[data-voice-search]");
    var language = editor.querySelector("[data-voice-language]");
    var gender = editor.querySelector("[data-voice-gender]");
    var chosenLabel = editor.querySelector("[data-voice-chosen]");
    var noneNote = editor.querySelector("[data-voice-none]");
    var customBox = editor.querySelector("[data-voice-custom-box]");
    var customInput = customBox && customBox.querySelector("input");
    var customRadio = editor.querySelector('input[type=radio][value="custom"]');
    var cartesiaOnly = form.querySelector("[data-cartesia-only]");
    var speed = form.querySelector('input[name="speed"]');
    var lastChosen = {};  // provider -> the voice picked before switching away from it

    if (filters) filters.hidden = false;

    function provider() {
      var checked = editor.querySelector("[data-voice-provider] input:checked");
      return checked ? checked.value : "";
    }
    function voiceRadios() {
      return Array.prototype.slice.call(editor.querySelectorAll('input[type=radio][name="voice"]'));
    }
    function checkedVoice() {
      return voiceRadios().filter(function (r) { return r.checked; })[0] || null;
    }

    function applyFilters() {
      var current = provider();
      var terms = (search ? search.value : "").toLowerCase().split(/\s+/).filter(Boolean);
      var lang = language ? language.value : "";
      var sex = gender ? gender.value : "";
      var shown = 0;
      editor.querySelectorAll("[data-voice-group]").forEach(function (group) {
        var inGroup = 0;
        group.querySelectorAll("[data-voice-option]").forEach(function (card) {
          var text = card.getAttribute("data-search") || "";
          var visible = card.getAttribute("data-provider") === current &&
            (!lang || card.getAttribute("data-language") === lang) &&
            (!sex || card.getAttribute("data-gender") === sex) &&
            terms.every(function (t) { return text.indexOf(t) !== -1; });
          card.hidden = !visible;
          if (visible) inGroup += 1;
        });
        group.hidden = inGroup === 0;
        shown += inGroup;
      });
      if (noneNote) noneNote.hidden = shown > 0;
    }

    function showValue(slider) {
      var output = form.querySelector('[data-slider-output="' + slider.id + '"]');
      if (output) output.textContent = Number(slider.value).toFixed(2) + "×";
    }

    // A typed id Revox named (GET /voices/{id}) keeps its name while it is the id typed.
    function customLabel() {
      var typed = customInput ? customInput.value.trim() : "";
      var known = customBox && customBox.getAttribute("data-known-name");
      var note = editor.querySelector("#voice-looked-up");
      var same = !!known && typed === customBox.getAttribute("data-known-id");
      if (note) note.hidden = !same;
      if (!typed) return "A voice id you type";
      return same ? known + " (voice id " + typed + ")" : "Voice id " + typed;
    }

    function refreshChoice() {
      var radio = checkedVoice();
      var value = radio ? radio.value : "";
      if (chosenLabel) {
        if (!radio) chosenLabel.textContent = "None yet: pick a voice";
        else if (value === "default") chosenLabel.textContent = "Revox default voice";
        else if (value === "custom") chosenLabel.textContent = customLabel();
        else chosenLabel.textContent = radio.closest("[data-voice-option]").getAttribute("data-label");
      }
    }

    function applyProvider(previous) {
      var current = provider();
      var radio = checkedVoice();
      // A catalogue voice of another provider can't stay chosen: remember it for the way back.
      if (radio && radio.value.indexOf(":") !== -1) {
        var owner = radio.value.split(":")[0];
        if (owner !== current) {
          lastChosen[owner] = radio.value;
          radio.checked = false;
        }
      }
      if (previous !== current && !checkedVoice() && lastChosen[current]) {
        var back = voiceRadios().filter(function (r) { return r.value === lastChosen[current]; })[0];
        if (back) back.checked = true;
      }
      var range = ranges[current];
      if (speed && range) {
        speed.min = range[0];
        speed.max = range[1];
        var min = form.querySelector("[data-speed-min]"), max = form.querySelector("[data-speed-max]");
        if (min) min.textContent = range[0];
        if (max) max.textContent = range[1];
        showValue(speed);
      }
      if (cartesiaOnly) cartesiaOnly.hidden = current !== "cartesia";
      applyFilters();
      refreshChoice();
    }

    var shownProvider = provider();
    editor.querySelector("[data-voice-provider]").addEventListener("change", function () {
      var previous = shownProvider;
      shownProvider = provider();
      applyProvider(previous);
    });
    [search, language, gender].forEach(function (control) {
      if (control) control.addEventListener("input", applyFilters);
    });
    // Enter in the search box would submit the whole form.
    if (search) search.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
    editor.addEventListener("change", function (e) {
      if (e.target.name === "voice") refreshChoice();
    });
    if (customInput) customInput.addEventListener("input", function () {
      if (customRadio) customRadio.checked = true;
      refreshChoice();
    });
    form.querySelectorAll('input[type=range]').forEach(function (slider) {
      slider.addEventListener("input", function () { showValue(slider); });
      showValue(slider);
    });
    applyProvider(shownProvider);
    // Enter in the text to listen to listens, instead of saving the whole form.
    var listenText = form.querySelector("[data-preview-text]");
    if (listenText) listenText.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); form.querySelector("[data-voice-listen]").click(); }
    });
    // Open the list where the chosen voice is, without scrolling the page itself.
    var list = editor.querySelector("[data-voice-list]");
    var chosen = list && list.querySelector('.voice-option:has(input[name="voice"]:checked)');
    if (chosen) list.scrollTop = Math.max(0, chosen.offsetTop - 40);
  }

  htmx.onLoad(function (root) {
    root.querySelectorAll("[data-voice-editor]").forEach(bind);
  });
})();
