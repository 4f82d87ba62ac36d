package app

import (
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
)

// adminBusinesses builds the platform admin's businesses service (search,
// detail, trial extension, suspension, audit log).
func (w *wiring) adminBusinesses(s *svcs) *services.AdminBusinesses {
	return services.NewAdminBusinesses(services.AdminBusinessesDeps{
		Repo: repositories.NewAdminBusinesses(w.db), Owners: w.repos.Users, Referrals: w.repos.Referrals,
		Subscriptions: s.subscriptions, Audit: s.audit,
		Writes: services.NewStoreWrites(w.tx, w.cache), Clock: w.clock,
	})
}
