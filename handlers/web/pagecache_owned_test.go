package web_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// A body given up with SetOwnedBody is what the page cache serves; one
// replaced after it was given up is cached as replaced.
func TestPageCacheKeepsOwnedBodies(t *testing.T) {
	cache := services.NewStoreCache(time.Minute)
	f := fiber.New()
	f.Use(web.PageCache(cache, web.PageCacheConfig{}))
	owned := strings.Repeat("<p>Tacos</p>", 50)
	f.Get("/:slug", func(c *fiber.Ctx) error {
		c.Locals(web.LocalStoreBusinessID, storeID)
		c.Locals(web.LocalStoreCacheable, true)
		c.Type("html")
		web.SetOwnedBody(c, []byte(owned))
		if c.Params("slug") == "replaced" {
			c.Response().SetBodyString("replaced")
		}
		return nil
	})
	for _, tc := range []struct{ path, want string }{{"/tacos", owned}, {"/replaced", "replaced"}} {
		for _, cached := range []string{"miss", "hit"} {
			resp, err := f.Test(httptest.NewRequest("GET", tc.path, nil))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if got := resp.Header.Get(web.HeaderPageCache); got != cached || string(body) != tc.want {
				t.Errorf("%s: X-Cache %q, body %.20q; want %q, %.20q", tc.path, got, body, cached, tc.want)
			}
		}
	}
}
