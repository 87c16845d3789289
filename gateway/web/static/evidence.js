// The review item's evidence: focusing or pointing at a field lights the span of the text read
// that it came from. Served as a file (the site's CSP allows script from the site only).
"use strict";

(function () {
  const text = document.querySelector(".evidence-text");
  if (!text) return;
  const marks = Array.from(text.querySelectorAll("mark[data-ev]"));
  // Side by side the text panel scrolls on its own; on a phone it is below the form, left alone.
  const sideBySide = window.matchMedia("(min-width: 901px)");
  let lit = [];
  let focused = [];

  function keysOf(element) {
    const owner = element && element.closest ? element.closest("[data-ev-for]") : null;
    return owner ? owner.dataset.evFor.split(" ") : [];
  }

  function light(keys, scroll) {
    lit.forEach((mark) => mark.classList.remove("lit"));
    lit = marks.filter((mark) => mark.dataset.ev.split(" ").some((key) => keys.includes(key)));
    lit.forEach((mark) => mark.classList.add("lit"));
    if (scroll && lit.length && sideBySide.matches) lit[0].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("focusin", (event) => {
    focused = keysOf(event.target);
    light(focused, true);
  });
  document.addEventListener("mouseover", (event) => {
    const keys = keysOf(event.target);
    light(keys.length ? keys : focused, false);
  });
  // A link to a span ("#ev-r0-docket_number") lights the whole span, not just where it starts.
  function lightTarget() {
    const key = decodeURIComponent(window.location.hash).replace(/^#ev-/, "");
    if (key && key !== window.location.hash) light([key], false);
  }
  window.addEventListener("hashchange", lightTarget);
  lightTarget();
})();
