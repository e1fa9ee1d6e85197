// Progressive enhancements only: every page works without this file.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// A wide table scrolls inside its box (.table-responsive): when it holds nothing focusable,
// the box itself takes the focus, so that the keyboard can scroll it too (WCAG 2.1.1).
const focusable = "a[href], button, input, select, textarea, [tabindex]";
for (const box of document.querySelectorAll(".table-responsive:not([tabindex])")) {
  if (box.scrollWidth > box.clientWidth && !box.querySelector(focusable)) {
    const caption = box.querySelector("caption");
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
  }
}
