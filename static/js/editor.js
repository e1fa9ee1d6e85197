// Markdown toolbar and live preview for forum editors. Without JavaScript, the "Aperçu"
// submit button asks the server for the same preview.
document.querySelectorAll("[data-editor]").forEach((editor) => {
  const area = editor.querySelector("textarea");
  const toolbar = editor.querySelector(".editor-toolbar");
  const preview = editor.querySelector(".editor-preview");
  const token = document.querySelector("input[name=csrf_token]");
  toolbar.hidden = false;

  const replaceSelection = (text, selectFrom, selectTo) => {
    const start = area.selectionStart;
    const end = area.selectionEnd;
    area.setRangeText(text, start, end, "end");
    if (selectFrom !== undefined) {
      area.setSelectionRange(start + selectFrom, start + selectTo);
    }
    area.focus();
  };

  toolbar.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) {
      return;
    }
    const selected = area.value.slice(area.selectionStart, area.selectionEnd);
    if (button.dataset.wrap) {
      const mark = button.dataset.wrap;
      replaceSelection(mark + selected + mark, mark.length, mark.length + selected.length);
    } else if (button.dataset.prefix !== undefined) {
      const lines = (selected || "").split("\n").map((line) => button.dataset.prefix + line);
      replaceSelection(lines.join("\n"));
    } else if (button.hasAttribute("data-link")) {
      const label = selected || "texte";
      replaceSelection("[" + label + "](https://)", label.length + 3, label.length + 11);
    } else if (button.hasAttribute("data-preview")) {
      const body = new FormData();
      body.append("body", area.value);
      if (token) {
        body.append("csrf_token", token.value);
      }
      fetch(editor.dataset.previewUrl, { method: "POST", body, credentials: "same-origin" })
        .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
        .then((html) => {
          // the server renders with the same sanitiser as published posts
          preview.querySelector(".post-body").innerHTML = html;
          preview.hidden = false;
        })
        .catch(() => {
          preview.hidden = false;
          preview.querySelector(".post-body").textContent = "…";
        });
    }
  });
});
