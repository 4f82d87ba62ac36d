package testkit

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
)

// StripeWebhookSecret is the webhook signing secret of test apps.
const StripeWebhookSecret = "whsec_qubly_test_secret"

var stripeMock struct {
	once sync.Once
	url  string
	err  error
}

// StripeMockURLEnv names the variable holding the base URL of a running
// stripe-mock for every test binary to share (.ci/run starts one).
const StripeMockURLEnv = "STRIPE_MOCK_URL"

// StripeMock returns the base URL of a stripe-mock server on loopback: the
// one at $STRIPE_MOCK_URL, or one started once per test binary (it stops
// with the process). stripe-mock is looked up on PATH and in
// $(go env GOPATH)/bin; .ci/run installs it. When it is missing the test is
// skipped, or fails when CI is set.
func StripeMock(t testing.TB) string {
	t.Helper()
	stripeMock.once.Do(func() {
		if u := os.Getenv(StripeMockURLEnv); u != "" {
			stripeMock.url = strings.TrimSuffix(u, "/")
			return
		}
		stripeMock.url, stripeMock.err = startStripeMock()
	})
	if stripeMock.err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("stripe-mock: %v", stripeMock.err)
		}
		t.Skipf("stripe-mock not available (go install github.com/stripe/stripe-mock@v0.203.0): %v", stripeMock.err)
	}
	return stripeMock.url
}

func startStripeMock() (string, error) {
	bin, err := exec.LookPath("stripe-mock")
	if err != nil {
		gopath := os.Getenv("GOPATH")
		if gopath == "" {
			home, _ := os.UserHomeDir()
			gopath = filepath.Join(home, "go")
		}
		bin = filepath.Join(gopath, "bin", "stripe-mock")
		if _, err := os.Stat(bin); err != nil {
			return "", fmt.Errorf("not on PATH nor at %s", bin)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	l.Close()
	// Without -https-addr stripe-mock also listens for HTTPS on its default
	// port 12112, and dies when another test binary's stripe-mock has it.
	cmd := exec.Command(bin, "-http-addr", addr, "-https-addr", "127.0.0.1:0")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return "", err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	url := "http://" + addr
	// It loads Stripe's whole OpenAPI spec first: about 2 s on a quiet
	// machine, much longer with every test package running at once.
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case <-exited:
			return "", fmt.Errorf("exited: %s", out.String())
		default:
		}
		resp, err := http.Get(url + "/v1/prices/price_x")
		if err == nil {
			resp.Body.Close()
			return url, nil
		}
	}
	cmd.Process.Kill()
	return "", fmt.Errorf("did not answer on %s within 90 s", addr)
}

// SignStripe returns the Stripe-Signature header Stripe would send with
// payload, signed with secret at time at.
func SignStripe(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload: payload, Secret: secret, Timestamp: at,
	}).Header
}
