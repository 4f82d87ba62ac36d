package services_test

import (
	"io/fs"
	"testing"

	"github.com/qubly/qubly"
	"github.com/qubly/qubly/i18n"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// appEmails are the real emails service over a's outbox, with the
// translations it uses, for tests that build services by hand.
func appEmails(t *testing.T, a *testkit.App) (*services.Emails, *i18n.Bundle) {
	t.Helper()
	bundle, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := fs.Sub(qubly.Templates, "templates")
	if err != nil {
		t.Fatal(err)
	}
	emails, err := services.NewEmails(tmpl, a.Repos.Outbox, bundle, testkit.BaseURL, a.Clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	return emails, bundle
}
