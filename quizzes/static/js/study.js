// The flashcard study page's keyboard and timing. The pages work without it:
// every control is a real form button; this adds shortcuts, moves focus to
// new content after an htmx swap, and times each answer.
//
// Fast keys: htmx processes swapped-in content only when it settles (20 ms
// later), and until then a form would submit natively, reloading the page
// and losing undo. So every submit of the study area (a key, a click) goes
// out through htmx.ajax here, never natively. While the answer is on its
// way, a rating key waits for it; while a rating or an undo is on its way,
// keys are dropped: one rating per card however keys are mashed.
(function () {
  "use strict";

  let backShownAt = null;
  let busy = null; // "flip" or "post" while a request of the study area is out
  let waiting = null; // a rating key pressed while the answer was on its way

  const area = () => document.getElementById("study-area");

  function typing(target) {
    return (
      target.isContentEditable ||
      ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)
    );
  }

  function send(form, submitter) {
    if (busy) return;
    const target = form.getAttribute("hx-target");
    const values = {};
    if (submitter && submitter.name) values[submitter.name] = submitter.value;
    window.htmx.ajax(form.hasAttribute("hx-get") ? "GET" : "POST", form.action, {
      source: form,
      target: target === "this" ? form : target,
      swap: form.getAttribute("hx-swap"),
      values: values,
    });
  }

  function press(selector) {
    const root = area();
    const button = root && root.querySelector(selector);
    if (!button || !button.form) return false;
    send(button.form, button);
    return true;
  }

  document.addEventListener(
    "submit",
    function (event) {
      const form = event.target;
      if (!window.htmx || !form.closest("#study-area")) return;
      event.preventDefault();
      event.stopImmediatePropagation(); // htmx's own handler would send it again
      send(form, event.submitter);
    },
    true,
  );

  document.addEventListener("keydown", function (event) {
    if (!window.htmx || !area() || typing(event.target) || event.altKey) return;
    const key = event.key;
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && key.toLowerCase() === "z") {
      if (area().querySelector("[data-undo]")) {
        event.preventDefault();
        if (!event.repeat) press("[data-undo]");
      }
      return;
    }
    if (event.ctrlKey || event.metaKey) return;
    const focused = event.target.closest && event.target.closest("button, a, summary");
    if (key === " " || key === "Enter") {
      // A focused button of the study area goes out through htmx too; other
      // buttons and links keep their own Space and Enter.
      const own = focused && focused.closest("#study-area") && focused.form;
      if (own) {
        event.preventDefault();
        send(focused.form, focused);
      } else if (!focused && area().querySelector("[data-flip]")) {
        event.preventDefault();
        press("[data-flip]");
      }
      return;
    }
    if (!["1", "2", "3", "4"].includes(key)) return;
    if (area().querySelector(`[data-rating="${key}"]`)) {
      event.preventDefault();
      if (!event.repeat) press(`[data-rating="${key}"]`);
    } else if (busy === "flip") {
      event.preventDefault();
      waiting = key;
    }
  });

  // A request of the study area, however it started (key, click), holds
  // the keys until its answer is in.
  document.addEventListener("htmx:beforeRequest", function (event) {
    const elt = event.detail.elt;
    if (!elt.closest || !elt.closest("#study-area")) return;
    busy = elt.matches(".flip-form") ? "flip" : "post";
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (!busy) return;
    const flipped = busy === "flip" && event.detail.successful;
    const key = waiting;
    busy = waiting = null;
    if (flipped && key) press(`[data-rating="${key}"]`);
  });

  // A refused rating or undo (400) carries its message inside the study
  // area: show it (htmx skips 4xx answers by default).
  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.id === "study-area") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.detail.target;
    const back = document.querySelector("[data-back]");
    backShownAt = back ? performance.now() : null;
    const focus =
      (target.matches && target.matches("[data-autofocus]") && target) ||
      document.querySelector("#study-area [data-back]") ||
      document.querySelector("#study-area [data-autofocus]");
    if (focus) focus.focus({ preventScroll: false });
  });

  // The time from seeing the answer to rating it, for FSRS optimisation.
  document.addEventListener("htmx:configRequest", function (event) {
    const form = event.detail.elt.closest && event.detail.elt.closest(".rating-form");
    if (form && backShownAt !== null) {
      event.detail.parameters.duration_ms = String(
        Math.round(performance.now() - backShownAt),
      );
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    if (document.querySelector("[data-back]")) backShownAt = performance.now();
  });
})();
