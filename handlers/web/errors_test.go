package web_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/i18n"
)

// TestBadInputIsOneAnswer checks the JSON API's one convention for bad
// input: a *domain.ValidationError that reaches the central handler and a
// handler that calls web.BadInput itself both answer 400 with "error",
// "fields" (translated by web.FieldErrors) and "request_id", not cached.
func TestBadInputIsOneAnswer(t *testing.T) {
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{ErrorHandler: web.NewErrorHandler(b)})
	app.Use(web.Language(b))
	refuse := func() error { return domain.NewFieldError("customer.name", "validation.required") }
	app.Post("/central", func(c *fiber.Ctx) error { return refuse() })
	app.Post("/own", func(c *fiber.Ctx) error {
		return web.BadInput(c, "Revisa tu pedido.", web.FieldErrors(web.L(c), refuse()))
	})
	for _, path := range []string{"/central", "/own"} {
		req := httptest.NewRequest("POST", path, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept-Language", "es")
		resp, err := app.Test(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Error     string            `json:"error"`
			Fields    map[string]string `json:"fields"`
			RequestID *string           `json:"request_id"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != fiber.StatusBadRequest || body.Error == "" || body.RequestID == nil ||
			body.Fields["customer.name"] == "" || body.Fields["customer.name"] == "validation.required" ||
			resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d %+v (Cache-Control %q)", path, resp.StatusCode, body, resp.Header.Get("Cache-Control"))
		}
	}
}
