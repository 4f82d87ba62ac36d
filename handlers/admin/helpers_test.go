package admin_test

import (
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// adminPass is the password of every admin adminClient creates.
const adminPass = "secret-admin-1"

// adminClient creates an active admin of role (password adminPass) and
// returns them with a new client logged in as them. With lang ("es",
// "en") the client asks for that language (Accept-Language) on every
// request; "" leaves the app's default. The email is
// "<role>@qubly.test", or "<role>-<lang>@qubly.test" with a lang, so a
// test may have one admin per role and language; log another client in
// as the same admin with Login(u.Email, adminPass).
func adminClient(t *testing.T, a *testkit.App, role domain.Role, lang string) (*domain.User, *testkit.Client) {
	t.Helper()
	email := string(role) + "@qubly.test"
	if lang != "" {
		email = string(role) + "-" + lang + "@qubly.test"
	}
	u := a.CreateUser(email, adminPass, role)
	c := a.Client()
	if lang != "" {
		c.Header.Set("Accept-Language", lang)
	}
	c.Login(email, adminPass)
	return u, c
}
