// Qubly cart, loaded on every store page. localStorage "qubly:cart:<slug>"
// holds lines {product_id, quantity, options, unit_cents, name} (price and
// name as seen when added). Totals here are for display: the server prices
// every order. Without JS or localStorage the product form posts to
// /<slug>/checkout instead. "qubly:orders:<slug>" keeps the shopper's recent
// orders on this device (store pages are cached for everyone, so the last
// order is shown from here). The cart page's checkout is checkout.js, which
// uses the helpers this module puts on globalThis.qublyCart.

const $ = (s, r = document) => r.querySelector(s);
const $$ = (s, r = document) => [...r.querySelectorAll(s)];
const MAX = 99;
const SHOPPER = "qubly:shopper";
const KEPT_ORDERS = 5;
const ORDER_DAYS = 30; // recent orders older than this are forgotten
const LAST_ORDER_DAYS = 3; // the store page shows the last order this long
const DAY = 864e5;
const key = (slug) => "qubly:cart:" + slug;
const ordersKey = (slug) => "qubly:orders:" + slug;
const attemptKey = (slug) => "qubly:checkout:" + slug;
const pathSlug = () => location.pathname.split("/")[1];
const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m));

function load(k, fallback) {
  try { return JSON.parse(localStorage.getItem(k)) ?? fallback; } catch { return fallback; }
}
function save(k, v) {
  try { localStorage.setItem(k, JSON.stringify(v)); return true; } catch { return false; }
}
function forget(k) {
  try { localStorage.removeItem(k); } catch { /* nothing stored */ }
}

const valid = (l) => l && Number.isInteger(l.product_id) && Number.isInteger(l.quantity) &&
  l.quantity > 0 && Array.isArray(l.options) && l.options.every(Number.isInteger);

function readCart(slug) {
  const lines = load(key(slug), []);
  return Array.isArray(lines) ? lines.filter(valid) : [];
}

function writeCart(slug, lines) {
  if (lines.length) save(key(slug), lines);
  else forget(key(slug));
  updateCount(lines);
}

function updateCount(lines) {
  const n = lines.reduce((sum, l) => sum + l.quantity, 0);
  for (const el of $$("[data-cart-count]")) {
    el.textContent = n;
    el.hidden = !n;
  }
}

const unitsOf = (lines, id) => lines.reduce((n, l) => n + (l.product_id === id ? l.quantity : 0), 0);

// pesos formats centavos for es-MX: 123450 → "$1,234.50", without floats.
function pesos(c) {
  c = Math.round(c);
  const abs = Math.abs(c);
  return (c < 0 ? "-$" : "$") + String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+$)/g, ",") +
    "." + String(abs % 100).padStart(2, "0");
}

let toastTimer;
function toast(text) {
  let t = $("#qubly-toast");
  if (!t) {
    t = document.createElement("div");
    t.id = "qubly-toast";
    t.setAttribute("role", "status");
    t.className = "fixed inset-x-4 bottom-4 z-50 mx-auto max-w-sm rounded-xl bg-gray-900 p-3 text-center text-white shadow-lg";
    document.body.append(t);
  }
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 2500);
}

// ---- messages beside fields ----

// controls lists the form controls named name: form.elements[name] is one
// element, a RadioNodeList or nothing, so never rely on it.
const controls = (form, name) => $$(`[name="${CSS.escape(name)}"]`, form);

// valueOf is a field's value: the checked radio's, or the control's, trimmed.
function valueOf(form, name) {
  const els = controls(form, name);
  if (els[0]?.type === "radio") return els.find((el) => el.checked)?.value || "";
  return els[0]?.value?.trim() || "";
}

// mark shows msg in the error element err and marks the controls invalid.
function mark(err, inputs, msg) {
  err.textContent = msg;
  err.hidden = false;
  for (const el of inputs) el.setAttribute("aria-invalid", "true");
}

function unmark(err, inputs) {
  if (err) err.hidden = true;
  for (const el of inputs) el.removeAttribute("aria-invalid");
}

// focusFirst focuses the first problem in document order and scrolls it
// into view. Each problem is {err, focus}.
function focusFirst(problems) {
  const first = problems.sort((a, b) =>
    a.err.compareDocumentPosition(b.err) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1)[0];
  if (!first) return;
  const target = first.focus || first.err;
  if (!target.matches("input, select, textarea, button, a")) target.tabIndex = -1;
  target.focus({ preventScroll: true });
  (first.scroll || target).scrollIntoView({ block: "center" });
}

// ---- product pages: add to cart ----

for (const f of $$("form[data-add-to-cart]")) f.noValidate = true; // our messages, by the fields

// groupPicks lists the chosen inputs of an option group.
const groupPicks = (g) => $$('[name="options"]', g)
  .map((el) => (el.tagName === "SELECT" ? el.selectedOptions[0] : el.checked && el))
  .filter((el) => el?.value);

function groupProblem(f, g, picked) {
  const n = picked ?? groupPicks(g).length;
  const [min, max, group] = [+g.dataset.min || 0, +g.dataset.max || 0, g.dataset.groupName || ""];
  if (n < min) return fill(f.dataset.sOptionMin || "", { min, group });
  if (max > 0 && n > max) return fill(f.dataset.sOptionMax || "", { max, group });
  return "";
}

// quantityProblem checks the wanted quantity against 1..99 and the stock,
// counting what the cart already holds of the product.
function quantityProblem(f, qty, inCart) {
  const stock = f.dataset.stock === undefined ? null : +f.dataset.stock;
  const top = Math.min(MAX, +f.dataset.maxQty || MAX);
  if (!(qty >= 1 && qty <= MAX)) return fill(f.dataset.sQuantity || "", { max: top });
  if (stock === null || qty + inCart <= stock) return "";
  if (!inCart) return fill(f.dataset.sStockLeft || "", { count: stock });
  if (inCart >= stock) return fill(f.dataset.sStockAllInCart || "", { count: stock });
  return fill(f.dataset.sStockInCart || "", { cart: inCart, count: stock, left: stock - inCart });
}

// A checkbox past its group's maximum is unchecked at once, with a message.
document.addEventListener("change", (e) => {
  const el = e.target;
  const f = el.closest?.("form[data-add-to-cart]");
  const g = el.closest?.("[data-option-group]");
  if (!f || !g || el.name !== "options") return;
  const err = $("[data-group-error]", g);
  const inputs = $$('[name="options"]', g);
  const max = +g.dataset.max || 0;
  if (el.type === "checkbox" && el.checked && max > 0 && groupPicks(g).length > max) {
    el.checked = false;
    mark(err, inputs, fill(f.dataset.sOptionMax || "", { max, group: g.dataset.groupName || "" }));
    return;
  }
  if (!groupProblem(f, g)) unmark(err, inputs);
});

document.addEventListener("input", (e) => {
  const f = e.target.closest?.("form[data-add-to-cart]");
  if (f && e.target.name === "quantity") unmark($("[data-qty-error]", f), [e.target]);
});

document.addEventListener("submit", (e) => {
  const f = e.target;
  const slug = pathSlug();
  const id = Number(f.dataset?.productId);
  if (!f.matches?.("form[data-add-to-cart]") || !slug || !(id > 0)) return; // the form posts
  const picked = $$("[data-option-group]", f).flatMap(groupPicks);
  const lines = readCart(slug);
  const qtyInput = f.elements.quantity;
  const qty = qtyInput ? Number(qtyInput.value) : 1;
  const problems = [];
  for (const g of $$("[data-option-group]", f)) {
    const msg = groupProblem(f, g);
    const err = $("[data-group-error]", g);
    const inputs = $$('[name="options"]', g);
    if (!msg) { unmark(err, inputs); continue; }
    mark(err, inputs, msg);
    problems.push({ err, focus: inputs[0], scroll: g });
  }
  const qtyErr = $("[data-qty-error]", f);
  const qmsg = quantityProblem(f, qty, unitsOf(lines, id));
  if (qtyErr && qmsg) {
    mark(qtyErr, [qtyInput], qmsg);
    problems.push({ err: qtyErr, focus: qtyInput });
  } else if (qtyErr) unmark(qtyErr, [qtyInput]);
  if (problems.length) {
    e.preventDefault();
    return focusFirst(problems);
  }
  const options = picked.map((el) => +el.value).sort((a, b) => a - b);
  const line = {
    product_id: id,
    quantity: qty,
    options,
    unit_cents: Math.max(0, picked.reduce((sum, el) => sum + (+el.dataset.deltaCents || 0), +f.dataset.priceCents || 0)),
    name: f.dataset.productName || "",
  };
  const same = lines.find((l) => l.product_id === id && l.options.join() === options.join());
  if (same) Object.assign(same, line, { quantity: Math.min(MAX, same.quantity + line.quantity) });
  else lines.push(line);
  if (!save(key(slug), lines)) return; // no storage: the form posts
  e.preventDefault();
  updateCount(lines);
  toast(f.dataset.sAdded || (document.documentElement.lang.startsWith("en") ? "Added to cart" : "Agregado al carrito"));
});

addEventListener("storage", () => updateCount(readCart($("[data-cart]")?.dataset.slug || pathSlug())));

// ---- recent orders on this device ----

function recentOrders(slug) {
  const list = load(ordersKey(slug), []);
  const since = Date.now() - ORDER_DAYS * DAY;
  return Array.isArray(list) ? list.filter((o) => o && typeof o.code === "string" && o.at > since) : [];
}

function rememberOrder(slug, data) {
  const o = {
    code: data.code, tracking_url: data.tracking_url, whatsapp_url: data.whatsapp_url,
    total_cents: data.total_cents, at: Date.now(),
  };
  save(ordersKey(slug), [o, ...recentOrders(slug).filter((x) => x.code !== o.code)].slice(0, KEPT_ORDERS));
}

// showLastOrder fills the "your last order" card, when the page has one and
// this device placed an order here in the last few days.
function showLastOrder(slug) {
  const card = $("[data-last-order]");
  if (!card) return;
  const o = recentOrders(slug)[0];
  const safe = (u, prefix) => (typeof u === "string" && u.startsWith(prefix) ? u : null);
  const wa = safe(o?.whatsapp_url, "https://wa.me/");
  const track = safe(o?.tracking_url, location.origin + "/") || safe(o?.tracking_url, "https://");
  card.hidden = !(o && wa && track && o.at > Date.now() - LAST_ORDER_DAYS * DAY);
  if (card.hidden) return;
  const lang = document.documentElement.lang || "es-MX";
  // In the store's time zone, as its order page says it.
  const when = { day: "numeric", month: "short", hour: "numeric", minute: "2-digit", timeZone: card.dataset.timeZone || undefined };
  let time;
  try { time = new Date(o.at).toLocaleString(lang, when); } catch { time = new Date(o.at).toLocaleString(lang, { ...when, timeZone: undefined }); }
  $("[data-last-order-summary]", card).textContent = fill(card.dataset.sSummary || "", {
    code: o.code, total: pesos(+o.total_cents || 0), time,
  });
  $("[data-last-order-whatsapp]", card).href = wa;
  $("[data-last-order-tracking]", card).href = track;
}

// ---- every store page ----

const slugHere = $("[data-cart]")?.dataset.slug || pathSlug();
// The cart page (checkout.js) decides there when to show the last order.
const lastOrderHere = () => slugHere && !$("[data-cart]") && showLastOrder(slugHere);
if (slugHere) updateCount(readCart(slugHere));
lastOrderHere();
// Back after checkout may restore a page from the back/forward cache.
addEventListener("pageshow", (e) => {
  if (!e.persisted || !slugHere) return;
  updateCount(readCart(slugHere));
  lastOrderHere();
});

// ---- the store's assistant: nothing loads until the button is tapped ----

const chatBtn = $("[data-chat-open]");
let chat; // chat.js, once imported (and chat.css applied)
if (chatBtn) {
  chatBtn.hidden = false;
  chatBtn.addEventListener("click", () => {
    chat ??= Promise.all([import(chatBtn.dataset.js), new Promise((ok, fail) => {
      const css = document.createElement("link");
      Object.assign(css, { rel: "stylesheet", href: chatBtn.dataset.css, onload: ok, onerror: fail });
      document.head.append(css);
    })]).then(([m]) => m);
    chat.then((m) => m.open(chatBtn), () => { chat = null; toast(chatBtn.dataset.sLoadFailed); });
  });
  // The button rises above an order button it would cover (phones).
  let lift = 0;
  const avoid = () => {
    const b = chatBtn.getBoundingClientRect();
    const top = b.top + lift, bottom = b.bottom + lift;
    let up = 0;
    for (const el of $$("[data-submit],[data-whatsapp],[data-done-whatsapp],[data-last-order-whatsapp]")) {
      const r = el.getBoundingClientRect();
      if (r.height && r.top < bottom && r.bottom > top && r.left < b.right && r.right > b.left) up = Math.max(up, bottom - r.top + 8);
    }
    if (up > innerHeight / 2) up = 0;
    if (up !== lift) chatBtn.style.setProperty("--chat-lift", (lift = up) + "px");
  };
  const later = () => requestAnimationFrame(avoid);
  addEventListener("scroll", later, { passive: true });
  new ResizeObserver(later).observe(document.body); // the cart filled in, a turned phone
}

globalThis.qublyCart = {
  $, $$, MAX, SHOPPER, load, save, forget, readCart, writeCart, unitsOf, pesos, fill,
  controls, valueOf, mark, unmark, focusFirst, rememberOrder, showLastOrder, attemptKey, updateCount,
};
