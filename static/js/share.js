// Store link on the dashboard home: copy and share buttons. They stay
// hidden without JavaScript (or without the browser API); the link is then
// selectable text and the "Compartir por WhatsApp" link still works.

const status = document.querySelector("[data-share-status]");

function say(text) {
  if (status) status.textContent = text;
}

for (const btn of document.querySelectorAll("[data-copy]")) {
  if (!navigator.clipboard || !window.isSecureContext) continue;
  btn.hidden = false;
  btn.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(btn.dataset.copy);
      say(btn.dataset.copied || "");
    } catch {
      say(btn.dataset.copyFailed || "");
    }
  });
}

for (const btn of document.querySelectorAll("[data-share-url]")) {
  if (typeof navigator.share !== "function") continue;
  btn.hidden = false;
  btn.addEventListener("click", async () => {
    try {
      await navigator.share({
        title: btn.dataset.shareTitle,
        text: btn.dataset.shareText,
        url: btn.dataset.shareUrl,
      });
    } catch {
      // The owner closed the share sheet: nothing to do.
    }
  });
}
