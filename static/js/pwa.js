// Store as an app: registers the service worker (/sw.js, one for every
// store) and offers to install the store on the home screen: a button when
// the browser can prompt (beforeinstallprompt), step-by-step instructions on
// iPhone/iPad Safari, which cannot. Dismissing the instructions is remembered.

const en = (document.documentElement.lang || "").startsWith("en");
const T = en
  ? { install: "Install app", title: "Install this store", steps: ["Tap Share", "Choose “Add to Home Screen”", "Tap “Add”"], close: "Close" }
  : { install: "Instalar app", title: "Instala esta tienda", steps: ["Toca Compartir", "Elige “Agregar a inicio”", "Toca “Agregar”"], close: "Cerrar" };

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}

const standalone = matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
const dismissedKey = "qubly:install-dismissed";

function slot() {
  return document.querySelector("[data-install-slot]") || document.querySelector("header > div") || document.querySelector("header");
}

function button(onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "btn btn-secondary btn-sm ml-auto shrink-0";
  b.dataset.install = "";
  b.textContent = T.install;
  b.addEventListener("click", onClick);
  slot()?.append(b);
  return b;
}

let prompt = null;
let installBtn = null;
addEventListener("beforeinstallprompt", (e) => {
  e.preventDefault();
  prompt = e;
  installBtn ??= button(async () => {
    if (!prompt) return;
    prompt.prompt();
    await prompt.userChoice.catch(() => {});
    prompt = null;
    installBtn?.remove();
    installBtn = null;
  });
});
addEventListener("appinstalled", () => { installBtn?.remove(); installBtn = null; });

// iOS Safari: no install prompt; explain the Share menu once.
const ua = navigator.userAgent;
const ios = /iPhone|iPad|iPod/.test(ua) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
const safari = /Safari/.test(ua) && !/CriOS|FxiOS|EdgiOS|OPiOS|GSA|Instagram|FBAN|FBAV/.test(ua);
let dismissed = false;
try { dismissed = localStorage.getItem(dismissedKey) === "1"; } catch { /* storage blocked */ }

if (ios && safari && !standalone && !dismissed) {
  const panel = document.createElement("aside");
  panel.className = "card fixed inset-x-3 bottom-3 z-50 text-sm shadow-lg sm:left-auto sm:max-w-xs";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", T.title);
  panel.hidden = true;
  const btn = button(() => { panel.hidden = !panel.hidden; });
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
    btn.remove();
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
