// Package e2e drives the real app in a real headless Chromium (chromedp).
// Tests skip when Chromium is missing, except in CI (CI=true) where that is
// a failure: .ci/run installs Debian's chromium.
package e2e

import (
	"context"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/qubly/qubly/testkit"
)

// server is the app listening on a loopback port, with BASE_URL set to it.
type server struct {
	*testkit.App
	URL string
}

func startServer(t *testing.T) *server {
	t.Helper()
	return startServerWith(t)
}

// startServerWith is startServer with options for the app.
func startServerWith(t *testing.T, opts ...testkit.AppOption) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	a := testkit.NewApp(t, append([]testkit.AppOption{testkit.WithEnv("BASE_URL", base)}, opts...)...)
	go a.Fiber.Listener(ln)
	t.Cleanup(func() { a.Fiber.ShutdownWithTimeout(5 * time.Second) })
	return &server{App: a, URL: base}
}

func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium not found; .ci/run installs it (apt-get install chromium)")
	}
	t.Skip("Chromium not installed: apt-get install -y chromium")
	return ""
}

// newBrowser starts headless Chromium with a phone-sized viewport; extra
// adds allocator options (a UI language, say).
func newBrowser(t *testing.T, width, height int, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	// Not t.TempDir: Chromium may still be writing its profile while it
	// exits, and a failed RemoveAll would fail the test.
	profile, err := os.MkdirTemp("", "qubly-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("headless", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(width, height),
	)
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		for i := 0; i < 20 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(width), int64(height), chromedp.EmulateMobile)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// awaitPromise makes chromedp.Evaluate wait for the promise the script returns.
func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }
