package domain

import "time"

// Rows the platform admin's metrics are computed from (repositories read
// them; services.AdminMetrics turns them into figures).

// MetricsBusiness is one counted business (not the demo store, not
// deleted) as the platform metrics see it.
type MetricsBusiness struct {
	ID                 int64
	SubscriptionStatus SubscriptionStatus
	TrialEndsAt        *time.Time
	SuspendedAt        *time.Time
	CreatedAt          time.Time
}

// MetricsBucket is one period of a series: its count and summed amount.
type MetricsBucket struct {
	Index int `gorm:"column:idx"`
	Count int64
	Cents Money
}

// ReferralCounts counts every referral by outcome.
type ReferralCounts struct {
	Made, Pending, Successful, Failed, Rewarded int64
}

// StoreSales is one store's orders and their value over a period.
type StoreSales struct {
	BusinessID int64
	Name       string
	Slug       string
	Orders     int64
	Cents      Money
}

// ChatSourceCount counts chatbot questions answered from one source.
type ChatSourceCount struct {
	Source ChatSource
	Count  int64
}
