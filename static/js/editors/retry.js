// Calling hours & retries editor: reads typed times ("9am", "18h30") the way the server does,
// keeps the week grid and the plain-words summary current, and makes the time-zone list
// searchable.
//
// parseTime mirrors assistants/editors/timeparse.py; summary and week mirror assistants/editors/describe.py
// (retry_summary, retry_week): change them together. tests/e2e/test_editor_retry.py compares
// both sides.
(function () {
  "use strict";

  var TIME_HELP = "Write a time like 09:00, 9am or 6:30pm.";
  var AMBIGUOUS_HOUR = "Add am or pm (9am, 9pm), or write it as 24-hour time (09:00, 21:00).";
  var NO_2400 = "Times stop at 23:59: use 23:59 for the end of the day.";
  var DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
  var WORDS = { noon: 720, midday: 720, midnight: 0 };
  var CLOCK = /^(\d{1,2})(?:([:.h])(\d{2})?)?\s*([ap])?\.?\s*(?:m\.?)?$/;
  var COMPACT = /^(\d{2})(\d{2})$/;

  // -- times --------------------------------------------------------------------------------

  function clock(hour, minute) {
    if (hour === 24 && minute === 0) return { error: NO_2400 };
    if (hour > 23 || minute > 59) return { error: TIME_HELP };
    return { minutes: hour * 60 + minute };
  }

  // {minutes: n} or {error: "plain message"}
  function parseTime(value) {
    if (typeof value !== "string") return { error: TIME_HELP };
    var typed = value.trim().toLowerCase().split(/\s+/).join(" ");
    if (Object.prototype.hasOwnProperty.call(WORDS, typed)) return { minutes: WORDS[typed] };
    var compact = COMPACT.exec(typed);
    if (compact) return clock(parseInt(compact[1], 10), parseInt(compact[2], 10));
    var match = CLOCK.exec(typed);
    if (!match || (!match[4] && /[m.]$/.test(typed))) return { error: TIME_HELP };
    var hour = parseInt(match[1], 10);
    var sep = match[2], hasMinutes = match[3] !== undefined, half = match[4];
    if ((sep === ":" || sep === ".") && !hasMinutes) return { error: TIME_HELP };
    var minute = hasMinutes ? parseInt(match[3], 10) : 0;
    if (half) {
      if (sep === "h" || minute > 59) return { error: TIME_HELP };
      if (hour < 1 || hour > 12) return { error: hour + " isn't an hour on a 12-hour clock. " + TIME_HELP };
      return { minutes: ((hour % 12) + (half === "p" ? 12 : 0)) * 60 + minute };
    }
    if (!sep && hour >= 1 && hour <= 12) return { error: AMBIGUOUS_HOUR };
    return clock(hour, minute);
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function hhmm(minutes) { return pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60); }
  function minutesOrNull(value) { var r = parseTime(value); return r.error ? null : r.minutes; }

  // -- the plan in words and as a week (describe.retry_summary, describe.retry_week) ------------

  var DEFAULT_DELAY = 7200;
  var DEFAULT_PLAN = {
    calling_windows: [{ calling_window_start_time: "10:00", calling_window_end_time: "18:00", retry_delay_seconds: DEFAULT_DELAY }],
    max_retry_attempts: 3,
    allowed_days: DAYS.slice(0, 5),
    call_twice_in_a_row: false,
    timezone: null,
  };
  var DEFAULTS_SUMMARY = "Revox's defaults: up to 3 attempts, Mon–Fri, 10:00–18:00 in the callee's time zone, 2 h apart";

  function isNumber(v) { return typeof v === "number" && isFinite(v); }
  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  function duration(seconds) {
    if (!isNumber(seconds)) return "—";
    seconds = Math.trunc(seconds);
    var hours = Math.floor(seconds / 3600), rest = seconds % 3600;
    var minutes = Math.floor(rest / 60), secs = rest % 60;
    var parts = [hours ? hours + " h" : "", minutes ? minutes + " min" : ""];
    parts.push(secs || !(hours || minutes) ? secs + " s" : "");
    return parts.filter(Boolean).join(" ");
  }

  function short(day) { return day.charAt(0).toUpperCase() + day.slice(1, 3); }
  function title(day) { return day.charAt(0).toUpperCase() + day.slice(1); }

  function joinAnd(items) {
    if (!items.length) return "";
    return [items.slice(0, -1).join(", "), items[items.length - 1]].filter(Boolean).join(" and ");
  }

  function dayRuns(days) {
    var chosen = DAYS.map(function (d) { return days.indexOf(d) !== -1; });
    if (chosen.every(Boolean)) return ["every day"];
    if (!chosen.some(Boolean)) return ["no day"];
    var runs = [], start = null;
    chosen.concat([false]).forEach(function (on, index) {
      if (on && start === null) start = index;
      else if (!on && start !== null) {
        var end = index - 1;
        if (end - start >= 2) runs.push(short(DAYS[start]) + "–" + short(DAYS[end]));
        else for (var i = start; i <= end; i++) runs.push(short(DAYS[i]));
        start = null;
      }
    });
    return runs;
  }

  function timezoneLabel(name) {
    var parts = String(name).split("/");
    return parts[parts.length - 1].split("_").join(" ") + " time";
  }

  function clockText(value) {
    var minutes = minutesOrNull(value);
    if (minutes !== null) return hhmm(minutes);
    return typeof value === "string" ? value : "";
  }

  // Without a list, Revox's default window.
  function windowsOf(config) {
    var windows = Array.isArray(config.calling_windows) ? config.calling_windows : DEFAULT_PLAN.calling_windows;
    return windows.filter(isObject);
  }

  function readable(w) {
    var start = minutesOrNull(w.calling_window_start_time), end = minutesOrNull(w.calling_window_end_time);
    return start !== null && end !== null && end > start ? { start: start, end: end } : null;
  }

  // The windows that can be read, in order of start time: {start, end, delay}.
  function planWindows(config) {
    var out = [];
    windowsOf(config).forEach(function (w) {
      var times = readable(w);
      if (!times) return;
      var delay = has(w, "retry_delay_seconds") ? w.retry_delay_seconds : DEFAULT_DELAY;
      out.push({ start: times.start, end: times.end, delay: isNumber(delay) && typeof delay !== "boolean" ? delay : null });
    });
    return out.sort(function (a, b) { return a.start - b.start || a.end - b.end; });
  }

  function unreadableWindows(config) {
    return windowsOf(config).filter(function (w) { return !readable(w); }).map(function (w) {
      return clockText(w.calling_window_start_time) + "–" + clockText(w.calling_window_end_time);
    });
  }

  // Overlapping or touching windows joined: when calls may go out.
  function callingSpans(windows) {
    var spans = [];
    windows.forEach(function (w) {
      var last = spans[spans.length - 1];
      if (last && w.start <= last[1]) last[1] = Math.max(last[1], w.end);
      else spans.push([w.start, w.end]);
    });
    return spans;
  }

  function hoursText(start, end) { return hhmm(start) + "–" + hhmm(end); }

  function attemptsText(attempts) {
    if (!Number.isInteger(attempts) || attempts < 1) return "Attempts: —";
    return attempts === 1 ? "A single attempt" : "Up to " + attempts + " attempts";
  }

  function waitText(delay, first) {
    var wait = delay === 0 ? "as soon as allowed" : "after " + duration(delay);
    return first ? "retried " + wait : wait;
  }

  function summary(config) {
    if (!isObject(config)) return DEFAULTS_SUMMARY;
    var attempts = has(config, "max_retry_attempts") ? config.max_retry_attempts : 3;
    var windows = planWindows(config);
    var days = config.allowed_days;
    var daysText = Array.isArray(days) ? joinAnd(dayRuns(days)) : "Mon–Fri";
    var spans = callingSpans(windows);
    var delays = [];
    if (attempts !== 1) {
      windows.forEach(function (w) { if (delays.indexOf(w.delay) === -1) delays.push(w.delay); });
    }
    var eachWait = delays.length > 1 && spans.length === windows.length;
    var hours = eachWait
      ? windows.map(function (w, i) { return hoursText(w.start, w.end) + " (" + waitText(w.delay, i === 0) + ")"; })
      : spans.map(function (span) { return hoursText(span[0], span[1]); });
    var hoursSaid = joinAnd(hours.concat(unreadableWindows(config)));
    var zone = config.timezone;
    var where = zone ? timezoneLabel(zone) : "in the callee's time zone";
    hoursSaid = hoursSaid ? hoursSaid + " " + where : "no calling window";
    var parts = [attemptsText(attempts), daysText, hoursSaid];
    if (delays.length === 1) {
      parts.push(delays[0] === 0 ? "retried as soon as allowed" : duration(delays[0]) + " apart");
    } else if (delays.length > 1 && !eachWait) {
      parts.push("delays vary by window");
    }
    var text = parts.join(", ");
    if (config.call_twice_in_a_row && Number.isInteger(attempts) && attempts >= 2) {
      text += "; the second attempt follows at once if nobody answered";
    }
    return text;
  }

  function week(config) {
    var plan = isObject(config) ? config : DEFAULT_PLAN;
    var allowed = Array.isArray(plan.allowed_days) ? plan.allowed_days : DAYS.slice(0, 5);
    var spans = callingSpans(planWindows(plan)).map(function (span) {
      return { start: span[0], end: span[1], width: span[1] - span[0], label: hoursText(span[0], span[1]) };
    });
    return {
      days: DAYS.map(function (day) {
        var on = allowed.indexOf(day) !== -1 && spans.length > 0;
        var hours = on ? joinAnd(spans.map(function (s) { return s.label; })) : "no calls";
        return { day: day, short: short(day), name: title(day), allowed: on, spans: on ? spans : [], text: title(day) + ": " + hours };
      }),
      zone: plan.timezone ? timezoneLabel(plan.timezone) + " (" + plan.timezone + ")" : "the callee's local time",
    };
  }

  var SVG = "http://www.w3.org/2000/svg";

  // Redraws the grid of editors/_week_grid.html: bars are rects in minutes since midnight.
  function drawWeek(grid, plan) {
    plan.days.forEach(function (day) {
      var row = grid.querySelector('[data-week-day="' + day.day + '"]');
      if (!row) return;
      row.classList.toggle("week-grid-off", !day.allowed);
      var track = row.querySelector("[data-week-track]");
      track.replaceChildren();
      day.spans.forEach(function (span) {
        var rect = document.createElementNS(SVG, "rect");
        rect.setAttribute("x", span.start);
        rect.setAttribute("y", 0);
        rect.setAttribute("width", span.width);
        rect.setAttribute("height", 10);
        rect.setAttribute("class", "week-grid-span");
        var tip = document.createElementNS(SVG, "title");
        tip.textContent = day.short + " " + span.label;
        rect.appendChild(tip);
        track.appendChild(rect);
      });
      row.querySelector("[data-week-text]").textContent = day.text;
    });
    var zone = grid.querySelector("[data-week-zone]");
    if (zone) zone.textContent = plan.zone;
  }

  // -- the page -----------------------------------------------------------------------------

  function intOrNull(input) {
    if (!input || input.value.trim() === "") return null;
    var n = Number(input.value);
    return Number.isInteger(n) ? n : null;
  }

  // The plan as the form holds it, in the API's shape (null: Revox's defaults).
  function configFromForm(form) {
    var custom = form.querySelector("[data-retry-custom]");
    if (custom && !custom.checked) return null;
    var windows = [];
    form.querySelectorAll("#windows-formset [data-formset-row]").forEach(function (row) {
      if (row.classList.contains("d-none") || row.closest("template")) return;
      var times = row.querySelectorAll("[data-time]");
      if (!times[0].value.trim() && !times[1].value.trim()) return;  // the blank spare row
      var h = intOrNull(row.querySelector('[data-delay="hours"]')) || 0;
      var m = intOrNull(row.querySelector('[data-delay="minutes"]')) || 0;
      windows.push({
        calling_window_start_time: times[0].value,
        calling_window_end_time: times[1].value,
        retry_delay_seconds: h * 3600 + m * 60,
      });
    });
    var days = [];
    form.querySelectorAll("[data-retry-day]:checked").forEach(function (box) { days.push(box.value); });
    var zone = form.querySelector("[data-zone-select]");
    var twice = form.querySelector("[data-retry-twice]");
    return {
      calling_windows: windows,
      max_retry_attempts: intOrNull(form.querySelector("[data-retry-attempts]")),
      allowed_days: days,
      call_twice_in_a_row: Boolean(twice && twice.checked),
      timezone: zone && zone.value ? zone.value : null,
    };
  }

  function refresh(form) {
    var out = form.querySelector("[data-retry-summary]");
    if (!out) return;
    var config = configFromForm(form);
    out.textContent = summary(config);
    var grid = form.querySelector("[data-week-grid]");
    if (grid) drawWeek(grid, week(config));
    var attempts = intOrNull(form.querySelector("[data-retry-attempts]"));
    var note = form.querySelector("[data-twice-note]");
    if (note) note.classList.toggle("d-none", !(attempts !== null && attempts < 2));
  }

  // Once a time is typed, show it as the server will read it, or say why it can't be read
  // (under the row, where the server puts its errors too).
  function checkTime(input) {
    var value = input.value.trim();
    var row = input.closest("[data-formset-row]");
    var holder = row && row.querySelector("[data-row-errors]");
    if (!holder) return;
    var feedback = holder.querySelector('[data-time-feedback="' + input.id + '"]');
    if (!feedback) {
      feedback = document.createElement("div");
      feedback.setAttribute("data-time-feedback", input.id);
      holder.appendChild(feedback);
    }
    var result = value ? parseTime(value) : { minutes: null };
    var label = row.querySelector('label[for="' + input.id + '"]');
    if (result.error) {
      input.setAttribute("aria-invalid", "true");
      feedback.textContent = (label ? label.textContent + ": " : "") + result.error;
    } else {
      input.removeAttribute("aria-invalid");
      feedback.textContent = "";
      if (result.minutes !== null) input.value = hhmm(result.minutes);
    }
  }

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

  function formOf(node) { return node.closest && node.closest("#group-form"); }
  function isRetry(form) { return form && form.querySelector("[data-retry-summary]"); }

  document.addEventListener("input", function (event) {
    var form = formOf(event.target);
    if (!isRetry(form)) return;
    if (event.target.hasAttribute("data-zone-search")) { filterZones(event.target); return; }
    refresh(form);
  });
  document.addEventListener("change", function (event) {
    var form = formOf(event.target);
    if (!isRetry(form)) return;
    if (event.target.hasAttribute("data-time")) checkTime(event.target);
    refresh(form);
  });
  document.addEventListener("keydown", function (event) {
    // Enter in the search box picks the highlighted zone instead of submitting the form.
    if (event.key === "Enter" && event.target.hasAttribute && event.target.hasAttribute("data-zone-search")) {
      event.preventDefault();
      var select = event.target.parentNode.querySelector("[data-zone-select]");
      event.target.value = "";
      var keep = select.value;
      filterZones(event.target);
      select.value = keep;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      select.focus();
    }
  });
  document.addEventListener("formset:changed", function (event) {
    var form = formOf(event.target);
    if (isRetry(form)) refresh(form);
  });
  document.addEventListener("revox:init", function (event) {
    var root = event.detail.root;
    var form = root.querySelector ? (formOf(root) || root.querySelector("#group-form")) : null;
    if (!isRetry(form)) return;
    form.classList.add("retry-enhanced");
    // "Add a window" replaces the blank spare row that pages without JavaScript need. It is
    // the last row and blank, so the server ignores it either way.
    form.querySelectorAll("[data-spare-row]").forEach(function (row) {
      row.classList.add("d-none");
      row.removeAttribute("data-spare-row");
    });
    var number = 0;
    form.querySelectorAll("#windows-formset [data-formset-row]").forEach(function (row) {
      if (row.classList.contains("d-none") || row.closest("template")) return;
      number += 1;
      row.querySelectorAll("[data-formset-index]").forEach(function (node) { node.textContent = number; });
    });
    refresh(form);
  });

  window.RevoxRetry = { parseTime: parseTime, hhmm: hhmm, summary: summary, week: week };
})();
