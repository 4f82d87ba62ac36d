package resend_test

import (
	"context"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/integrations/resend"
	"github.com/qubly/qubly/testkit"
)

func email() domain.OutboxEmail {
	return domain.OutboxEmail{
		ID: 7, IdempotencyKey: "k-123", ToAddress: "ana@example.com", Subject: "Hola",
		HTMLBody: "<p>Hola</p>", TextBody: "Hola", Template: "verify_email",
	}
}

func TestClientSends(t *testing.T) {
	fake := testkit.NewFakeResend(t)
	c := resend.New("re_test", "Qubly <hola@qubly.test>", fake.URL())

	id, err := c.Send(context.Background(), email())
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("fake got %d emails, want 1", len(reqs))
	}
	r := reqs[0]
	if id != r.ID || r.IdempotencyKey != "k-123" || r.From != "Qubly <hola@qubly.test>" ||
		len(r.To) != 1 || r.To[0] != "ana@example.com" || r.Subject != "Hola" || r.HTML != "<p>Hola</p>" || r.Text != "Hola" {
		t.Fatalf("Send returned %q, fake got %+v", id, r)
	}
}

func TestClientRepeatIsDeduplicated(t *testing.T) {
	fake := testkit.NewFakeResend(t)
	c := resend.New("re_test", "Qubly <hola@qubly.test>", fake.URL()+"/")

	id1, err1 := c.Send(context.Background(), email())
	id2, err2 := c.Send(context.Background(), email())
	if err1 != nil || err2 != nil || id1 != id2 {
		t.Fatalf("two sends: %q %v, %q %v; want the same id", id1, err1, id2, err2)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("fake recorded %d emails, want 1", n)
	}
	if n := len(fake.Calls()); n != 2 {
		t.Fatalf("fake got %d calls, want 2", n)
	}
}

func TestClientReportsServerError(t *testing.T) {
	fake := testkit.NewFakeResend(t)
	c := resend.New("re_test", "Qubly <hola@qubly.test>", fake.URL())
	fake.FailNext(1)

	if id, err := c.Send(context.Background(), email()); err == nil {
		t.Fatalf("Send during outage returned %q, want an error", id)
	}
	if _, err := c.Send(context.Background(), email()); err != nil {
		t.Fatalf("Send after outage: %v", err)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("fake recorded %d emails, want 1", n)
	}
}

func TestDevMailbox(t *testing.T) {
	id, err := resend.DevMailbox{}.Send(context.Background(), email())
	if err != nil || id != "devmail" {
		t.Fatalf("DevMailbox.Send = %q, %v", id, err)
	}
}
