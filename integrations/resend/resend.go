// Package resend sends outbox emails through Resend (resend.com), or to the
// development mailbox when no API key is configured.
package resend

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	resendapi "github.com/resend/resend-go/v2"

	"github.com/qubly/qubly/domain"
)

// sendTimeout bounds one API call; it must stay well under the outbox's
// lease (services.OutboxSender.Lease), which keeps other runs from the email
// while it is sent.
const sendTimeout = 10 * time.Second

// Client sends emails with Resend's API.
type Client struct {
	api  *resendapi.Client
	from string
}

// New returns a Client that sends as from ("Qubly <hola@qubly.mx>"). baseURL
// "" means Resend's API; tests pass a fake server's URL.
func New(apiKey, from, baseURL string) *Client {
	api := resendapi.NewCustomClient(&http.Client{Timeout: sendTimeout}, strings.TrimSpace(apiKey))
	if baseURL != "" {
		if !strings.HasSuffix(baseURL, "/") {
			baseURL += "/" // paths such as "emails" resolve against it
		}
		if u, err := url.Parse(baseURL); err == nil {
			api.BaseURL = u
		}
	}
	return &Client{api: api, from: from}
}

// Send delivers e and returns Resend's email ID. The email's idempotency key
// goes with every try, so a retry after a lost response is not sent twice.
func (c *Client) Send(ctx context.Context, e domain.OutboxEmail) (string, error) {
	res, err := c.api.Emails.SendWithOptions(ctx, &resendapi.SendEmailRequest{
		From:    c.from,
		To:      []string{e.ToAddress},
		Subject: e.Subject,
		Html:    e.HTMLBody,
		Text:    e.TextBody,
	}, &resendapi.SendEmailOptions{IdempotencyKey: e.IdempotencyKey})
	if err != nil {
		return "", fmt.Errorf("resend: send email %d: %w", e.ID, err)
	}
	if res.Id == "" {
		return "", errors.New("resend: send email: empty id in response")
	}
	return res.Id, nil
}

// DevMailbox is the sender used without RESEND_API_KEY: it delivers nothing,
// and the email stays readable in the dev mailbox page (the outbox table).
type DevMailbox struct{}

// Send marks e as delivered to the dev mailbox.
func (DevMailbox) Send(context.Context, domain.OutboxEmail) (string, error) {
	return "devmail", nil
}
