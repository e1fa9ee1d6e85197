// The library's list, as progressive enhancements (without this file the check boxes and
// the "Déposer des fichiers" page do the same): "tick all", and files dropped onto the list
// are sent to the upload page with a progress bar, then the page it answers is opened
// (the document, the folder, or the question "new version or keep both?").
(() => {
  const form = document.querySelector("form.library");
  if (!form) {
    return;
  }
  const all = form.querySelector(".pick-all");
  const boxes = () => Array.from(form.querySelectorAll("input[name=ids]"));
  if (all) {
    all.hidden = false;
    all.addEventListener("change", () => boxes().forEach((box) => {
      box.checked = all.checked;
    }));
    form.addEventListener("change", (event) => {
      if (event.target.name === "ids") {
        const ticked = boxes().filter((box) => box.checked).length;
        all.checked = ticked === boxes().length;
        all.indeterminate = ticked > 0 && ticked < boxes().length;
      }
    });
  }

  const url = form.dataset.dropUrl;
  if (!url || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  const box = form.querySelector(".upload-progress");
  const bar = box.querySelector("progress");
  const percent = box.querySelector(".upload-percent");
  const error = form.querySelector(".upload-error");
  const token = form.querySelector("input[name=csrf_token]");
  const hint = document.createElement("p");
  hint.className = "drop-hint small";
  hint.textContent = form.dataset.dropHint;
  form.prepend(hint);

  const carriesFiles = (event) => event.dataTransfer
    && Array.from(event.dataTransfer.types).includes("Files");
  form.addEventListener("dragover", (event) => {
    if (carriesFiles(event)) {
      event.preventDefault();
      form.classList.add("drop-target");
    }
  });
  form.addEventListener("dragleave", (event) => {
    if (!form.contains(event.relatedTarget)) {
      form.classList.remove("drop-target");
    }
  });
  form.addEventListener("drop", (event) => {
    form.classList.remove("drop-target");
    if (!carriesFiles(event)) {
      return;
    }
    event.preventDefault();
    const files = Array.from(event.dataTransfer.files);
    const total = files.reduce((sum, file) => sum + file.size, 0);
    error.hidden = true;
    const refusal = files.length > Number(form.dataset.maxFiles) ? form.dataset.tooMany
      : (total > Number(form.dataset.maxBytes) ? form.dataset.tooLarge : null);
    if (refusal || !files.length) {
      error.textContent = refusal || "";
      error.hidden = !refusal;
      return;
    }
    const body = new FormData();
    files.forEach((file) => body.append("files", file, file.name));
    if (token) {
      body.append("csrf_token", token.value);
    }
    box.hidden = false;
    window.tiltSend(url, body, bar, percent, (status, target, text) => {
      box.hidden = true;
      if (status === 200 && target) {
        window.location.assign(target);
        return;
      }
      const page = new DOMParser().parseFromString(text, "text/html");
      const reason = page.querySelector(".error-page .lead, .invalid-feedback");
      error.textContent = reason ? reason.textContent : form.dataset.dropFailed;
      error.hidden = false;
    }, () => {
      box.hidden = true;
      error.textContent = form.dataset.dropFailed;
      error.hidden = false;
    });
  });
})();
