package domain

// Models lists every persisted type, for the schema test.
func Models() []any {
	return []any{
		&User{}, &Session{}, &EmailToken{}, &AuthAttempt{}, &Setting{},
		&Business{}, &SlugRedirect{}, &Category{}, &Product{}, &ProductImage{},
		&OptionGroup{}, &OptionChoice{}, &Image{}, &Review{}, &OutboxEmail{},
		&Order{}, &OrderItem{}, &SubscriptionChange{}, &StripeEvent{}, &Invoice{},
		&Referral{}, &ChatExchange{}, &AuditEntry{},
	}
}
