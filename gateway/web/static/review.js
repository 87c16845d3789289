// Keyboard shortcuts for the review queue: j/k move, c confirm, r reject, d defer.
// Served as a file (the site's CSP allows script from the site only, never inline code).
"use strict";

(function () {
  const items = Array.from(document.querySelectorAll("tr.review-row, section.report"));
  let current = -1;

  function select(index) {
    if (items.length === 0) return;
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach((el, i) => el.classList.toggle("selected", i === current));
    const target = items[current];
    const link = target.querySelector("a");
    if (target.matches("tr") && link) {
      link.focus();
    } else {
      target.focus();
    }
    target.scrollIntoView({ block: "nearest" });
  }

  function selected() {
    return current >= 0 ? items[current] : items[0];
  }

  function click(selector) {
    const scope = selected();
    const button = scope ? scope.querySelector(selector) : null;
    if (button) button.click();
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    switch (event.key) {
      case "j":
        select(current + 1);
        break;
      case "k":
        select(current - 1);
        break;
      case "c":
        click("button.confirm");
        break;
      case "r": {
        // Rejecting needs a reason: the first r goes to the reason, Reject is then a click.
        const scope = selected();
        const reason = scope ? scope.querySelector("input.reject-reason") : null;
        if (reason && !reason.value.trim()) reason.focus();
        else click("button.reject");
        break;
      }
      case "d": {
        const defer = document.querySelector("button.defer");
        if (defer) defer.click();
        break;
      }
      default:
        return;
    }
    event.preventDefault();
  });
})();
