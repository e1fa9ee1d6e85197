// Progressive enhancements only: every page works without this file.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// The bell (and, on a topic page, the topic's newest post) asked again while the page is
// visible: a conditional request whose answer is 304, without a body, when nothing changed.
// The answer is announced as a "tilt:state" event (static/js/forum.js shows new replies).
(() => {
  const bell = document.querySelector(".notification-bell[data-state-url]");
  const topic = document.querySelector("[data-topic-state]");
  const url = topic ? topic.dataset.topicState : (bell && bell.dataset.stateUrl);
  if (!url || !window.fetch) {
    return;
  }
  const every = 1000 * Number((topic && topic.dataset.pollSeconds) || 60);
  let etag = null;
  let delay = every;
  let timer = null;

  const showUnread = (count) => {
    if (!bell || Number(bell.dataset.unread) === count) {
      return;
    }
    bell.dataset.unread = String(count);
    bell.setAttribute("aria-label", count ? bell.dataset.labelSome.replace("{n}", count)
      : bell.dataset.labelNone);
    let badge = bell.querySelector(".badge");
    if (!count) {
      if (badge) {
        badge.remove();
      }
      return;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "badge rounded-pill text-bg-warning";
      badge.setAttribute("aria-hidden", "true");
      bell.append(" ", badge);
    }
    badge.textContent = count < 100 ? String(count) : "99+";
  };

  const schedule = () => {
    window.clearTimeout(timer);
    if (!document.hidden) {
      timer = window.setTimeout(ask, delay);
    }
  };

  const ask = () => {
    const headers = { Accept: "application/json" };
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    fetch(url, { headers, cache: "no-store", credentials: "same-origin", redirect: "error" })
      .then((response) => {
        if (response.status === 304) {
          return null;
        }
        if (!response.ok) {
          return Promise.reject(response.status);
        }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then((state) => {
        delay = every;
        if (state) {
          if (typeof state.unread === "number") {
            showUnread(state.unread);
          }
          document.dispatchEvent(new CustomEvent("tilt:state", { detail: state }));
        }
        schedule();
      })
      .catch(() => {
        delay = Math.min(delay * 2, 600000); // signed out, offline: ask less and less often
        schedule();
      });
  };

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      window.clearTimeout(timer);
    } else {
      ask(); // back on the page: at once
    }
  });
  schedule();
})();

// Drafts kept in this browser (static/js/forum.js) are forgotten when one signs out, so
// that the next person on a shared computer does not find them.
document.addEventListener("submit", (event) => {
  if (event.target.matches("form[action$='/logout']") && window.localStorage) {
    Object.keys(window.localStorage).filter((key) => key.startsWith("tilt:draft:"))
      .forEach((key) => window.localStorage.removeItem(key));
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

// Send files with a progress bar (static/js/upload.js, static/js/library.js):
// `done(status, redirect, responseText)` once the server answered (`redirect` from a JSON
// answer {"redirect": ...}, else null), `failed()` when the request did not reach it.
window.tiltSend = (url, body, bar, percent, done, failed) => {
  const request = new XMLHttpRequest();
  request.open("POST", url);
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
    done(request.status, target, request.responseText);
  });
  request.addEventListener("error", failed);
  request.send(body);
};
