// The flashcard study page's keyboard and timing. The pages work without it:
// every control is a real form button; this only adds shortcuts, moves focus
// to new content after an htmx swap, and times each answer.
(function () {
  "use strict";

  let backShownAt = null;

  function visible(selector) {
    const element = document.querySelector(selector);
    return element && !element.disabled && !element.closest("fieldset:disabled")
      ? element
      : null;
  }

  function typing(target) {
    return (
      target.isContentEditable ||
      ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)
    );
  }

  document.addEventListener("keydown", function (event) {
    if (typing(event.target) || event.altKey) return;
    const undoKey =
      (event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z";
    if (undoKey) {
      const undo = visible("[data-undo]");
      if (undo) {
        event.preventDefault();
        undo.click();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey) return;
    if (event.key === " " || event.key === "Enter") {
      // A focused button or link keeps its own Space/Enter.
      const flip = visible("[data-flip]");
      if (flip && (event.target === flip || !event.target.closest("button, a"))) {
        event.preventDefault();
        flip.click();
      }
      return;
    }
    if (["1", "2", "3", "4"].includes(event.key)) {
      const button = visible(`[data-rating="${event.key}"]`);
      if (button) {
        event.preventDefault();
        button.click();
      }
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
