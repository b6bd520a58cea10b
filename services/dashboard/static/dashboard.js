// Copy buttons: <button data-copy="ID"> copies the text of the element with that id. The
// only script of the dashboard; every page and form works without it.
"use strict";
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const target = document.getElementById(button.dataset.copy);
  if (!target || !navigator.clipboard) return;
  navigator.clipboard.writeText(target.textContent.trim()).then(
    () => { button.textContent = "Copied"; },
    () => { button.textContent = "Select and copy"; },
  );
});
document.querySelectorAll("button[data-copy]").forEach((b) => { b.hidden = false; });
