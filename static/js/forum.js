// Forum comforts, as progressive enhancements: every form and link works without this file.
// - the post menus (<details>) close on Escape and on a click elsewhere;
// - a selection in a post can be quoted into the reply box;
// - "new replies" are announced under the posts (the state comes from static/js/app.js);
// - editors keep a draft in this browser, suggest members after "@", and upload the files
//   dropped or pasted into the text.
(() => {
  const storage = (() => {
    try {
      return window.localStorage;
    } catch (ignored) {
      return null; // storage refused by the browser: no drafts
    }
  })();

  // --- post menus --------------------------------------------------------------------------
  const menus = () => document.querySelectorAll("details.post-menu[open]");
  document.addEventListener("click", (event) => {
    menus().forEach((menu) => {
      if (!menu.contains(event.target)) {
        menu.open = false;
      }
    });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") {
      return;
    }
    menus().forEach((menu) => {
      menu.open = false;
      menu.querySelector("summary").focus();
    });
  });
  document.querySelectorAll("details.post-menu").forEach((menu) => {
    menu.addEventListener("toggle", () => {
      if (menu.open) {
        menus().forEach((other) => {
          if (other !== menu) {
            other.open = false;
          }
        });
      }
    });
  });

  // --- new replies -------------------------------------------------------------------------
  const notice = document.querySelector("[data-topic-state]");
  if (notice) {
    const known = Number(notice.dataset.lastNumber);
    document.addEventListener("tilt:state", (event) => {
      const count = Number(event.detail.last_number) - known;
      if (!(count > 0)) {
        return;
      }
      const text = count === 1 ? notice.dataset.one : notice.dataset.many.replace("{n}", count);
      const link = document.createElement("a");
      link.href = notice.dataset.unreadUrl;
      link.className = "alert-link ms-2";
      link.textContent = notice.dataset.show;
      notice.className = "new-replies alert alert-info";
      notice.replaceChildren(document.createTextNode(text), link);
    });
  }

  // --- editors -----------------------------------------------------------------------------
  const insertAtCaret = (area, text) => {
    area.focus();
    area.setRangeText(text, area.selectionStart, area.selectionEnd, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  };

  const say = (editor, text) => {
    const status = editor.querySelector(".editor-status");
    if (status) {
      status.textContent = text;
    }
  };

  const keepDrafts = (editor, area) => {
    const key = "tilt:draft:" + editor.dataset.draft;
    if (!storage || !editor.dataset.draft) {
      return;
    }
    const saved = storage.getItem(key);
    if (saved && !area.value.trim()) {
      area.value = saved;
      say(editor, editor.dataset.draftRestored);
    }
    let pending = null;
    area.addEventListener("input", () => {
      window.clearTimeout(pending);
      pending = window.setTimeout(() => {
        try {
          if (area.value.trim()) {
            storage.setItem(key, area.value);
          } else {
            storage.removeItem(key);
          }
        } catch (ignored) {
          // storage full: the draft is simply not kept
        }
      }, 300);
    });
    area.form.addEventListener("submit", (event) => {
      const action = event.submitter && event.submitter.value;
      if (action !== "preview") {
        window.clearTimeout(pending);
        storage.removeItem(key);
      }
    });
  };

  const suggestMembers = (editor, area) => {
    if (!editor.dataset.membersUrl) {
      return;
    }
    const list = document.createElement("ul");
    list.id = area.id + "-members";
    list.className = "mention-list list-unstyled";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", editor.dataset.membersLabel);
    list.hidden = true;
    area.after(list);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", list.id);
    let options = [];
    let active = -1;
    let asked = "";
    let waiting = null;

    const close = () => {
      list.hidden = true;
      options = [];
      active = -1;
      area.removeAttribute("aria-activedescendant");
    };
    const word = () => {
      const before = area.value.slice(0, area.selectionStart);
      const match = /(^|[^\w@.])@([\w.-]{1,60})$/u.exec(before);
      return match ? match[2] : null;
    };
    const highlight = (index) => {
      active = index;
      Array.from(list.children).forEach((item, position) => {
        item.setAttribute("aria-selected", position === index ? "true" : "false");
      });
      area.setAttribute("aria-activedescendant", list.id + "-" + index);
    };
    const choose = (index) => {
      const prefix = word();
      const chosen = options[index];
      if (prefix === null || !chosen) {
        close();
        return;
      }
      area.setSelectionRange(area.selectionStart - prefix.length, area.selectionStart);
      insertAtCaret(area, chosen.handle + " ");
      close();
    };
    const show = (found) => {
      options = found;
      list.replaceChildren(...found.map((member, index) => {
        const item = document.createElement("li");
        item.id = list.id + "-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        const strong = document.createElement("strong");
        strong.textContent = "@" + member.handle;
        item.append(strong, " " + member.name + (member.organisation
          ? " · " + member.organisation : ""));
        item.addEventListener("mousedown", (event) => {
          event.preventDefault(); // the text area keeps the focus and the caret
          choose(index);
        });
        return item;
      }));
      list.hidden = !found.length;
      if (found.length) {
        highlight(0);
      }
    };
    area.addEventListener("input", () => {
      const prefix = word();
      if (prefix === null) {
        close();
        return;
      }
      if (prefix === asked) {
        return;
      }
      asked = prefix;
      window.clearTimeout(waiting);
      waiting = window.setTimeout(() => {
        const address = editor.dataset.membersUrl + "?q=" + encodeURIComponent(prefix);
        fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then((response) => (response.ok ? response.json() : []))
          .then((found) => {
            if (word() === prefix) {
              show(found);
            }
          })
          .catch(close);
      }, 150);
    });
    area.addEventListener("keydown", (event) => {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    area.addEventListener("blur", () => window.setTimeout(close, 100));
  };

  const uploadFiles = (editor, area) => {
    if (!editor.dataset.filesUrl || !window.FormData || !window.XMLHttpRequest) {
      return;
    }
    const token = area.form.querySelector("input[name=csrf_token]");
    const hint = editor.querySelector(".editor-js-hint");
    if (hint) {
      hint.hidden = false;
    }
    const send = (file) => {
      const holder = "![" + file.name.replace(/[[\]]/g, "") + " (…)]()";
      insertAtCaret(area, holder + "\n");
      const progress = document.createElement("progress");
      progress.max = 100;
      progress.value = 0;
      progress.className = "editor-upload d-block";
      progress.setAttribute("aria-label", editor.dataset.uploading.replace("{name}", file.name));
      area.after(progress);
      const body = new FormData();
      body.append("file", file, file.name);
      if (token) {
        body.append("csrf_token", token.value);
      }
      const request = new XMLHttpRequest();
      request.open("POST", editor.dataset.filesUrl);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) {
          progress.value = Math.round((event.loaded / event.total) * 100);
        }
      });
      const finish = (markdown, message) => {
        progress.remove();
        const at = area.value.indexOf(holder);
        if (at >= 0) {
          area.setRangeText(markdown, at, at + holder.length, "preserve");
          area.dispatchEvent(new Event("input", { bubbles: true }));
        }
        if (message) {
          say(editor, message);
        }
      };
      request.addEventListener("load", () => {
        let answer = {};
        try {
          answer = JSON.parse(request.responseText);
        } catch (ignored) {
          answer = {};
        }
        if (request.status === 200 && answer.markdown) {
          finish(answer.markdown, "");
        } else {
          // a refusal (type, size, quota): its reason, from the server's checks
          const page = request.status === 413
            ? new DOMParser().parseFromString(request.responseText, "text/html")
              .querySelector(".error-page .lead") : null;
          finish("", answer.error || (page && page.textContent) || editor.dataset.uploadFailed);
        }
      });
      request.addEventListener("error", () => finish("", editor.dataset.uploadFailed));
      say(editor, editor.dataset.uploading.replace("{name}", file.name));
      request.send(body);
    };
    area.addEventListener("dragover", (event) => {
      if (event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files")) {
        event.preventDefault();
        area.classList.add("drop-target");
      }
    });
    area.addEventListener("dragleave", () => area.classList.remove("drop-target"));
    area.addEventListener("drop", (event) => {
      area.classList.remove("drop-target");
      const files = event.dataTransfer ? Array.from(event.dataTransfer.files) : [];
      if (files.length) {
        event.preventDefault();
        files.forEach(send);
      }
    });
    area.addEventListener("paste", (event) => {
      const files = event.clipboardData ? Array.from(event.clipboardData.files) : [];
      if (files.length) {
        event.preventDefault();
        files.forEach(send);
      }
    });
  };

  document.querySelectorAll("[data-editor]").forEach((editor) => {
    const area = editor.querySelector("textarea");
    keepDrafts(editor, area);
    suggestMembers(editor, area);
    uploadFiles(editor, area);
  });

  // --- quoting a selection -----------------------------------------------------------------
  const quoteButton = document.querySelector(".quote-selection");
  const replyArea = document.querySelector("#reply-title ~ form textarea");
  if (quoteButton && replyArea) {
    let selected = null;
    const selectionInPost = () => {
      const selection = window.getSelection();
      if (!selection || selection.isCollapsed || !selection.rangeCount) {
        return null;
      }
      const range = selection.getRangeAt(0);
      const start = range.startContainer.parentElement;
      const body = start && start.closest(".post-body");
      const post = body && body.closest("article.post");
      if (!post || !body.contains(range.endContainer) || !post.querySelector("[data-quote]")) {
        return null;
      }
      const text = selection.toString().trim();
      return text ? { text, post, range } : null;
    };
    const place = () => {
      selected = selectionInPost();
      if (!selected) {
        quoteButton.hidden = true;
        return;
      }
      const box = selected.range.getBoundingClientRect();
      quoteButton.style.top = window.scrollY + box.bottom + 6 + "px";
      quoteButton.style.left = window.scrollX + Math.max(box.left, 8) + "px";
      quoteButton.hidden = false;
    };
    document.addEventListener("mouseup", () => window.setTimeout(place, 0));
    document.addEventListener("keyup", (event) => {
      if (event.shiftKey || event.key === "Shift") {
        place();
      }
    });
    quoteButton.addEventListener("mousedown", (event) => event.preventDefault());
    quoteButton.addEventListener("click", () => {
      if (!selected) {
        return;
      }
      const handle = selected.post.dataset.handle;
      const lines = selected.text.split("\n").map((line) => (line ? "> " + line : ">"));
      const quote = (handle ? "@" + handle + " :\n" : "") + lines.join("\n") + "\n\n";
      const before = replyArea.value && !replyArea.value.endsWith("\n\n") ? "\n\n" : "";
      replyArea.setSelectionRange(replyArea.value.length, replyArea.value.length);
      insertAtCaret(replyArea, before + quote);
      quoteButton.hidden = true;
      window.getSelection().removeAllRanges();
      replyArea.scrollIntoView({ block: "center" });
    });
  }
})();
