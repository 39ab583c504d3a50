// The attempt page: keyboard answering, focus after each swap, the countdown.
// Everything also works without this file: forms post and links navigate.
(function () {
  "use strict";

  const area = () => document.getElementById("question-area");
  const typing = (el) =>
    el instanceof HTMLElement &&
    (el.matches("input[type=text], textarea, select") || el.isContentEditable);

  document.addEventListener("keydown", (event) => {
    const root = area();
    if (!root || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;

    // 1-9 pick the choices in the order shown.
    if (/^[1-9]$/.test(event.key) && !typing(target)) {
      const input = root.querySelectorAll(".choices input")[Number(event.key) - 1];
      if (!input || input.disabled) return;
      event.preventDefault();
      input.checked = input.type === "checkbox" ? !input.checked : true;
      input.focus();
      return;
    }

    // Enter submits the answer, then moves on to the next question.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      if (target instanceof HTMLElement && target.matches("a, button, textarea, summary")) {
        return; // they act on Enter by themselves
      }
      if (target instanceof HTMLElement && target.closest("form") &&
          !root.contains(target)) {
        return; // another form on the page (log out, finish)
      }
      const action =
        root.querySelector("button[type=submit]:not([disabled])") ||
        root.querySelector("[data-next]");
      if (action) {
        event.preventDefault();
        action.click();
      }
    }
  });

  // 400 answers carry a message for the student: show it (htmx skips 4xx).
  document.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if (status === 400 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  let timer = null;

  function startCountdown(el) {
    clearInterval(timer);
    const deadline = Date.parse(el.dataset.deadline);
    const grace = Number(el.dataset.grace || 0) * 1000;
    if (Number.isNaN(deadline)) return;
    const tick = () => {
      const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      const minutes = Math.floor(left / 60);
      const seconds = String(left % 60).padStart(2, "0");
      el.textContent = left > 0 ? `Time left ${minutes}:${seconds}` : "Time is up";
      el.classList.toggle("is-low", left <= 60);
      if (Date.now() > deadline + grace + 1000) {
        // The server has closed the attempt by now: show why.
        clearInterval(timer);
        window.location.reload();
      }
    };
    tick();
    timer = setInterval(tick, 1000);
  }

  function settle(root) {
    root.dataset.settled = "1";
    const countdown = root.querySelector(".countdown[data-deadline]");
    if (countdown) startCountdown(countdown);
    const announce = root.querySelector("[data-announce]");
    const announcer = document.getElementById("announcer");
    if (announce && announcer) announcer.textContent = announce.textContent.trim();
    const focus = root.querySelector("[data-focus]");
    if (focus) focus.focus({ preventScroll: false });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const root = area();
    if (root) settle(root);
  });

  // After htmx puts in a new question or its feedback, focus follows it.
  document.addEventListener("htmx:afterSettle", () => {
    const root = area();
    if (root && !root.dataset.settled) settle(root);
  });
})();
