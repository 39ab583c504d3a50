// The Teach pages' buttons that need a script: print a page, show the class
// code full screen. They are hidden until this runs; without it the browser's
// own Print and F11 do the same.
(function () {
  "use strict";

  document.querySelectorAll("[data-print], [data-fullscreen]").forEach((button) => {
    if (button.hasAttribute("data-print") || document.fullscreenEnabled) {
      button.hidden = false;
    }
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-print], [data-fullscreen]");
    if (!button) return;
    if (button.hasAttribute("data-print")) {
      window.print();
    } else if (document.fullscreenElement) {
      document.exitFullscreen();
    } else {
      document.documentElement.requestFullscreen();
    }
  });
})();
