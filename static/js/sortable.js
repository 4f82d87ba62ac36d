// Catalog ordering: drag and drop (mouse, touch, pen) and arrow keys on the
// handle, saved with POST <data-reorder-url> (ids in the new order). Without
// this script the lists still reorder with their "Move up / Move down" forms.
//
// Markup: <ul data-sortable data-reorder-url="…" data-msg-saved="…"
// data-msg-error="…" data-msg-moved="… {pos} … {total}"> with <li data-id>
// items, each holding a <button data-drag-handle hidden>; a sibling
// [data-sortable-status] element (aria-live) announces what happened.
//
// Also on catalog pages: forms with data-confirm (or data-confirm-when) ask
// before submitting, and
// [data-select-all] toggles every bulk checkbox.

const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
const dragging = ["opacity-60", "ring-2", "ring-brand-600", "relative", "z-10"];

function items(list) {
  return [...list.children].filter((el) => el.dataset.id);
}

function ids(list) {
  return items(list).map((el) => el.dataset.id);
}

function restore(list, order) {
  const byID = new Map(items(list).map((el) => [el.dataset.id, el]));
  for (const id of order) {
    const el = byID.get(id);
    if (el) list.appendChild(el);
  }
}

function setup(list) {
  const status = list.parentElement.querySelector("[data-sortable-status]");
  const say = (text) => {
    if (!status) return;
    status.textContent = "";
    setTimeout(() => { status.textContent = text; }, 50);
  };
  let saved = ids(list); // the order the server has
  let timer = null;
  let busy = false; // a save is in flight
  let again = false; // the order changed while it was

  async function save() {
    clearTimeout(timer);
    timer = null;
    if (busy) {
      again = true;
      return;
    }
    const order = ids(list);
    if (order.join() === saved.join()) return;
    const body = new URLSearchParams();
    for (const id of order) body.append("ids", id);
    busy = true;
    try {
      const res = await fetch(list.dataset.reorderUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
        body,
      });
      if (!res.ok) throw new Error(String(res.status));
      saved = order;
      say(list.dataset.msgSaved || "");
    } catch {
      restore(list, saved);
      say(list.dataset.msgError || "");
    } finally {
      busy = false;
      if (again) {
        again = false;
        save();
      }
    }
  }

  function announceMove(item) {
    const all = items(list);
    const text = (list.dataset.msgMoved || "")
      .replace("{pos}", String(all.indexOf(item) + 1))
      .replace("{total}", String(all.length));
    say(text);
  }

  for (const handle of list.querySelectorAll("[data-drag-handle]")) {
    handle.hidden = false;
    const item = handle.closest("[data-id]");

    // Keyboard: arrows move the item; the order is saved shortly after.
    handle.addEventListener("keydown", (e) => {
      let moved = false;
      if (e.key === "ArrowUp" && item.previousElementSibling?.dataset.id) {
        list.insertBefore(item, item.previousElementSibling);
        moved = true;
      } else if (e.key === "ArrowDown" && item.nextElementSibling?.dataset.id) {
        list.insertBefore(item.nextElementSibling, item);
        moved = true;
      } else if (e.key === "Home" && item !== items(list)[0]) {
        list.insertBefore(item, items(list)[0]);
        moved = true;
      } else if (e.key === "End") {
        const last = items(list).at(-1);
        if (item !== last) {
          last.after(item);
          moved = true;
        }
      }
      if (!moved) return;
      e.preventDefault();
      handle.focus();
      announceMove(item);
      clearTimeout(timer);
      timer = setTimeout(save, 600);
    });

    // Pointer: drag the item over its siblings.
    handle.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      try {
        handle.setPointerCapture(e.pointerId);
      } catch {
        // capture is a nicety; moves still reach the handle
      }
      item.classList.add(...dragging);
      const move = (ev) => {
        const y = ev.clientY;
        const others = items(list).filter((el) => el !== item);
        const next = others.find((el) => {
          const r = el.getBoundingClientRect();
          return y < r.top + r.height / 2;
        });
        if (next) {
          if (item.nextElementSibling !== next) list.insertBefore(item, next);
        } else if (others.length && items(list).at(-1) !== item) {
          others.at(-1).after(item);
        }
        if (y < 60) window.scrollBy(0, -12);
        else if (y > window.innerHeight - 60) window.scrollBy(0, 12);
      };
      const end = () => {
        handle.removeEventListener("pointermove", move);
        handle.removeEventListener("pointerup", end);
        handle.removeEventListener("pointercancel", end);
        item.classList.remove(...dragging);
        if (ids(list).join() !== saved.join()) {
          announceMove(item);
          save();
        }
      };
      handle.addEventListener("pointermove", move);
      handle.addEventListener("pointerup", end);
      handle.addEventListener("pointercancel", end);
    });
  }
}

for (const list of document.querySelectorAll("[data-sortable][data-reorder-url]")) {
  setup(list);
}

// Ask before destructive forms: data-confirm always; data-confirm-when="name=value"
// only when that field has that value (a bulk delete), naming how many boxes
// are ticked with data-confirm-one / data-confirm-other ("{count}"). Once the
// owner agrees, confirm=1 spares them the server's confirmation page.
function ticked(form) {
  const own = form.querySelectorAll('input[type="checkbox"][name="ids"]:checked');
  const tied = form.id ? document.querySelectorAll(`input[type="checkbox"][form="${form.id}"]:checked`) : [];
  return own.length + tied.length;
}

function question(form) {
  if (form.dataset.confirm) return form.dataset.confirm;
  const [name, value] = (form.dataset.confirmWhen || "").split("=");
  if (!name || form.elements[name]?.value !== value) return "";
  const n = ticked(form);
  if (n === 0) return ""; // the server answers "select at least one"
  const rule = new Intl.PluralRules(document.documentElement.lang || "es").select(n);
  return (rule === "one" ? form.dataset.confirmOne : form.dataset.confirmOther).replace("{count}", String(n));
}

document.addEventListener("submit", (e) => {
  const form = e.target;
  if (!(form instanceof HTMLFormElement)) return;
  const q = question(form);
  if (!q) return;
  if (!window.confirm(q)) {
    e.preventDefault();
    return;
  }
  if (form.dataset.confirmWhen && !form.elements.confirm) {
    const yes = document.createElement("input");
    Object.assign(yes, { type: "hidden", name: "confirm", value: "1" });
    form.appendChild(yes);
  }
});

// "Select all" for bulk actions (checkboxes tied to the form by form="…").
for (const label of document.querySelectorAll("[data-select-all]")) {
  const form = label.closest("form");
  const box = label.querySelector('input[type="checkbox"]');
  if (!form?.id || !box) continue;
  label.hidden = false;
  box.addEventListener("change", () => {
    for (const cb of document.querySelectorAll(`input[type="checkbox"][form="${form.id}"]`)) {
      cb.checked = box.checked;
    }
  });
}
