// Upload forms: a file over the size limit is refused here, before it is
// sent, with the same inline message the server gives.
//
// Markup: <input type="file" id="…" data-max-bytes="8388608"
// data-too-big="The photo is larger than 8 MB…">. The message goes in a
// <p class="field-error" id="e-<input name>"> after the input, as the
// server writes it.

function setError(input, msg) {
  const id = `e-${input.name}`;
  let p = document.getElementById(id);
  const described = (input.getAttribute("aria-describedby") || "").split(" ").filter((s) => s && s !== id);
  if (!msg) {
    if (p) p.remove();
    input.removeAttribute("aria-invalid");
    input.setAttribute("aria-describedby", described.join(" "));
    return;
  }
  if (!p) {
    p = document.createElement("p");
    p.className = "field-error";
    p.id = id;
    input.insertAdjacentElement("afterend", p);
  }
  p.setAttribute("role", "alert");
  p.textContent = msg;
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", [id, ...described].join(" "));
}

for (const input of document.querySelectorAll('input[type="file"][data-max-bytes]')) {
  const max = Number(input.dataset.maxBytes);
  const tooBig = () => [...(input.files || [])].some((f) => f.size > max);
  input.addEventListener("change", () => setError(input, tooBig() ? input.dataset.tooBig : ""));
  input.form?.addEventListener("submit", (e) => {
    if (!tooBig()) return;
    e.preventDefault();
    setError(input, input.dataset.tooBig);
    input.focus();
  });
}
