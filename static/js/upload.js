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
    box.hidden = false;
    button.disabled = true;
    window.tiltSend(form.action || window.location.href, new FormData(form), bar, percent,
      (status, target, text) => {
        if (status === 200 && target) {
          window.location.assign(target);
        } else if (status === 413 || status === 507) {
          // a refusal (which limit was passed, or the disk is full): its reason, on the form
          const page = new DOMParser().parseFromString(text, "text/html");
          const reason = page.querySelector(".error-page .lead");
          error.textContent = reason ? reason.textContent : form.dataset.tooLarge;
          error.hidden = false;
          button.disabled = false;
        } else {
          document.open();
          document.write(text);
          document.close();
        }
      }, () => {
        error.textContent = form.dataset.failed;
        error.hidden = false;
        button.disabled = false;
      });
  });
});
