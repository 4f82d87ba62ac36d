// Package dashboard holds the shop owner's pages under /dashboard.
package dashboard

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
)

// BusinessReader loads the owner's business and its figures.
type BusinessReader interface {
	Get(ctx context.Context, id int64) (*domain.Business, error)
	CountActiveProducts(ctx context.Context, businessID int64) (int64, error)
}

// Handler serves the dashboard.
type Handler struct {
	accounts *services.Accounts
	stores   BusinessReader
	baseURL  string
}

// New returns the dashboard handlers.
func New(accounts *services.Accounts, stores BusinessReader, baseURL string) *Handler {
	return &Handler{accounts: accounts, stores: stores, baseURL: baseURL}
}

// Register mounts the routes on r (already guarded for owners).
func (h *Handler) Register(r fiber.Router) {
	r.Get("/", h.home)
	r.Get("/account/password", h.passwordForm)
	r.Post("/account/password", h.changePassword)
}
