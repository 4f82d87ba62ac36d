// The store's assistant. cart.js imports this module (and adds chat.css) on
// the first tap of the chat button, [data-chat-open], and calls open(button)
// on every tap. The button carries what the dialog needs: the store's slug,
// its WhatsApp link (data-wa) and the strings in the store's language
// (data-s-*, from i18n/locales/chat_widget.*.json).
//
// The dialog is modal (a full-height sheet on phones that only the close
// button or Escape closes). The conversation is kept for the browser session
// in sessionStorage "qubly:chat:<slug>" with a random session_id the server
// receives. Questions go to POST /<slug>/chat as JSON; a reply comes as JSON
// or, from the LLM, as server-sent events: "delta" events append text,
// "done" replaces it with the final reply. Replies are plain text: shown
// with textContent, only http(s) URLs become links.
//
// Styles live in chat.css (plain CSS on the store's theme variables), so
// class names here are "qc-…" and Tailwind never sees them.

const MAX = 500; // domain.ChatMessageMax
const NEAR = 400; // the counter shows from this many characters
const KEEP = 40; // messages kept for the session
const TIMEOUT = 60e3; // a reply that takes longer is a network error
const PHONE = matchMedia("(max-width: 640px)");

let ui; // the dialog, built on the first open

// open shows the assistant's dialog for the store of btn.
export function open(btn) {
  (ui ??= build(btn)).show();
}

// h makes an element: props are attributes, except text (textContent),
// class (className) and on* (listeners).
function h(tag, props = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "text") el.textContent = v;
    else if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else if (v !== false && v != null) el.setAttribute(k, v);
  }
  el.append(...kids);
  return el;
}

// Icons: paths from Lucide (ISC, static/vendor/lucide/LICENSE).
const ICONS = {
  x: '<path d="M18 6 6 18"/><path d="m6 6 12 12"/>',
  send: '<path d="M3.714 3.048a.498.498 0 0 0-.683.627l2.843 7.627a2 2 0 0 1 0 1.396l-2.842 7.627a.498.498 0 0 0 .682.627l18-8.5a.5.5 0 0 0 0-.904z"/><path d="M6 12h16"/>',
  restart: '<path d="M3 12a9 9 0 1 0 9-9 9.75 9.75 0 0 0-6.74 2.74L3 8"/><path d="M3 3v5h5"/>',
};
function icon(name) {
  const s = h("span", { class: "qc-ico", "aria-hidden": "true" });
  s.innerHTML = `<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" focusable="false">${ICONS[name]}</svg>`;
  return s;
}

const fill = (text, vars) => (text || "").replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m));

// ---- the conversation, kept for the session ----

function newID() {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function loadState(key) {
  try {
    const s = JSON.parse(sessionStorage.getItem(key));
    if (s && typeof s.id === "string" && s.id.length <= 64 && Array.isArray(s.msgs)) {
      return { id: s.id, msgs: s.msgs.filter((m) => (m?.who === "me" || m?.who === "bot") && typeof m.text === "string") };
    }
  } catch { /* storage blocked or corrupt: start over */ }
  return { id: newID(), msgs: [] };
}

function saveState(key, state) {
  state.msgs = state.msgs.slice(-KEEP);
  try { sessionStorage.setItem(key, JSON.stringify(state)); } catch { /* kept in memory only */ }
}

// ---- replies: plain text, http(s) links ----

const URL_RE = /https?:\/\/[^\s<>"'«»]+/g;

// showText puts text in el, with its http(s) URLs as links: the store's own
// pages open here, other sites (wa.me) in a new tab.
function showText(el, text) {
  el.textContent = "";
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    const raw = m[0].replace(/[.,;:!?¡¿)\]}]+$/, "");
    let url;
    try { url = new URL(raw); } catch { continue; }
    if (url.protocol !== "https:" && url.protocol !== "http:") continue;
    el.append(text.slice(last, m.index));
    const a = h("a", { href: url.href, rel: "noopener", text: raw });
    if (url.origin !== location.origin) a.target = "_blank";
    el.append(a);
    last = m.index + raw.length;
  }
  el.append(text.slice(last));
}

// ---- talking to the server ----

// Problem is a failed question: what to tell the shopper, and whether it is
// about the message itself (shown as the input's error).
class Problem extends Error {
  constructor(message, { field = false, wait = 0, whatsapp = false } = {}) {
    super(message);
    Object.assign(this, { field, wait, whatsapp });
  }
}

// retryAfter reads a Retry-After header (seconds or a date) as seconds.
function retryAfter(res) {
  const v = res.headers.get("Retry-After");
  if (!v) return 0;
  const n = /^\d+$/.test(v.trim()) ? +v : Math.ceil((Date.parse(v) - Date.now()) / 1000);
  return n > 0 ? Math.min(n, 3600) : 0;
}

async function failure(res, S) {
  if (res.status === 429) {
    const wait = retryAfter(res);
    return new Problem(wait ? fill(S.sRate, { seconds: wait }) : S.sRateSoon, { wait });
  }
  if (res.status === 400) {
    const data = await res.json().catch(() => ({}));
    const msg = data?.fields?.message || data?.error;
    return new Problem(typeof msg === "string" && msg ? msg : S.sFailed, { field: true });
  }
  if (res.status === 404 || res.status === 503) return new Problem(S.sUnavailable, { whatsapp: true });
  return new Problem(S.sFailed, { whatsapp: true });
}

// events reads a text/event-stream body, calling on(event, data) for each
// event with its JSON data.
async function events(body, on) {
  const reader = body.getReader();
  const dec = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    buf += dec.decode(value, { stream: !done });
    const blocks = buf.split(/\r?\n\r?\n/);
    buf = done ? "" : blocks.pop();
    for (const block of blocks) {
      let event = "message", data = "";
      for (const line of block.split(/\r?\n/)) {
        const c = line.indexOf(":");
        if (c === 0) continue; // a comment
        const field = c < 0 ? line : line.slice(0, c);
        const v = c < 0 ? "" : line.slice(c + 1).replace(/^ /, "");
        if (field === "event") event = v;
        else if (field === "data") data += (data ? "\n" : "") + v;
      }
      if (!data) continue;
      let parsed;
      try { parsed = JSON.parse(data); } catch { continue; }
      on(event, parsed);
    }
    if (done) return;
  }
}

// ask sends one question and returns the reply, calling onText with the
// text so far while a streamed reply arrives. It throws a Problem.
async function ask(slug, sessionID, message, S, onText) {
  const headers = { "Content-Type": "application/json", Accept: "text/event-stream" };
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content;
  if (csrf) headers["X-CSRF-Token"] = csrf;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), TIMEOUT);
  try {
    const res = await fetch(`/${encodeURIComponent(slug)}/chat`, {
      method: "POST", headers, credentials: "same-origin", signal: ctrl.signal,
      body: JSON.stringify({ message, session_id: sessionID }),
    });
    if (!res.ok) throw await failure(res, S);
    if ((res.headers.get("Content-Type") || "").startsWith("text/event-stream") && res.body) {
      let text = "", reply = null;
      await events(res.body, (event, data) => {
        if (event === "delta" && typeof data.text === "string") onText((text += data.text));
        else if (event === "done" && typeof data.reply === "string") reply = data.reply;
      });
      if (reply === null) throw new Problem(S.sFailed, { whatsapp: true });
      return reply;
    }
    const data = await res.json();
    if (typeof data?.reply !== "string") throw new Problem(S.sFailed, { whatsapp: true });
    return data.reply;
  } catch (err) {
    if (err instanceof Problem) throw err;
    throw new Problem(S.sNetwork); // offline, dropped mid-reply, timed out
  } finally {
    clearTimeout(timer);
  }
}

// ---- the dialog ----

function build(btn) {
  const S = btn.dataset;
  const slug = S.slug || location.pathname.split("/")[1];
  const key = "qubly:chat:" + slug;
  const state = loadState(key);
  let busy = false;
  let waitUntil = 0; // rate limited until then

  const closeBtn = h("button", { type: "button", class: "qc-icon", "aria-label": S.sClose, onclick: () => dlg.close() }, icon("x"));
  const restartBtn = h("button", { type: "button", class: "qc-icon", title: S.sNew, "aria-label": S.sNew, onclick: restart }, icon("restart"));
  const log = h("div", { class: "qc-log", role: "region", tabindex: "0", "aria-label": S.sLog });
  const chips = h("div", { class: "qc-chips", role: "group", "aria-label": S.sSuggestions },
    ...[S.sQ1, S.sQ2, S.sQ3, S.sQ4].filter(Boolean).map((q) => h("button", { type: "button", class: "qc-chip", text: q, onclick: () => { log.focus(); send(q); } })));
  const live = h("p", { class: "qc-sr", "aria-live": "polite" });
  const err = h("p", { class: "qc-err", id: "qc-err", role: "alert", hidden: true });
  const count = h("p", { class: "qc-count", id: "qc-count", hidden: true });
  const input = h("textarea", {
    id: "qc-in", class: "qc-input", rows: "1", maxlength: String(MAX), enterkeyhint: "send", autocomplete: "off",
    placeholder: S.sPlaceholder, "aria-describedby": "qc-err qc-count",
  });
  const sendBtn = h("button", { type: "submit", class: "qc-send", "aria-label": S.sSend }, icon("send"));
  const form = h("form", { class: "qc-form", novalidate: true },
    err, h("div", { class: "qc-row" }, h("label", { class: "qc-sr", for: "qc-in", text: S.sInput }), input, sendBtn), count);
  const dlg = h("dialog", { class: "qc", "aria-modal": "true", "aria-labelledby": "qc-title", "aria-describedby": "qc-sub" },
    h("div", { class: "qc-head" },
      h("div", { class: "qc-titles" }, h("h2", { id: "qc-title", text: S.sTitle }), h("p", { id: "qc-sub", text: S.sSubtitle })),
      restartBtn, closeBtn),
    log, chips, live, form);
  document.body.append(dlg);

  function bubble(who, text) {
    const b = h("div", { class: "qc-msg qc-" + who }, h("span", { class: "qc-sr", text: (who === "me" ? S.sYou : S.sBot) + " " }));
    const body = h("span", { class: "qc-text" });
    showText(body, text);
    b.append(body);
    log.append(b);
    return b;
  }

  // reveal scrolls the log to show the end of the conversation, or the
  // start of a long last message.
  function reveal(last = log.lastElementChild) {
    if (!last) return;
    log.scrollTop = last.offsetHeight + 16 <= log.clientHeight ? log.scrollHeight : last.offsetTop - 8;
  }

  function render() {
    log.textContent = "";
    bubble("bot", S.sIntro).classList.add("qc-intro");
    for (const m of state.msgs) bubble(m.who, m.text);
    chips.hidden = state.msgs.length > 0;
    restartBtn.hidden = state.msgs.length === 0;
  }

  function restart() {
    if (busy) return;
    state.id = newID();
    state.msgs = [];
    saveState(key, state);
    render();
    input.focus();
  }

  function setError(msg, { field = false, whatsapp = false } = {}) {
    err.textContent = msg || "";
    err.hidden = !msg;
    if (msg && whatsapp && S.wa) err.append(" ", h("a", { href: S.wa, target: "_blank", rel: "noopener", text: S.sWhatsapp }));
    if (field && msg) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function counter() {
    const n = input.value.length;
    count.hidden = n < NEAR;
    count.textContent = fill(S.sLeft, { left: MAX - n });
    count.classList.toggle("qc-warn", MAX - n <= 20);
    // Grow with the text up to a few lines (CSS caps the height).
    input.style.height = "auto";
    input.style.height = input.scrollHeight + 2 + "px";
  }

  async function send(text) {
    text = text.trim();
    if (!text || busy) return;
    const wait = Math.ceil((waitUntil - Date.now()) / 1000);
    if (wait > 0) return setError(fill(S.sRate, { seconds: wait }));
    busy = true;
    setError("");
    chips.hidden = true;
    const mine = bubble("me", text);
    const bot = h("div", { class: "qc-msg qc-bot qc-typing" },
      h("span", { class: "qc-dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")));
    log.append(bot);
    input.value = "";
    counter();
    reveal();
    live.textContent = S.sTyping;
    try {
      const reply = await ask(slug, state.id, text, S, (partial) => {
        bot.classList.remove("qc-typing");
        showText(bot, partial);
        reveal(bot);
      });
      bot.remove();
      reveal(bubble("bot", reply));
      state.msgs.push({ who: "me", text }, { who: "bot", text: reply });
      saveState(key, state);
      restartBtn.hidden = false;
      live.textContent = S.sBot + " " + reply;
    } catch (e) {
      mine.remove();
      bot.remove();
      live.textContent = "";
      chips.hidden = state.msgs.length > 0;
      if (!input.value) input.value = text;
      counter();
      if (e.wait) waitUntil = Date.now() + e.wait * 1000;
      setError(e.message, e);
    } finally {
      busy = false;
    }
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    send(input.value);
    input.focus();
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener("input", () => {
    counter();
    if (input.getAttribute("aria-invalid")) setError("");
  });

  // Keep Tab inside the dialog.
  dlg.addEventListener("keydown", (e) => {
    if (e.key !== "Tab") return;
    const items = [...dlg.querySelectorAll("button, textarea, a[href], [tabindex]")]
      .filter((el) => !el.disabled && el.getClientRects().length && el.tabIndex >= 0);
    const [first, last] = [items[0], items[items.length - 1]];
    if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
  });
  // Escape (the dialog's cancel) and the close button end here.
  dlg.addEventListener("close", () => {
    btn.setAttribute("aria-expanded", "false");
    document.documentElement.classList.remove("qc-lock");
    btn.focus();
  });

  // Phones: the sheet follows the visible viewport, so the on-screen
  // keyboard shrinks it instead of covering the input.
  const vv = window.visualViewport;
  const fit = () => {
    if (!vv || !dlg.open) return;
    dlg.style.setProperty("--qc-h", vv.height + "px");
    dlg.style.setProperty("--qc-top", vv.offsetTop + "px");
    if (PHONE.matches) reveal();
  };
  vv?.addEventListener("resize", fit);
  vv?.addEventListener("scroll", fit);

  render();
  return {
    show() {
      if (!dlg.open) dlg.showModal();
      btn.setAttribute("aria-expanded", "true");
      document.documentElement.classList.add("qc-lock");
      fit();
      reveal();
      input.focus();
    },
  };
}
