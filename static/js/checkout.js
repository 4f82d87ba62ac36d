// Qubly checkout: the cart page (/<slug>/cart). It reconciles the cart
// kept by cart.js with /<slug>/catalog.json and posts the order as JSON to
// /<slug>/orders with an idempotency key per attempt, so a retry after an
// outage or a lost answer never orders twice.

const {
  $, $$, MAX, SHOPPER, load, save, forget, readCart, writeCart, unitsOf, pesos, fill,
  controls, valueOf, mark, unmark, focusFirst, rememberOrder, showLastOrder, attemptKey, updateCount,
} = globalThis.qublyCart;

const root = $("[data-cart]");
if (root) {
  const slug = root.dataset.slug;
  // After checkout (Back, or a reload) the empty cart shows the last order,
  // unless the page still says "done" with its own links.
  const lastOrder = () => !readCart(slug).length && $("[data-cart-done]", root).hidden && showLastOrder(slug);
  addEventListener("pageshow", (e) => e.persisted && lastOrder());
  cartPage(root).then(lastOrder);
}

async function cartPage(root) {
  const S = root.dataset; // slug, deliveryFee, deliveryMin, strings sEach, sSoldOut, …
  const slug = S.slug;
  const fee = +S.deliveryFee || 0;
  const min = +S.deliveryMin || 0;
  const form = $("[data-checkout-form]", root);
  const list = $("[data-cart-lines]", root);
  const tpl = $("[data-line-template]", root).content.firstElementChild;
  const [submit, submitLabel, formError, formErrorText, retry] =
    ["submit", "submit-label", "form-error", "form-error-text", "retry"].map((n) => $(`[data-${n}]`, form));
  const show = (sel, on = true) => { $(sel, root).hidden = !on; };
  const noOrders = form.hasAttribute("data-no-orders"); // the store takes none now
  const changed = new Map(); // line → unit price seen before
  let lines = readCart(slug);
  let products = null;
  let sent = [];
  let sending = false;

  show("[data-cart-nojs]", false);
  updateCount(lines);
  if (!lines.length) return show("[data-cart-empty]");

  // loadCatalog refreshes prices, options and stock from the store.
  async function loadCatalog() {
    try {
      const r = await fetch(`/${slug}/catalog.json`, { headers: { Accept: "application/json" } });
      if (!r.ok) throw r.status;
      products = new Map((await r.json()).products.map((p) => [p.id, p]));
    } catch {
      $("[data-cart-notice]", root).textContent = S.sStale;
      show("[data-cart-notice]");
    }
  }
  await loadCatalog();

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

  const fulfillment = () => valueOf(form, "fulfillment");
  const stockOf = (id) => (products?.get(id)?.stock ?? null);

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
      const stock = stockOf(line.product_id);
      const units = unitsOf(lines, line.product_id);
      if (x.ok) {
        subtotal += x.unit * line.quantity;
        set("[data-each]", S.sEach.replace("{price}", pesos(x.unit)));
        set("[data-total]", pesos(x.unit * line.quantity));
        if (stock !== null && units > stock) {
          blocked = true;
          warn.textContent = fill(S.sStockLeft, { count: stock });
        } else if (changed.has(line)) {
          warn.textContent = S.sPriceChanged.replace("{old}", pesos(changed.get(line))).replace("{new}", pesos(x.unit));
        }
      } else {
        blocked = true;
        li.classList.add("opacity-75");
        warn.textContent = x.soldOut ? S.sSoldOut : S.sGone;
        $("[data-dec]", li).hidden = $("[data-inc]", li).hidden = true;
      }
      warn.hidden = !warn.textContent;
      $("[data-dec]", li).disabled = line.quantity <= 1;
      $("[data-inc]", li).disabled = line.quantity >= MAX || (stock !== null && units >= stock);
      list.append(li);
    });
    const delivery = fulfillment() === "delivery";
    const belowMin = delivery && subtotal < min;
    $("[data-subtotal]", root).textContent = pesos(subtotal);
    $("[data-fee]", root).textContent = pesos(fee);
    $("[data-total-all]", root).textContent = pesos(subtotal + (delivery ? fee : 0));
    show("[data-fee-row]", delivery);
    const cash = valueOf(form, "payment_method") === "cash";
    for (const [sel, on] of [["[data-min-warning]", belowMin], ["[data-address-field]", delivery], ["[data-cash-field]", cash]]) {
      if ($(sel, root)) show(sel, on);
    }
    submit.disabled = noOrders || sending || blocked || belowMin;
    show("[data-cart-full]");
  }

  list.addEventListener("click", (e) => {
    const btn = e.target.closest("button");
    const line = lines[btn?.closest("[data-line]")?.dataset.i];
    if (!line) return;
    const stock = stockOf(line.product_id);
    if (btn.matches("[data-inc]")) {
      const room = stock === null ? MAX : stock - unitsOf(lines, line.product_id);
      if (room > 0) line.quantity = Math.min(MAX, line.quantity + 1);
    } else if (btn.matches("[data-dec]")) line.quantity = Math.max(1, line.quantity - 1);
    else if (btn.matches("[data-remove]")) lines = lines.filter((l) => l !== line);
    writeCart(slug, lines);
    if (lines.length) return render();
    show("[data-cart-full]", false);
    show("[data-cart-empty]");
  });

  // Prefill what this device remembers of the shopper.
  const me = load(SHOPPER, {});
  for (const name of ["name", "phone", "address", "fulfillment", "payment_method"]) {
    if (!me[name]) continue;
    for (const el of controls(form, name)) {
      if (el.type === "radio") el.checked ||= el.value === me[name];
      else el.value = me[name];
    }
  }
  form.addEventListener("change", (e) => ["fulfillment", "payment_method"].includes(e.target.name) && render());
  // Changing a marked field takes its mark away.
  form.addEventListener("input", (e) => {
    const el = e.target;
    if (!el.name || !el.hasAttribute("aria-invalid")) return;
    const ctl = controls(form, el.name);
    unmark(document.getElementById(el.getAttribute("aria-describedby")?.split(" ").pop()), ctl);
  });

  const fieldName = (k) => ({ "customer.name": "name", "customer.phone": "phone" })[k] || k;

  // showErrors puts each message by its field (items[i] by its cart line)
  // and returns the problems, or null when none has a place on the page.
  function showErrors(fields) {
    const problems = [];
    for (const [k, msg] of Object.entries(fields)) {
      const m = /^items\[(\d+)\]/.exec(k);
      if (m) {
        const li = $(`[data-i="${lines.indexOf(sent[m[1]])}"]`, list);
        const err = li && $("[data-line-error]", li);
        if (!err) continue;
        err.id = `e-line-${li.dataset.i}`;
        const btns = [$("[data-dec]", li), $("[data-inc]", li)];
        for (const b of btns) b.setAttribute("aria-describedby", err.id);
        mark(err, [li], msg);
        $("[data-warn]", li).hidden = true; // the server's word replaces ours
        const dec = btns[0];
        problems.push({ err, focus: dec.hidden || dec.disabled ? $("[data-remove]", li) : dec, scroll: li });
        continue;
      }
      const err = $(`[data-error-for="${CSS.escape(k)}"]`, form);
      if (!err) continue;
      const inputs = controls(form, fieldName(k));
      mark(err, inputs, msg);
      problems.push({ err, focus: inputs.find((el) => el.checked) || inputs[0] });
    }
    return problems.length ? problems : null;
  }

  function clearErrors() {
    formError.hidden = retry.hidden = true;
    for (const el of $$("[data-error-for]", form)) el.hidden = true;
    for (const el of $$("[data-line-error]", list)) el.hidden = true;
    for (const el of $$("[aria-invalid]", root)) el.removeAttribute("aria-invalid");
  }

  // attempt keeps one idempotency key per checkout of these items, also
  // across reloads, so a retry after a lost answer never orders twice.
  function attempt(items) {
    const snap = JSON.stringify(items);
    const a = load(attemptKey(slug), null);
    if (a?.items === snap && typeof a.key === "string") return a.key;
    const k = crypto.randomUUID?.() ||
      [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
    save(attemptKey(slug), { key: k, items: snap });
    return k;
  }

  retry.addEventListener("click", () => form.requestSubmit());

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (sending) return;
    clearErrors();
    const delivery = fulfillment() === "delivery";
    sent = lines.slice();
    const body = {
      items: sent.map(({ product_id, quantity, options }) => ({ product_id, quantity, options })),
      customer: { name: valueOf(form, "name"), phone: valueOf(form, "phone") },
      fulfillment: fulfillment(),
      address: delivery ? valueOf(form, "address") : "",
      payment_method: valueOf(form, "payment_method"),
      cash_tendered: valueOf(form, "payment_method") === "cash" ? valueOf(form, "cash_tendered") : "",
      notes: valueOf(form, "notes"),
    };
    const label = submitLabel.textContent;
    sending = submit.disabled = true;
    submitLabel.textContent = S.sSending;
    let fail = S.sNetwork;
    let again = true; // the same order may be sent again as is
    let fields = null;
    try {
      const r = await fetch(`/${slug}/orders`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRF-Token": $('meta[name="csrf-token"]')?.content || "",
          "Idempotency-Key": attempt(body.items),
        },
        body: JSON.stringify(body),
      });
      const data = await r.json().catch(() => ({}));
      if (r.ok && data.code) return placed(body, data);
      if (r.status === 400) {
        fields = data.fields || {};
        fail = fields.body || fields.store || S.sInvalid;
        again = false;
        // Stock or products changed since the page loaded: catch up.
        if (Object.keys(fields).some((k) => k.startsWith("items"))) await loadCatalog();
      } else if (r.status === 403) {
        fail = S.sExpired;
        again = false;
      } else if (r.status >= 500) fail = S.sOutage;
      else if (data.error) fail = data.error;
    } catch { /* offline or cut off: the cart stays, try again */ }
    sending = false;
    submitLabel.textContent = label;
    render(); // also re-enables the button
    formErrorText.textContent = fail;
    formError.hidden = false;
    retry.hidden = !again;
    const problems = fields && showErrors(fields);
    if (problems) focusFirst(problems);
    else focusFirst([{ err: formError, focus: again ? retry : null }]);
  });

  // placed keeps the order on this device, empties the cart and opens
  // WhatsApp with the order written.
  function placed(body, data) {
    save(SHOPPER, { ...body.customer, address: body.address || me.address || "",
      fulfillment: body.fulfillment, payment_method: body.payment_method });
    rememberOrder(slug, data);
    forget(attemptKey(slug));
    writeCart(slug, []);
    sending = false;
    show("[data-cart-full]", false);
    $("[data-done-whatsapp]", root).href = data.whatsapp_url;
    $("[data-done-tracking]", root).href = data.tracking_url;
    show("[data-cart-done]");
    location.href = data.whatsapp_url;
  }

  render();
}
