package services

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"sync"
	texttemplate "text/template"

	"github.com/qubly/qubly/domain"
)

// Translator gives the message id in lang.
type Translator interface {
	Translate(lang, id string, data map[string]any) string
}

// EmailOutboxRepo stores an outgoing email (in the caller's transaction).
type EmailOutboxRepo interface {
	Enqueue(ctx context.Context, e *domain.OutboxEmail) error
}

// Emails renders email templates (HTML and text, es/en) from templates/emails
// and writes them to the outbox.
type Emails struct {
	outbox EmailOutboxRepo
	tr     Translator
	html   *htmltemplate.Template
	text   *texttemplate.Template
	clock  Clock
	// BaseURL makes absolute links.
	baseURL string
	// renderers keeps parsed clones of the templates for reuse (see
	// emailRenderer): cloning the templates for every email was most of
	// what placing an order allocated.
	renderers sync.Pool
}

// emailRenderer is one clone of the email templates whose "t" function
// translates into the lang and data of the email being rendered; one
// goroutine uses it at a time (it lives in Emails.renderers between uses).
type emailRenderer struct {
	html *htmltemplate.Template
	text *texttemplate.Template
	lang string
	data map[string]any
}

// renderer takes a renderer from the pool, or clones the templates for a new one.
func (e *Emails) renderer() (*emailRenderer, error) {
	if r, ok := e.renderers.Get().(*emailRenderer); ok {
		return r, nil
	}
	r := &emailRenderer{}
	t := func(id string, args ...any) string {
		var d map[string]any
		if len(args) == 1 {
			d, _ = args[0].(map[string]any)
		}
		if d == nil {
			d = r.data
		}
		return e.tr.Translate(r.lang, id, d)
	}
	funcs := map[string]any{"t": t, "phone": FormatPhone}
	h, err := e.html.Clone()
	if err != nil {
		return nil, err
	}
	tt, err := e.text.Clone()
	if err != nil {
		return nil, err
	}
	r.html, r.text = h.Funcs(funcs), tt.Funcs(funcs)
	return r, nil
}

// NewEmails parses emails/*.html and emails/*.txt from fsys.
func NewEmails(fsys fs.FS, outbox EmailOutboxRepo, tr Translator, baseURL string, clock Clock) (*Emails, error) {
	stub := map[string]any{"t": func(string, ...any) string { return "" }, "phone": FormatPhone}
	h, err := htmltemplate.New("emails").Funcs(stub).ParseFS(fsys, "emails/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse html emails: %w", err)
	}
	t, err := texttemplate.New("emails").Funcs(stub).ParseFS(fsys, "emails/*.txt")
	if err != nil {
		return nil, fmt.Errorf("parse text emails: %w", err)
	}
	return &Emails{outbox: outbox, tr: tr, html: h, text: t, baseURL: baseURL, clock: clock}, nil
}

// Enqueue renders the email name ("verify_email", …) in lang and writes it to
// the outbox; call it inside the transaction of the change that causes it.
func (e *Emails) Enqueue(ctx context.Context, to, lang, name string, data map[string]any) error {
	m, err := e.Render(to, lang, name, data)
	if err != nil {
		return err
	}
	return e.Add(ctx, m)
}

// Add writes an email made by Render to the outbox; call it inside the
// transaction of the change that causes it.
func (e *Emails) Add(ctx context.Context, m *domain.OutboxEmail) error {
	return e.outbox.Enqueue(ctx, m)
}

// Render renders the email name in lang to to, due now, without storing it:
// a caller that must keep rendering out of its transaction renders first and
// Adds inside the transaction.
func (e *Emails) Render(to, lang, name string, data map[string]any) (*domain.OutboxEmail, error) {
	if data == nil {
		data = map[string]any{}
	}
	data["BaseURL"] = e.baseURL
	data["Lang"] = lang
	r, err := e.renderer()
	if err != nil {
		return nil, err
	}
	r.lang, r.data = lang, data
	defer func() {
		r.data = nil
		e.renderers.Put(r)
	}()
	var hb bytes.Buffer
	if err := r.html.ExecuteTemplate(&hb, name+".html", data); err != nil {
		return nil, fmt.Errorf("render %s.html: %w", name, err)
	}
	var tb bytes.Buffer
	if err := r.text.ExecuteTemplate(&tb, name+".txt", data); err != nil {
		return nil, fmt.Errorf("render %s.txt: %w", name, err)
	}
	key := make([]byte, 16)
	rand.Read(key)
	return &domain.OutboxEmail{
		IdempotencyKey: hex.EncodeToString(key),
		ToAddress:      to,
		Subject:        e.tr.Translate(lang, "email."+name+".subject", data),
		HTMLBody:       hb.String(),
		TextBody:       tb.String(),
		Template:       name,
		Status:         domain.OutboxPending,
		NextAttemptAt:  e.clock(),
	}, nil
}
