"use strict";
// The quiz editor's question search offers the published questions of the
// essay the form names, even one just chosen on a new quiz: each search sends
// that essay along. Saving still refuses a question of another essay.
(() => {
  const $ = django.jQuery;
  $.ajaxPrefilter((options) => {
    const search = document.querySelector("select[data-model-name='quizquestion']");
    const essay = document.getElementById("id_essay");
    if (search && essay && options.url === search.getAttribute("data-ajax--url")) {
      options.data = `${options.data || ""}&essay=${encodeURIComponent(essay.value)}`;
    }
  });
})();
