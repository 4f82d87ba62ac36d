package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/qubly/qubly/integrations/llm"
	"github.com/qubly/qubly/testkit"
)

// The store assistant's widget (static/js/chat.js) on phones. With
// QUBLY_SCREENSHOTS=dir the screens are saved there to be looked at.

const (
	chatButton = `[data-chat-open]`
	chatDialog = `dialog.qc`
	chatInput  = `#qc-in`
	// chatReplies are the assistant's answers, without the greeting or the
	// typing indicator.
	chatReplies = `.qc-bot:not(.qc-intro):not(.qc-typing)`
)

// chatLoaded counts the requests for the widget's script and style.
const chatLoaded = `performance.getEntriesByType("resource")
	.filter(r => /\/static\/(js\/chat\.js|css\/chat\.css)\b/.test(r.name)).length`

func TestChatWidgetOnAPhone(t *testing.T) {
	e := newShopperEnv(t, 390, 844)
	sent := recordChatRequests(e)
	e.exec(`UPDATE businesses SET primary_color = ? WHERE id = ?`, "#7c3aed", e.biz.ID)
	e.open("/demo")
	e.run("the chat button", chromedp.WaitVisible(chatButton, chromedp.ByQuery))
	if n := e.eval(chatLoaded); n != "0" {
		t.Fatalf("the store page fetched the chat's files before the button was tapped (%s)", n)
	}
	if label := e.eval(`document.querySelector("[data-chat-open]").textContent.trim()`); label != "Preguntar al asistente de la tienda" {
		t.Errorf("the button's label = %q", label)
	}
	// In the store's colours, from its theme.css.
	if got := e.eval(`(() => { const b = getComputedStyle(document.querySelector("[data-chat-open]"));
		const probe = document.createElement("i"); probe.style.setProperty("color", "var(--store-primary)"); document.body.append(probe);
		const primary = getComputedStyle(probe).color; probe.remove();
		return b.backgroundColor === primary && primary === "rgb(124, 58, 237)"; })()`); got != "true" {
		t.Error("the chat button is not in the store's primary colour")
	}
	chatShot(t, e.b, "chat-flow-closed-390-es")

	e.openChat()
	if n := e.eval(chatLoaded); n != "2" {
		t.Errorf("after the tap, %s of chat.js and chat.css were fetched, want both", n)
	}
	if got := e.eval(`document.activeElement.id`); got != "qc-in" {
		t.Errorf("the dialog opened with the focus on %q, not the input", got)
	}
	for attr, want := range map[string]string{"aria-modal": "true", "aria-labelledby": "qc-title"} {
		if got := e.eval(fmt.Sprintf(`document.querySelector(%q).getAttribute(%q)`, chatDialog, attr)); got != want {
			t.Errorf("dialog %s = %q, want %q", attr, got, want)
		}
	}
	if chips := e.eval(`[...document.querySelectorAll(".qc-chip")].map(c => c.textContent).join("|")`); chips != "¿Qué tienen?|¿Hacen envíos?|¿Cómo puedo pagar?|¿A qué hora abren?" {
		t.Errorf("suggested questions: %q", chips)
	}
	chatShot(t, e.b, "chat-flow-empty-390-es")

	reply := e.ask("¿Qué tienen?")
	if reply == "" {
		t.Fatal("no answer")
	}
	// Store pages are protected by origin, not by token: the meta may be empty.
	csrf := e.eval(`document.querySelector('meta[name="csrf-token"]')?.content || ""`)
	if got := sent.last(); got.Message != "¿Qué tienen?" || len(got.SessionID) != 32 || got.Accept != "text/event-stream" || got.CSRF != csrf {
		t.Errorf("the widget sent %+v", got)
	}
	if live := e.eval(`document.querySelector(".qc [aria-live=polite]").textContent`); !strings.Contains(live, reply) {
		t.Errorf("the live region says %q, not the reply", live)
	}
	if chips := e.eval(`document.querySelector(".qc-chips").hidden`); chips != "true" {
		t.Error("the suggestions still show after a question")
	}
	chatShot(t, e.b, "chat-flow-answer-390-es")

	// Tab stays in the dialog.
	for i := 0; i < 8; i++ {
		e.run("tab", chromedp.KeyEvent(kb.Tab))
		if in := e.eval(`!!document.activeElement.closest("dialog.qc")`); in != "true" {
			t.Fatalf("after %d tabs the focus left the dialog", i+1)
		}
	}
	// Escape closes it and gives the focus back to the button.
	e.run("escape", chromedp.KeyEvent(kb.Escape))
	// The dialog's close event, which resets the button, comes in a task of
	// its own after the dialog closed: wait for both.
	waitFor(t, "the dialog closed, the focus back on the collapsed button", func() bool {
		return e.eval(`!document.querySelector("dialog.qc").open && document.activeElement.matches("[data-chat-open]") &&
			document.activeElement.getAttribute("aria-expanded") === "false"`) == "true"
	})

	// Opened again, and on another page of the store, the conversation is there.
	e.openChat()
	if got := e.conversation(); got != "¿Qué tienen?|"+reply {
		t.Errorf("reopened, the conversation is %q", got)
	}
	e.open("/demo/reviews")
	e.openChat()
	if got := e.conversation(); got != "¿Qué tienen?|"+reply {
		t.Errorf("on another page the conversation is %q", got)
	}
	second := e.askWith("¿Hacen envíos?", func() {
		e.run("send with the button", chromedp.SendKeys(chatInput, "¿Hacen envíos?", chromedp.ByQuery), chromedp.Click(".qc-send", chromedp.ByQuery))
	})
	if got := sent.last(); got.SessionID != sent.first().SessionID {
		t.Errorf("the session changed across pages: %q then %q", sent.first().SessionID, got.SessionID)
	}
	if got := e.conversation(); got != "¿Qué tienen?|"+reply+"|¿Hacen envíos?|"+second {
		t.Errorf("the conversation is %q", got)
	}
}

// TestChatWidgetShowsErrors plays the server's refusals with a stand-in
// (rate limit, a message it rejects, the store unavailable) and a dropped
// connection: each shows a message by the input, which keeps the question.
func TestChatWidgetShowsErrors(t *testing.T) {
	e := newShopperEnv(t, 390, 844)
	stand := standInChatEndpoint(e)
	e.open("/demo")
	e.openChat()
	// refused asks q, expects the message want and returns the input's
	// aria-invalid.
	refused := func(what, q, want string) (invalid string) {
		t.Helper()
		e.typeQuestion(q)
		waitFor(t, what+" message", func() bool { return e.visibleText(".qc-err") != "" })
		if got := e.visibleText(".qc-err"); got != want {
			t.Errorf("%s shows %q, want %q", what, got, want)
		}
		if got := e.eval(`document.querySelector("#qc-in").value`); got != q {
			t.Errorf("after %s the input holds %q, not the question", what, got)
		}
		if got := e.conversation(); got != "" {
			t.Errorf("after %s the conversation holds %q", what, got)
		}
		invalid = e.eval(`document.querySelector("#qc-in").getAttribute("aria-invalid")`)
		e.setQuestion("")
		return invalid
	}

	stand.next(chatStandInReply{Status: http.StatusTooManyRequests, Headers: map[string]string{"Retry-After": "30"},
		Body: `{"error":"Demasiadas solicitudes"}`})
	refused("429", "¿Tienen tacos de pastor?", "Vas muy rápido. Intenta de nuevo en 30 segundos.")
	chatShot(t, e.b, "chat-error-429-390-es")
	// Sending again before the wait is over asks the server nothing.
	asked := stand.count()
	e.typeQuestion("¿Y de suadero?")
	if got := e.visibleText(".qc-err"); !strings.HasPrefix(got, "Vas muy rápido. Intenta de nuevo en ") || stand.count() != asked {
		t.Errorf("resent during the wait: %q, %d requests (was %d)", got, stand.count(), asked)
	}

	// A new page forgets the wait.
	e.open("/demo")
	e.openChat()
	stand.next(chatStandInReply{Status: http.StatusBadRequest,
		Body: `{"error":"Revisa los datos.","fields":{"message":"Escribe tu pregunta en 500 caracteres o menos."}}`})
	if got := refused("400", "¿Qué tienen?", "Escribe tu pregunta en 500 caracteres o menos."); got != "true" {
		t.Errorf("a rejected message leaves the input aria-invalid=%s", got)
	}
	stand.next(chatStandInReply{Fail: true})
	if got := refused("a dropped connection", "¿Hacen envíos?", "No hay conexión. Revisa tu internet e intenta de nuevo."); got != "<nil>" {
		t.Errorf("a network error marks the input aria-invalid=%s", got)
	}
	stand.next(chatStandInReply{Status: http.StatusServiceUnavailable, Body: `{"error":"No disponible"}`})
	refused("503", "¿Cómo puedo pagar?", "El asistente no está disponible por ahora. Escríbenos por WhatsApp. Abrir WhatsApp")
	if href := e.eval(`document.querySelector(".qc-err a")?.href + " " + document.querySelector(".qc-err a")?.target`); !strings.HasPrefix(href, "https://wa.me/") || !strings.HasSuffix(href, " _blank") {
		t.Errorf("the unavailable message links to %q", href)
	}
	chatShot(t, e.b, "chat-error-503-390-es")

	// After the errors, an answer: the error goes, the question stays once.
	e.ask("¿A qué hora abren?")
	if got := e.visibleText(".qc-err"); got != "" {
		t.Errorf("after an answer the error %q still shows", got)
	}
	if got := e.eval(`[...document.querySelectorAll(".qc-me .qc-text")].map(m => m.textContent).join("|")`); got != "¿A qué hora abren?" {
		t.Errorf("the shopper's side of the conversation: %q", got)
	}
}

// TestChatWidgetLinksAndLongReplies: a long streamed reply with links shows
// whole, its URLs as links (wa.me in a new tab), nothing as HTML; the
// counter shows near the 500-character limit.
func TestChatWidgetLinksAndLongReplies(t *testing.T) {
	e := newShopperEnv(t, 390, 844)
	stand := standInChatEndpoint(e)
	e.open("/demo")
	e.openChat()
	long := "Tenemos tacos (al pastor, suadero, bistec, campechano, tripa), tortas, quesadillas, aguas frescas y postres.\n\n" +
		"Taco al pastor — $25.00: " + e.srv.URL + "/demo/p/taco-al-pastor\n" +
		"Torta de milanesa — $85.00\nQuesadilla de flor de calabaza — $45.00\nAgua de horchata (1 litro) — $40.00\n\n" +
		"<b>Pide</b> por WhatsApp: https://wa.me/5215512345678."
	stand.next(streamedReply(long))
	reply := e.askWith("¿Qué tienen?", func() { e.run("tap a suggestion", chromedp.Click(".qc-chip", chromedp.ByQuery)) })
	if got := stand.count(); got != 1 {
		t.Errorf("the suggestion sent %d questions", got)
	}
	if reply != long {
		t.Errorf("the reply shows as\n%q\nwant\n%q", reply, long)
	}
	links := e.eval(`[...document.querySelectorAll(".qc-bot a")].map(a => a.getAttribute("href") + " " + a.target + " " + a.rel).join("|")`)
	want := e.srv.URL + "/demo/p/taco-al-pastor  noopener|https://wa.me/5215512345678 _blank noopener"
	if links != want {
		t.Errorf("links: %q\nwant %q", links, want)
	}
	if n := e.eval(`document.querySelectorAll(".qc-bot b").length`); n != "0" {
		t.Error("the reply's markup was rendered as HTML")
	}
	chatShot(t, e.b, "chat-long-390-es")

	e.setQuestion(strings.Repeat("a", 449))
	e.run("type the 450th character", chromedp.SendKeys(chatInput, "a", chromedp.ByQuery))
	if got := e.visibleText(".qc-count"); got != "Te quedan 50 caracteres" {
		t.Errorf("the counter at 450 characters: %q", got)
	}
	if got := e.eval(`document.querySelector("#qc-in").maxLength`); got != "500" {
		t.Errorf("the input's maxlength is %s", got)
	}
	chatShot(t, e.b, "chat-counter-390-es")
}

// TestChatWidgetScreens opens the widget on two phones in both languages,
// gets an answer from the app and goes offline for an error: nothing is
// wider than the screen, the sheet fills it, and the input stays in view
// with a long answer and when the keyboard takes half the screen, which
// does not close the sheet.
func TestChatWidgetScreens(t *testing.T) {
	for _, size := range []struct{ w, h int }{{390, 844}, {360, 740}} {
		for _, lang := range []string{"es", "en"} {
			name := fmt.Sprintf("%d-%s", size.w, lang)
			t.Run(name, func(t *testing.T) {
				e := newShopperEnv(t, size.w, size.h)
				// English on a light theme: the text on it turns dark.
				color := map[string]string{"es": "#047857", "en": "#facc15"}[lang]
				e.exec(`UPDATE businesses SET language = ?, primary_color = ? WHERE id = ?`, lang, color, e.biz.ID)
				e.open("/demo")
				e.run("the chat button", chromedp.WaitVisible(chatButton, chromedp.ByQuery))
				if got := e.eval(`document.documentElement.scrollWidth - innerWidth`); got != "0" {
					t.Errorf("the store page is %s px wider than the screen", got)
				}
				chatShot(t, e.b, "chat-closed-"+name)
				e.openChat()
				chatShot(t, e.b, "chat-empty-"+name)
				q := map[string][2]string{"es": {"¿Qué tienen?", "¿Hacen envíos?"}, "en": {"What do you sell?", "Do you deliver?"}}[lang]
				if got := e.eval(`document.querySelector(".qc-chip").textContent`); got != q[0] {
					t.Errorf("the first suggestion is %q, want %q", got, q[0])
				}
				e.ask(q[0])
				chatShot(t, e.b, "chat-answer-"+name)
				e.checkFits(name)

				e.run("offline", network.EmulateNetworkConditions(true, 0, -1, -1))
				e.typeQuestion(q[1])
				waitFor(t, "the network error", func() bool { return e.visibleText(".qc-err") != "" })
				want := map[string]string{"es": "No hay conexión. Revisa tu internet e intenta de nuevo.",
					"en": "No connection. Check your internet and try again."}[lang]
				if got := e.visibleText(".qc-err"); got != want {
					t.Errorf("offline, the widget says %q, want %q", got, want)
				}
				chatShot(t, e.b, "chat-error-"+name)
				e.run("online", network.EmulateNetworkConditions(false, 0, -1, -1))
			})
		}
	}
}

// TestChatButtonClearsTheOrderButton: on the cart page the chat button
// rises above "Pedir por WhatsApp" wherever scrolling puts it.
func TestChatButtonClearsTheOrderButton(t *testing.T) {
	e := newShopperEnv(t, 390, 844)
	e.open("/demo")
	e.run("fill the cart", chromedp.Evaluate(fmt.Sprintf(`localStorage.setItem("qubly:cart:demo", JSON.stringify([
		{product_id: %d, quantity: 2, options: [], unit_cents: 2500, name: "Taco de suadero"}]))`, e.productID("Taco de suadero")), nil))
	e.open("/demo/cart")
	e.run("the order button", chromedp.WaitVisible(`[data-checkout-form] [data-submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(chatButton, chromedp.ByQuery))
	for _, gap := range []int{0, 20, 40, 60, 90, 200} {
		// Scroll until the order button's bottom is gap px above the screen's.
		e.run("scroll", chromedp.Evaluate(fmt.Sprintf(`(() => { const r = document.querySelector("[data-checkout-form] [data-submit]").getBoundingClientRect();
			scrollBy(0, r.bottom - (innerHeight - %d)); })()`, gap), nil))
		var overlap string
		waitFor(t, "the chat button placed", func() bool {
			overlap = e.eval(`(() => { const a = document.querySelector("[data-checkout-form] [data-submit]").getBoundingClientRect();
				const b = document.querySelector("[data-chat-open]").getBoundingClientRect();
				const over = a.top < b.bottom && a.bottom > b.top && a.left < b.right && a.right > b.left;
				return over ? "over" : b.top < 0 ? "off screen" : ""; })()`)
			return overlap == ""
		})
		if gap == 40 {
			chatShot(t, e.b, "chat-cart-390-es")
		}
	}
}

// ---- helpers ----

// openChat taps the chat button and waits for the dialog.
func (e *shopperEnv) openChat() {
	e.t.Helper()
	e.run("open the chat", chromedp.WaitVisible(chatButton, chromedp.ByQuery), chromedp.Click(chatButton, chromedp.ByQuery))
	waitFor(e.t, "the chat dialog", func() bool {
		return e.eval(`!!document.querySelector("dialog.qc")?.open && document.activeElement?.id === "qc-in"`) == "true"
	})
}

// typeQuestion types q in the chat's input and presses Enter.
func (e *shopperEnv) typeQuestion(q string) {
	e.t.Helper()
	e.run("ask "+q, chromedp.SendKeys(chatInput, q, chromedp.ByQuery), pressEnter())
}

// pressEnter presses Enter as a keyboard does: one keyDown whose default
// (a new line) the page may prevent. chromedp.KeyEvent sends a separate
// "char" that types the new line whatever the page says.
func pressEnter() chromedp.Action {
	key := func(t input.KeyType) *input.DispatchKeyEventParams {
		return input.DispatchKeyEvent(t).WithKey("Enter").WithCode("Enter").WithWindowsVirtualKeyCode(13)
	}
	return chromedp.Tasks{key(input.KeyDown).WithText("\r"), key(input.KeyUp)}
}

// setQuestion puts q in the chat's input at once.
func (e *shopperEnv) setQuestion(q string) {
	e.t.Helper()
	e.run("set the question", chromedp.Evaluate(fmt.Sprintf(`(() => { const i = document.querySelector(%q);
		i.value = %q; i.dispatchEvent(new Event("input")); })()`, chatInput, q), nil))
}

// ask types q, waits for the answer and returns its text.
func (e *shopperEnv) ask(q string) string {
	e.t.Helper()
	return e.askWith(q, func() { e.typeQuestion(q) })
}

// askWith asks q by calling send, then waits for the answer and returns its
// text.
func (e *shopperEnv) askWith(q string, send func()) string {
	e.t.Helper()
	before := e.eval(`document.querySelectorAll(".qc-bot:not(.qc-intro):not(.qc-typing)").length`)
	send()
	var reply string
	waitFor(e.t, "the answer to "+q, func() bool {
		reply = e.eval(fmt.Sprintf(`(() => { const r = document.querySelectorAll(%q);
			return r.length > %s && !document.querySelector(".qc-typing") ? r[r.length - 1].querySelector(".qc-text").textContent : ""; })()`, chatReplies, before))
		return reply != ""
	})
	return reply
}

// conversation is the dialog's questions and answers, joined with "|".
func (e *shopperEnv) conversation() string {
	return e.eval(`[...document.querySelectorAll(".qc-msg:not(.qc-intro) .qc-text")].map(m => m.textContent).join("|")`)
}

// checkFits fails when the open chat is wider than the screen or its input
// is not on screen, before and while the keyboard is up.
func (e *shopperEnv) checkFits(size string) {
	e.t.Helper()
	const wide = `[document.documentElement, ...document.querySelectorAll("dialog.qc, dialog.qc *")]
		.filter(el => el.getBoundingClientRect().right > innerWidth + 0.5 || el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "hidden")
		.map(el => el.tagName + "." + el.className).slice(0, 5).join(", ")`
	const inputShown = `(() => { const r = document.querySelector("#qc-in").getBoundingClientRect();
		const vv = visualViewport; return r.height > 0 && r.top >= vv.offsetTop && r.bottom <= vv.offsetTop + vv.height; })()`
	if got := e.eval(wide); got != "" {
		e.t.Errorf("at %s these are wider than the screen: %s", size, got)
	}
	if e.eval(inputShown) != "true" {
		e.t.Errorf("at %s the input is not on screen", size)
	}
	if got := e.eval(`Math.round(document.querySelector("dialog.qc").getBoundingClientRect().height) + "/" + innerHeight`); !sameNumbers(got) {
		e.t.Errorf("at %s the sheet is %s px high, not the screen's", size, got)
	}
	// The on-screen keyboard: the visible viewport loses 330 px.
	var w, h int64
	e.run("screen size", chromedp.Evaluate(`innerWidth`, &w), chromedp.Evaluate(`innerHeight`, &h))
	e.run("keyboard up", emulation.SetDeviceMetricsOverride(w, h-330, 1, true))
	waitFor(e.t, "the sheet fitted above the keyboard", func() bool { return e.eval(inputShown) == "true" })
	if e.eval(`document.querySelector("dialog.qc").open`) != "true" {
		e.t.Errorf("at %s the chat closed when the keyboard came up", size)
	}
	chatShot(e.t, e.b, "chat-keyboard-"+strings.ReplaceAll(size, "×", "x"))
	e.run("keyboard down", emulation.SetDeviceMetricsOverride(w, h, 1, true))
}

// sameNumbers reports whether "a/b" has a == b.
func sameNumbers(s string) bool {
	a, b, ok := strings.Cut(s, "/")
	return ok && a == b
}

// chatShot saves the screen (not the whole page) as dir/name.png when
// QUBLY_SCREENSHOTS names a folder.
func chatShot(t *testing.T, b context.Context, name string) {
	t.Helper()
	dir := os.Getenv("QUBLY_SCREENSHOTS")
	if dir == "" {
		return
	}
	var png []byte
	if err := chromedp.Run(b, chromedp.CaptureScreenshot(&png)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// chatRequests records what the browser sent to POST /demo/chat.
type chatRequests struct {
	mu   sync.Mutex
	list []chatRequest
}

// recordChatRequests records e's browser's requests to POST /demo/chat.
func recordChatRequests(e *shopperEnv) *chatRequests {
	r := &chatRequests{}
	chromedp.ListenTarget(e.b, func(ev any) {
		sent, ok := ev.(*network.EventRequestWillBeSent)
		if !ok || sent.Request.Method != http.MethodPost || !strings.HasSuffix(sent.Request.URL, "/demo/chat") {
			return
		}
		req := requestOf(sent.Request)
		r.mu.Lock()
		r.list = append(r.list, req)
		r.mu.Unlock()
	})
	return r
}

func (r *chatRequests) first() chatRequest { return r.at(0) }
func (r *chatRequests) last() chatRequest  { return r.at(-1) }

func (r *chatRequests) at(i int) chatRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.list) == 0 {
		return chatRequest{}
	}
	if i < 0 {
		i += len(r.list)
	}
	return r.list[i]
}

// requestOf reads the widget's JSON and headers from a request.
func requestOf(r *network.Request) chatRequest {
	var req chatRequest
	var body string
	for _, entry := range r.PostDataEntries {
		if b, err := base64.StdEncoding.DecodeString(entry.Bytes); err == nil {
			body += string(b)
		}
	}
	json.Unmarshal([]byte(body), &req)
	req.Accept, _ = r.Headers["Accept"].(string)
	req.CSRF, _ = r.Headers["X-CSRF-Token"].(string)
	return req
}

// ---- a stand-in for POST /{slug}/chat ----

// chatStandInReply is one answer of the stand-in endpoint.
type chatStandInReply struct {
	Status  int
	Headers map[string]string
	Body    string
	Fail    bool // the connection drops instead
}

// chatRequest is what the widget sent.
type chatRequest struct {
	Message   string `json:"message"`
	SessionID string `json:"session_id"`
	Accept    string `json:"-"`
	CSRF      string `json:"-"`
}

// chatStandIn answers the browser's POST /demo/chat in place of the app,
// through Chromium's request interception: queued replies first, then a
// streamed answer that repeats the question.
type chatStandIn struct {
	mu       sync.Mutex
	requests []chatRequest
	queued   []chatStandInReply
}

func (s *chatStandIn) next(r chatStandInReply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queued = append(s.queued, r)
}

func (s *chatStandIn) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// standInChatEndpoint replaces the app's POST /demo/chat in e's browser.
func standInChatEndpoint(e *shopperEnv) *chatStandIn {
	e.t.Helper()
	s := &chatStandIn{}
	chromedp.ListenTarget(e.b, func(ev any) {
		paused, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		go s.answer(e, paused)
	})
	e.run("intercept /demo/chat", fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*/demo/chat"}}))
	return s
}

func (s *chatStandIn) answer(e *shopperEnv, paused *fetch.EventRequestPaused) {
	req := requestOf(paused.Request)
	s.mu.Lock()
	s.requests = append(s.requests, req)
	var r chatStandInReply
	if len(s.queued) > 0 {
		r, s.queued = s.queued[0], s.queued[1:]
	} else {
		r = streamedReply("Respuesta a «" + req.Message + "»: en la tienda hay tacos, tortas y aguas frescas.")
	}
	s.mu.Unlock()
	var err error
	if r.Fail {
		err = chromedp.Run(e.b, fetch.FailRequest(paused.RequestID, network.ErrorReasonInternetDisconnected))
	} else {
		headers := []*fetch.HeaderEntry{}
		for k, v := range r.Headers {
			headers = append(headers, &fetch.HeaderEntry{Name: k, Value: v})
		}
		if r.Headers["Content-Type"] == "" {
			headers = append(headers, &fetch.HeaderEntry{Name: "Content-Type", Value: "application/json"})
		}
		err = chromedp.Run(e.b, fetch.FulfillRequest(paused.RequestID, int64(r.Status)).
			WithResponseHeaders(headers).WithBody(base64.StdEncoding.EncodeToString([]byte(r.Body))))
	}
	if err != nil && e.b.Err() == nil {
		e.t.Errorf("stand-in chat: %v", err)
	}
}

// streamedReply is a 200 text/event-stream answer of reply in a few deltas.
func streamedReply(reply string) chatStandInReply {
	var b strings.Builder
	words := strings.SplitAfter(reply, " ")
	for i := 0; i < len(words); i += 3 {
		chunk, _ := json.Marshal(map[string]string{"text": strings.Join(words[i:min(i+3, len(words))], "")})
		fmt.Fprintf(&b, "event: delta\ndata: %s\n\n", chunk)
	}
	done, _ := json.Marshal(map[string]string{"reply": reply, "intent": "browse", "source": "llm"})
	fmt.Fprintf(&b, "event: done\ndata: %s\n\n", done)
	return chatStandInReply{Status: http.StatusOK, Headers: map[string]string{"Content-Type": "text/event-stream"}, Body: b.String()}
}

// TestChatWidgetShowsTheLLMsStreamedReply: with an LLM (a fake
// OpenAI-compatible server behind the real client), the widget reads the
// app's server-sent events as they come and ends with the whole reply,
// a foreign link removed and the store's own kept.
func TestChatWidgetShowsTheLLMsStreamedReply(t *testing.T) {
	fake := testkit.NewFakeLLM(t)
	client := llm.New(llm.Config{BaseURL: fake.URL(), APIKey: "k", Timeout: 10 * time.Second, Logger: testkit.Logger(t)})
	e := newShopperEnv(t, 390, 844, testkit.WithChatLLM(client))
	fake.SetDefault(testkit.LLMReply{
		Text:   "¡Claro! El taco al pastor cuesta $25 MXN: " + e.srv.URL + "/demo/p/taco-al-pastor (no en https://evil.example/x).",
		Chunks: 6, Delay: 100 * time.Millisecond,
	})
	e.open("/demo")
	e.openChat()
	want := "¡Claro! El taco al pastor cuesta $25 MXN: " + e.srv.URL + "/demo/p/taco-al-pastor (no en )."
	e.typeQuestion("¿Cuánto cuesta el taco al pastor?")
	var got string
	waitFor(t, "the whole streamed reply", func() bool {
		got = e.eval(fmt.Sprintf(`(() => { const r = document.querySelectorAll(%q);
			return r.length ? (r[r.length - 1].querySelector(".qc-text")?.textContent ?? "") : ""; })()`, chatReplies))
		return got == want
	})
	if links := e.eval(`[...document.querySelectorAll(".qc-bot a")].map(a => a.getAttribute("href")).join("|")`); links != e.srv.URL+"/demo/p/taco-al-pastor" {
		t.Errorf("links in the reply: %q", links)
	}
	if reqs := fake.Requests(); len(reqs) != 1 || !reqs[0].Stream {
		t.Fatalf("LLM requests: %+v", reqs)
	}
}
