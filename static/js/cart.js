// Qubly cart. localStorage "qubly:cart:<slug>" holds lines {product_id,
// quantity, options, unit_cents, name} (price and name as seen when added).
// Totals here are for display: the server prices every order. Without JS or
// localStorage the product form posts to /<slug>/checkout instead.

const $ = (s, r = document) => r.querySelector(s);
const $$ = (s, r = document) => [...r.querySelectorAll(s)];
const MAX = 99;
const SHOPPER = "qubly:shopper";
const key = (slug) => "qubly:cart:" + slug;
const pathSlug = () => location.pathname.split("/")[1];

function load(k, fallback) {
  try { return JSON.parse(localStorage.getItem(k)) ?? fallback; } catch { return fallback; }
}
function save(k, v) {
  try { localStorage.setItem(k, JSON.stringify(v)); return true; } catch { return false; }
}

const valid = (l) => l && Number.isInteger(l.product_id) && Number.isInteger(l.quantity) &&
  l.quantity > 0 && Array.isArray(l.options) && l.options.every(Number.isInteger);

function readCart(slug) {
  const lines = load(key(slug), []);
  return Array.isArray(lines) ? lines.filter(valid) : [];
}

function writeCart(slug, lines) {
  if (lines.length) save(key(slug), lines);
  else try { localStorage.removeItem(key(slug)); } catch { /* nothing stored */ }
  updateCount(lines);
}

function updateCount(lines) {
  const n = lines.reduce((sum, l) => sum + l.quantity, 0);
  for (const el of $$("[data-cart-count]")) {
    el.textContent = n;
    el.hidden = !n;
  }
}

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

// ---- product pages: add to cart ----

document.addEventListener("submit", (e) => {
  const f = e.target;
  const slug = pathSlug();
  const id = Number(f.dataset?.productId);
  if (!f.matches?.("form[data-add-to-cart]") || !slug || !(id > 0)) return; // the form posts
  // Chosen options: checked radios and checkboxes, selected <option>s.
  const picked = $$('[name="options"]', f)
    .map((el) => (el.tagName === "SELECT" ? el.selectedOptions[0] : el.checked && el))
    .filter((el) => el?.value);
  // A group with too few or too many picks: let the server page explain.
  for (const g of $$("[data-option-group]", f)) {
    const n = picked.filter((el) => g.contains(el)).length;
    if (n < (+g.dataset.min || 0) || (+g.dataset.max > 0 && n > +g.dataset.max)) return;
  }
  const options = picked.map((el) => +el.value).sort((a, b) => a - b);
  const line = {
    product_id: id,
    quantity: Math.min(MAX, Math.max(1, parseInt(f.elements.quantity?.value, 10) || 1)),
    options,
    unit_cents: Math.max(0, picked.reduce((sum, el) => sum + (+el.dataset.deltaCents || 0), +f.dataset.priceCents || 0)),
    name: f.dataset.productName || "",
  };
  const lines = readCart(slug);
  const same = lines.find((l) => l.product_id === id && l.options.join() === options.join());
  if (same) Object.assign(same, line, { quantity: Math.min(MAX, same.quantity + line.quantity) });
  else lines.push(line);
  if (!save(key(slug), lines)) return; // no storage: the form posts
  e.preventDefault();
  updateCount(lines);
  toast(f.dataset.addedText || (document.documentElement.lang.startsWith("en") ? "Added to cart" : "Agregado al carrito"));
});

addEventListener("storage", () => updateCount(readCart($("[data-cart]")?.dataset.slug || pathSlug())));

// ---- the cart page ----

const root = $("[data-cart]");
if (root) cartPage(root);
else if (pathSlug()) updateCount(readCart(pathSlug()));

async function cartPage(root) {
  const S = root.dataset; // slug, deliveryFee, deliveryMin, strings sEach, sSoldOut, …
  const slug = S.slug;
  const fee = +S.deliveryFee || 0;
  const min = +S.deliveryMin || 0;
  const form = $("[data-checkout-form]", root);
  const list = $("[data-cart-lines]", root);
  const tpl = $("[data-line-template]", root).content.firstElementChild;
  const [submit, submitLabel, formError] = ["submit", "submit-label", "form-error"].map((n) => $(`[data-${n}]`, form));
  const show = (sel, on = true) => { $(sel, root).hidden = !on; };
  const noOrders = form.hasAttribute("data-no-orders"); // the store takes none now
  const changed = new Map(); // line → unit price seen before
  let lines = readCart(slug);
  let products = null;
  let sent = [];

  show("[data-cart-nojs]", false);
  updateCount(lines);
  if (!lines.length) return show("[data-cart-empty]");

  try {
    const r = await fetch(`/${slug}/catalog.json`, { headers: { Accept: "application/json" } });
    if (!r.ok) throw r.status;
    products = new Map((await r.json()).products.map((p) => [p.id, p]));
  } catch {
    $("[data-cart-notice]", root).textContent = S.sStale;
    show("[data-cart-notice]");
  }

  // priced checks a line against the catalog: ok, soldOut or gone.
  function priced(line) {
    if (!products) return { ok: true, unit: line.unit_cents || 0, name: line.name };
    const p = products.get(line.product_id);
    if (!p) return { gone: true, name: line.name };
    let unit = p.price_cents;
    const names = [];
    const bad = p.options.some((g) => {
      const picks = g.choices.filter((c) => line.options.includes(c.id));
      picks.forEach((c) => { unit += c.delta_cents; names.push(c.name); });
      return picks.length < g.min || (g.max > 0 && picks.length > g.max);
    });
    const x = { p, name: p.name, unit: Math.max(0, unit), opts: names.join(", ") };
    if (bad || names.length !== line.options.length) x.gone = true;
    else if (!p.available) x.soldOut = true;
    else x.ok = true;
    return x;
  }

  for (const line of lines) {
    const x = priced(line);
    if (!x.p || x.gone) continue;
    if (line.unit_cents != null && x.unit !== line.unit_cents) changed.set(line, line.unit_cents);
    line.unit_cents = x.unit;
    line.name = x.p.name;
  }
  writeCart(slug, lines);

  const fulfillment = () => form.elements.fulfillment?.value || "";

  function render() {
    list.replaceChildren();
    let subtotal = 0;
    let blocked = false;
    lines.forEach((line, i) => {
      const x = priced(line);
      const li = tpl.cloneNode(true);
      const set = (sel, text) => { $(sel, li).textContent = text; };
      li.dataset.i = i;
      set("[data-name]", x.name || "—");
      set("[data-opts]", x.opts || "");
      set("[data-qty]", line.quantity);
      if (x.p?.image) Object.assign($("[data-img]", li), { src: x.p.image, hidden: false });
      const warn = $("[data-warn]", li);
      if (x.ok) {
        subtotal += x.unit * line.quantity;
        set("[data-each]", S.sEach.replace("{price}", pesos(x.unit)));
        set("[data-total]", pesos(x.unit * line.quantity));
        if (changed.has(line)) warn.textContent = S.sPriceChanged.replace("{old}", pesos(changed.get(line))).replace("{new}", pesos(x.unit));
      } else {
        blocked = true;
        li.classList.add("opacity-75");
        warn.textContent = x.soldOut ? S.sSoldOut : S.sGone;
        $("[data-dec]", li).hidden = $("[data-inc]", li).hidden = true;
      }
      warn.hidden = !warn.textContent;
      $("[data-dec]", li).disabled = line.quantity <= 1;
      $("[data-inc]", li).disabled = line.quantity >= MAX;
      list.append(li);
    });
    const delivery = fulfillment() === "delivery";
    const belowMin = delivery && subtotal < min;
    $("[data-subtotal]", root).textContent = pesos(subtotal);
    $("[data-fee]", root).textContent = pesos(fee);
    $("[data-total-all]", root).textContent = pesos(subtotal + (delivery ? fee : 0));
    show("[data-fee-row]", delivery);
    for (const [sel, on] of [["[data-min-warning]", belowMin], ["[data-address-field]", delivery]]) {
      if ($(sel, root)) show(sel, on);
    }
    submit.disabled = noOrders || blocked || belowMin;
    show("[data-cart-full]");
  }

  list.addEventListener("click", (e) => {
    const btn = e.target.closest("button");
    const line = lines[btn?.closest("[data-line]")?.dataset.i];
    if (!line) return;
    if (btn.matches("[data-inc]")) line.quantity = Math.min(MAX, line.quantity + 1);
    else if (btn.matches("[data-dec]")) line.quantity = Math.max(1, line.quantity - 1);
    else if (btn.matches("[data-remove]")) lines = lines.filter((l) => l !== line);
    writeCart(slug, lines);
    if (lines.length) return render();
    show("[data-cart-full]", false);
    show("[data-cart-empty]");
  });

  // Prefill what this device remembers of the shopper.
  const me = load(SHOPPER, {});
  for (const name of ["name", "phone", "address", "fulfillment", "payment_method"]) {
    const el = me[name] && form.elements[name]; // a RadioNodeList checks the radio with that value
    if (el?.type === "radio") el.checked ||= el.value === me[name];
    else if (el) el.value = me[name];
  }
  form.addEventListener("change", (e) => e.target.name === "fulfillment" && render());

  // showErrors puts messages by their fields (items[i] by its line).
  function showErrors(fields) {
    let first = null;
    for (const [k, msg] of Object.entries(fields)) {
      const m = /^items\[(\d+)\]/.exec(k);
      const el = m
        ? $(`[data-i="${lines.indexOf(sent[m[1]])}"] [data-line-error]`, list)
        : $(`[data-error-for="${CSS.escape(k)}"]`, form);
      if (!el) continue;
      el.textContent = msg;
      el.hidden = false;
      const input = el.id && $(`[aria-describedby~="${el.id}"]`, form);
      input?.setAttribute("aria-invalid", "true");
      first ||= input || el;
    }
    return first;
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    formError.hidden = true;
    for (const el of $$("[data-error-for]", form)) el.hidden = true;
    for (const el of $$("[aria-invalid]", form)) el.removeAttribute("aria-invalid");
    const v = (name) => form.elements[name]?.value?.trim() || "";
    const delivery = fulfillment() === "delivery";
    sent = lines.slice();
    const body = {
      items: sent.map(({ product_id, quantity, options }) => ({ product_id, quantity, options })),
      customer: { name: v("name"), phone: v("phone") },
      fulfillment: fulfillment(),
      address: delivery ? v("address") : "",
      payment_method: v("payment_method"),
      notes: v("notes"),
    };
    const label = submitLabel.textContent;
    submit.disabled = true;
    submitLabel.textContent = S.sSending;
    let fail = S.sNetwork;
    let fields = null;
    try {
      const r = await fetch(`/${slug}/orders`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRF-Token": $('meta[name="csrf-token"]')?.content || "",
        },
        body: JSON.stringify(body),
      });
      const data = await r.json().catch(() => ({}));
      if (r.status === 201) {
        save(SHOPPER, { ...body.customer, address: delivery ? body.address : me.address || "",
          fulfillment: body.fulfillment, payment_method: body.payment_method });
        writeCart(slug, []);
        show("[data-cart-full]", false);
        $("[data-done-whatsapp]", root).href = data.whatsapp_url;
        $("[data-done-tracking]", root).href = data.tracking_url;
        show("[data-cart-done]");
        location.href = data.whatsapp_url;
        return;
      }
      if (r.status === 422) {
        fields = data.fields || {};
        fail = fields.body || fields.store || S.sInvalid;
      } else if (r.status === 403) fail = S.sExpired;
      else if (data.error) fail = data.error;
    } catch { /* offline: retry message */ }
    submitLabel.textContent = label;
    render(); // also re-enables the button
    formError.textContent = fail;
    formError.hidden = false;
    const first = fields && showErrors(fields);
    if (first?.matches("input, textarea")) first.focus();
    else formError.scrollIntoView({ block: "center" });
  });

  render();
}
