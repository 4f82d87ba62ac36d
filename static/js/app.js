// Qubly progressive enhancements. Every page works without this file.

// Sign-up: suggest the store link from the business name until the owner edits it.
function slugify(s) {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
}

const form = document.querySelector("form[data-slug-from]");
if (form) {
  const source = form.querySelector(`[name="${form.dataset.slugFrom}"]`);
  const slug = form.querySelector('[name="slug"]');
  if (source && slug) {
    let edited = slug.value !== "" && slug.value !== slugify(source.value);
    slug.addEventListener("input", () => { edited = slug.value !== ""; });
    source.addEventListener("input", () => { if (!edited) slug.value = slugify(source.value); });
  }
}

// A form the server sent back with errors: move focus to the first field it
// marked, so a phone scrolls there and a screen reader reads its message
// (the banner at the top only says to check the marked fields).
const invalid = [...document.querySelectorAll('main [aria-invalid="true"]')].find((el) => el.offsetParent !== null);
if (invalid) {
  invalid.focus();
  invalid.scrollIntoView({ block: "center" });
}
