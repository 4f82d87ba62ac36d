package testkit

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
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

// StripeMock returns the base URL of a stripe-mock server on loopback,
// started once per test binary (it stops with the process). stripe-mock is
// looked up on PATH and in $(go env GOPATH)/bin; .ci/run installs it. When
// it is missing the test is skipped, or fails when CI is set.
func StripeMock(t testing.TB) string {
	t.Helper()
	stripeMock.once.Do(func() { stripeMock.url, stripeMock.err = startStripeMock() })
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
	cmd := exec.Command(bin, "-http-addr", addr)
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return "", err
	}
	url := "http://" + addr
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(url + "/v1/prices/price_x")
		if err == nil {
			resp.Body.Close()
			return url, nil
		}
	}
	cmd.Process.Kill()
	return "", fmt.Errorf("did not answer on %s", addr)
}

// SignStripe returns the Stripe-Signature header Stripe would send with
// payload, signed with secret at time at.
func SignStripe(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload: payload, Secret: secret, Timestamp: at,
	}).Header
}
