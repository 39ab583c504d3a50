// The quiz pages (attempt, summary, teachers' preview): keyboard answering,
// focus after each swap, messages when an answer cannot be sent, the countdown.
// Everything also works without this file: forms post and links navigate.
(function () {
  "use strict";

  // htmx runs the scripts of the page it puts back on a history restore (the
  // Back button): bind everything once, or every key would act twice.
  if (window.purgeQuizAttempt) return;
  window.purgeQuizAttempt = true;

  // A refused answer (422) or a finished attempt (409) comes back as the
  // question with its message inside: swap it in like any answer.
  if (window.htmx) {
    htmx.config.responseHandling.unshift(
      { code: "422", swap: true },
      { code: "409", swap: true },
    );
  }

  // The question the keys act on: the one holding the focus (a preview shows
  // several), else the attempt's only one.
  const areaOf = (el) =>
    (el instanceof Element && el.closest(".question-area")) ||
    document.getElementById("question-area");
  const typing = (el) =>
    el instanceof HTMLElement &&
    (el.matches("input[type=text], textarea, select") || el.isContentEditable);

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const root = areaOf(target);
    if (!root || event.altKey || event.ctrlKey || event.metaKey) return;
    if (!root.dataset.settled) {
      // Just swapped in: htmx binds its buttons when it settles, and a click
      // before then would post the form the old way, leaving the page.
      if (event.key === "Enter") event.preventDefault();
      return;
    }

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
        return; // another form on the page (log out, the result filter)
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

  // A whole page where a question belongs is the login page, the session
  // having ended: reload instead, so that logging in comes back here.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const { xhr, target } = event.detail;
    if (event.detail.shouldSwap && areaOf(target) &&
        /^\s*(<!doctype|<html)/i.test(xhr.responseText)) {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });

  // Other failures bring a whole error page (or nothing, offline): say what
  // it says inside the question instead, where the answer was sent from.
  function failed(event, fallback) {
    const root = areaOf(event.detail.elt);
    const slot = root && root.querySelector(".answer-error");
    if (!slot) return;
    const xhr = event.detail.xhr;
    const page = xhr && xhr.responseText
      ? new DOMParser().parseFromString(xhr.responseText, "text/html")
      : null;
    const heading = page && page.querySelector("main h1");
    const reason = page && page.querySelector("main h1 + p");
    slot.textContent = heading
      ? [heading, reason].filter(Boolean).map((el) => el.textContent.trim()).join(". ")
      : fallback;
    slot.tabIndex = -1;
    slot.focus();
  }
  document.addEventListener("htmx:responseError", (event) =>
    failed(event, "Nothing was saved: reload the page and try again."));
  document.addEventListener("htmx:sendError", (event) =>
    failed(event, "Your answer could not be sent: check your connection and try again."));

  let timer = null;
  let counting = null;

  function startCountdown(el) {
    clearInterval(timer);
    counting = el;
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

  function settle(root, { focus }) {
    root.dataset.settled = "1";
    const announce = root.querySelector("[data-announce]");
    const announcer = document.getElementById("announcer");
    if (announce && announcer) announcer.textContent = announce.textContent.trim();
    const target = focus && root.querySelector("[data-focus]");
    if (target) target.focus({ preventScroll: false });
  }

  function settleAll({ firstLoad }) {
    document.querySelectorAll(".question-area:not([data-settled])").forEach((root) => {
      // On a preview's first load no question takes the focus from the page.
      settle(root, { focus: !firstLoad || root.id === "question-area" });
    });
    const countdown = document.querySelector(".countdown[data-deadline]");
    if (countdown && countdown !== counting) startCountdown(countdown);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => settleAll({ firstLoad: true }));
  } else {
    settleAll({ firstLoad: true });
  }

  // After htmx puts in a new question, its feedback or a whole restored page,
  // focus follows it.
  document.addEventListener("htmx:afterSettle", () => settleAll({ firstLoad: false }));
})();
