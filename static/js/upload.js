// Upload with a progress bar. Without JavaScript the form posts normally.
document.querySelectorAll("form[data-upload]").forEach((form) => {
  const box = form.querySelector(".upload-progress");
  const bar = form.querySelector("progress");
  const percent = form.querySelector(".upload-percent");
  const error = form.querySelector(".upload-error");
  const button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", (event) => {
    const input = form.querySelector("input[type=file]");
    const total = Array.from(input.files).reduce((sum, file) => sum + file.size, 0);
    error.hidden = true;
    const refusal = input.files.length > Number(form.dataset.maxFiles) ? form.dataset.tooMany
      : (total > Number(form.dataset.maxBytes) ? form.dataset.tooLarge : null);
    if (refusal) {
      event.preventDefault();
      error.textContent = refusal;
      error.hidden = false;
      return;
    }
    if (!window.XMLHttpRequest || !window.FormData) {
      return;
    }
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    request.upload.addEventListener("progress", (progress) => {
      if (progress.lengthComputable) {
        const value = Math.round((progress.loaded / progress.total) * 100);
        bar.value = value;
        percent.textContent = value + " %";
      }
    });
    request.addEventListener("load", () => {
      let target = null;
      try {
        target = JSON.parse(request.responseText).redirect;
      } catch (ignored) {
        target = null;
      }
      if (request.status === 200 && target) {
        window.location.assign(target);
      } else if (request.status === 413 || request.status === 507) {
        // a refusal (which limit was passed, or the disk is full): its reason, on the form
        const page = new DOMParser().parseFromString(request.responseText, "text/html");
        const reason = page.querySelector(".error-page .lead");
        error.textContent = reason ? reason.textContent : form.dataset.tooLarge;
        error.hidden = false;
        button.disabled = false;
      } else {
        document.open();
        document.write(request.responseText);
        document.close();
      }
    });
    request.addEventListener("error", () => {
      error.textContent = form.dataset.failed;
      error.hidden = false;
      button.disabled = false;
    });
    box.hidden = false;
    button.disabled = true;
    request.send(new FormData(form));
  });
});
