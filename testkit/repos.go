package testkit

import (
	"gorm.io/gorm"

	"github.com/qubly/qubly/repositories"
)

// Repos are the repositories over the app's database, for tests that set up
// or check rows directly; the app's handlers only reach them through
// services.
type Repos struct {
	Users      *repositories.Users
	Sessions   *repositories.Sessions
	Tokens     *repositories.EmailTokens
	Attempts   *repositories.AuthAttempts
	Settings   *repositories.Settings
	Businesses *repositories.Businesses
	Catalog    *repositories.Catalog
	Reviews    *repositories.Reviews
	Outbox     *repositories.Outbox
	Orders     *repositories.Orders
	Images     *repositories.Images
}

// NewRepos returns the repositories over db (the app's DB, so their rows
// follow the test clock).
func NewRepos(db *gorm.DB) *Repos {
	return &Repos{
		Users:      repositories.NewUsers(db),
		Sessions:   repositories.NewSessions(db),
		Tokens:     repositories.NewEmailTokens(db),
		Attempts:   repositories.NewAuthAttempts(db),
		Settings:   repositories.NewSettings(db),
		Businesses: repositories.NewBusinesses(db),
		Catalog:    repositories.NewCatalog(db),
		Reviews:    repositories.NewReviews(db),
		Outbox:     repositories.NewOutbox(db),
		Orders:     repositories.NewOrders(db),
		Images:     repositories.NewImages(db),
	}
}
