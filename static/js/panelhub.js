/* PanelHub's progressive enhancements. Every page works without this file; it only adds:
   - focus on the error summary when a form comes back with problems (where the browser
     did not honour its autofocus attribute), and a click on one of its links focuses the
     field itself, as the GOV.UK error summary does;
   - "Copy" buttons for addresses such as the calendar feed ([data-ph-copy]).
   Loaded as a static file: the Content Security Policy allows no inline script. */
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-ph-error-summary]");
    if (!summary) { return; }
    if (document.activeElement !== summary) { summary.focus(); }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      event.preventDefault();
      var details = field.closest("details");
      if (details) { details.open = true; }
      field.scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    });
  }

  function copyButtons() {
    document.querySelectorAll("[data-ph-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-ph-copy"));
      var status = document.getElementById(button.getAttribute("data-ph-copy-status"));
      if (!source || !navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = source.value !== undefined ? source.value : source.textContent;
        navigator.clipboard.writeText(text.trim()).then(function () {
          if (status) { status.textContent = "Copied. Paste it into your calendar app."; }
        }, function () {
          if (status) { status.textContent = "Could not copy: select the address and copy it."; }
          if (source.select) { source.select(); }
        });
      });
    });
  }

  function ready() { focusErrorSummary(); copyButtons(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else { ready(); }
})();
