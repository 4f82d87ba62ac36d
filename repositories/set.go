package repositories

import "gorm.io/gorm"

// Set is every repository over one database: the app hands them to its
// services, and tests use them to set up or check rows.
type Set struct {
	Users         *Users
	Sessions      *Sessions
	Tokens        *EmailTokens
	Attempts      *AuthAttempts
	Settings      *Settings
	Businesses    *Businesses
	Catalog       *Catalog
	Reviews       *Reviews
	Outbox        *Outbox
	Orders        *Orders
	Images        *Images
	Subscriptions *Subscriptions
	Referrals     *Referrals
	ChatExchanges *ChatExchanges
	AuditLog      *AuditLog
}

// NewSet returns the repositories over db.
func NewSet(db *gorm.DB) *Set {
	return &Set{
		Users:         NewUsers(db),
		Sessions:      NewSessions(db),
		Tokens:        NewEmailTokens(db),
		Attempts:      NewAuthAttempts(db),
		Settings:      NewSettings(db),
		Businesses:    NewBusinesses(db),
		Catalog:       NewCatalog(db),
		Reviews:       NewReviews(db),
		Outbox:        NewOutbox(db),
		Orders:        NewOrders(db),
		Images:        NewImages(db),
		Subscriptions: NewSubscriptions(db),
		Referrals:     NewReferrals(db),
		ChatExchanges: NewChatExchanges(db),
		AuditLog:      NewAuditLog(db),
	}
}
