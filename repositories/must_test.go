package repositories_test

import "testing"

// must stops the test on a set-up error.
func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
