// Small page behaviours; every page works without them (they only add a warning and focus).
(function () {
  "use strict";

  // A form marked data-warn-unsaved (the assessment's judgements) warns before the page is left
  // with changes typed but not saved. Its own submit (save, or an upload that keeps what was
  // typed) does not warn. Fields joined to it by form="…" count too (form.elements has them).
  function watchUnsaved(form) {
    let dirty = false;
    let leaving = false;
    const flag = document.querySelector("[data-unsaved-flag='" + form.id + "']");
    const mark = function (event) {
      if (event.target.type === "file") return;
      if (event.target.form !== form) return;
      dirty = true;
      if (flag) flag.hidden = false;
    };
    document.addEventListener("input", mark);
    document.addEventListener("change", mark);
    form.addEventListener("submit", function () { leaving = true; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !leaving) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    // A later navigation (a refused submit, a cancelled leave) must warn again.
    window.addEventListener("pageshow", function () { leaving = false; });
    document.addEventListener("htmx:beforeRequest", function () { leaving = false; });
  }

  function start() {
    document.querySelectorAll("form[data-warn-unsaved]").forEach(watchUnsaved);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
