// Store as an app: registers the service worker (/sw.js, one for every
// store) and offers to install the store on the home screen: the header's
// install button (rendered hidden, in a row that already has its height, so
// showing it moves nothing) when the browser can prompt (beforeinstallprompt),
// step-by-step instructions on iPhone/iPad Safari, which cannot. Dismissing
// the instructions is remembered.

const en = (document.documentElement.lang || "").startsWith("en");
const T = en
  ? { title: "Install this store", steps: ["Tap Share", "Choose “Add to Home Screen”", "Tap “Add”"], close: "Close" }
  : { title: "Instala esta tienda", steps: ["Toca Compartir", "Elige “Agregar a inicio”", "Toca “Agregar”"], close: "Cerrar" };

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}

const standalone = matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
const dismissedKey = "qubly:install-dismissed";
const installBtn = document.querySelector("[data-install]");
let onInstall = null; // what a tap on the button does, while it is shown
installBtn?.addEventListener("click", () => onInstall?.());

function offer(action) {
  onInstall = action;
  installBtn.hidden = false;
}

function withdraw() {
  onInstall = null;
  if (installBtn) installBtn.hidden = true;
}

let prompt = null;
addEventListener("beforeinstallprompt", (e) => {
  if (!installBtn) return; // no button here: the browser offers it itself
  e.preventDefault();
  prompt = e;
  offer(async () => {
    if (!prompt) return;
    prompt.prompt();
    await prompt.userChoice.catch(() => {});
    prompt = null;
    withdraw();
  });
});
addEventListener("appinstalled", withdraw);

// iOS Safari: no install prompt; explain the Share menu once.
const ua = navigator.userAgent;
const ios = /iPhone|iPad|iPod/.test(ua) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
const safari = /Safari/.test(ua) && !/CriOS|FxiOS|EdgiOS|OPiOS|GSA|Instagram|FBAN|FBAV/.test(ua);
let dismissed = false;
try { dismissed = localStorage.getItem(dismissedKey) === "1"; } catch { /* storage blocked */ }

if (installBtn && ios && safari && !standalone && !dismissed) {
  const panel = document.createElement("aside");
  panel.className = "card fixed inset-x-3 bottom-3 z-50 text-sm shadow-lg sm:left-auto sm:max-w-xs";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", T.title);
  panel.hidden = true;
  offer(() => { panel.hidden = !panel.hidden; });
  const head = document.createElement("div");
  head.className = "flex items-center justify-between gap-2";
  const title = document.createElement("strong");
  title.textContent = T.title;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "btn btn-link btn-sm";
  close.textContent = T.close;
  close.addEventListener("click", () => {
    panel.remove();
    withdraw();
    try { localStorage.setItem(dismissedKey, "1"); } catch { /* storage blocked */ }
  });
  head.append(title, close);
  const list = document.createElement("ol");
  list.className = "mt-2 list-decimal pl-5 space-y-1";
  for (const s of T.steps) {
    const li = document.createElement("li");
    li.textContent = s;
    list.append(li);
  }
  panel.append(head, list);
  document.body.append(panel);
}
