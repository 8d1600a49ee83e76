// Voice editor: live search and filters over the voice cards, the provider switch, and
// sliders that show their value. Without this script the page still works: every voice shows,
// grouped by provider, and the server checks the speed against the provider's range.
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
    var tuning = form.querySelector("[data-voice-tuning]");
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
      editor.querySelectorAll("[data-voice-option]").forEach(function (card) {
        var input = card.querySelector('input[type=radio][name="voice"]');
        card.classList.toggle("is-chosen", !!input && input.checked);
      });
      if (customBox) customBox.hidden = value !== "custom";
      if (tuning) tuning.hidden = value === "default";
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
    bindListen(editor, form, provider, checkedVoice, customInput);
    // Open the list where the chosen voice is, without scrolling the page itself.
    var list = editor.querySelector("[data-voice-list]");
    var chosen = list && list.querySelector(".voice-option.is-chosen");
    if (chosen) list.scrollTop = Math.max(0, chosen.offsetTop - 40);
  }

  // "Listen": the voice as the form sets it right now, played in place. The dashboard's
  // voices/preview/ URL is asked first (so a refusal can be said next to the button), then the
  // player reads the same URL, which the dashboard answers from its cache: one Revox call.
  function bindListen(editor, form, provider, checkedVoice, customInput) {
    var button = form.querySelector("[data-voice-listen]");
    var player = form.querySelector("[data-voice-player]");
    var text = form.querySelector("[data-preview-text]");
    var errorBox = form.querySelector("[data-preview-error]");
    var errorText = form.querySelector("[data-preview-error-text]");
    var spinner = form.querySelector("[data-listen-spinner]");
    var icon = form.querySelector("[data-listen-icon]");
    var baseUrl = editor.getAttribute("data-preview-url");
    if (!button || !player || !baseUrl) return;

    function showError(message) {
      errorText.textContent = message;
      errorBox.hidden = !message;
    }
    function busy(on) {
      button.disabled = on;
      spinner.hidden = !on;
      icon.hidden = on;
    }
    function query() {
      var radio = checkedVoice();
      if (!radio || radio.value === "default") return null;
      var params = new URLSearchParams();
      var chosenProvider, voiceId;
      if (radio.value === "custom") {
        chosenProvider = provider();
        voiceId = customInput ? customInput.value.trim() : "";
        if (!voiceId) return null;
      } else {
        var cut = radio.value.indexOf(":");
        chosenProvider = radio.value.slice(0, cut);
        voiceId = radio.value.slice(cut + 1);
      }
      params.set("provider", chosenProvider);
      params.set("voice_id", voiceId);
      params.set("text", text && text.value.trim() ? text.value.trim() : "");
      var speed = form.querySelector('input[name="speed"]');
      if (speed) params.set("speed", Number(speed.value).toFixed(2));
      if (chosenProvider === "cartesia") {
        var volume = form.querySelector('input[name="volume"]');
        var model = form.querySelector('select[name="model"]');
        if (volume) params.set("volume", Number(volume.value).toFixed(2));
        if (model && model.value) params.set("model", model.value);
      }
      return params;
    }

    button.addEventListener("click", function (event) {
      event.preventDefault();
      var params = query();
      if (!params) {
        showError("Pick a voice (or type its id) to listen to it.");
        return;
      }
      var url = baseUrl + "?" + params.toString();
      showError("");
      busy(true);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "audio/*, application/json" } })
        .then(function (response) {
          if (!response.ok) {
            return response.json().then(
              function (body) { showError(body.error || "The preview failed (" + response.status + ")."); },
              function () { showError("The preview failed (" + response.status + "). Try again."); }
            );
          }
          return response.arrayBuffer().then(function () {
            player.hidden = false;
            player.preload = "auto";
            player.src = url;
            player.load();
            var playing = player.play();
            if (playing && playing.catch) playing.catch(function () { /* autoplay refused: the controls are there */ });
          });
        })
        .catch(function () { showError("Can't reach the dashboard. Check your connection and try again."); })
        .then(function () { busy(false); });
    });
    // Enter in the text box listens instead of saving the whole form.
    if (text) text.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); button.click(); }
    });
  }

  htmx.onLoad(function (root) {
    root.querySelectorAll("[data-voice-editor]").forEach(bind);
  });
})();
