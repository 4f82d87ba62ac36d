package repositories

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/qubly/qubly/domain"
)

// ListAdmins returns the platform admins (super_admin and admin_viewer,
// never owners), oldest first, each with the last time one of their
// sessions was seen.
func (r *Users) ListAdmins(ctx context.Context) ([]domain.AdminUser, error) {
	var users []domain.User
	err := conn(ctx, r.db).Where("role IN ?", domain.AdminRoles).Order("created_at, id").Find(&users).Error
	if err != nil || len(users) == 0 {
		return nil, err
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.ID
	}
	// The latest last_seen_at per user, computed here: MAX over a time
	// column comes back as text on SQLite.
	var seen []struct {
		UserID     int64
		LastSeenAt time.Time
	}
	if err := conn(ctx, r.db).Model(&domain.Session{}).Select("user_id, last_seen_at").
		Where("user_id IN ?", ids).Find(&seen).Error; err != nil {
		return nil, err
	}
	last := map[int64]time.Time{}
	for _, s := range seen {
		if s.LastSeenAt.After(last[s.UserID]) {
			last[s.UserID] = s.LastSeenAt
		}
	}
	out := make([]domain.AdminUser, len(users))
	for i, u := range users {
		out[i].User = u
		if t, ok := last[u.ID]; ok {
			out[i].LastSeenAt = &t
		}
	}
	return out, nil
}

// LockActiveSuperAdmins counts the active super_admins. Inside a
// transaction on PostgreSQL it locks their rows (FOR UPDATE) until the
// transaction ends, so two transactions that each check "another super
// admin remains" before demoting or deactivating one run one after the
// other: the second waits, re-reads the rows the first changed and counts
// without them. SQLite needs no lock: its transactions take the database's
// write lock at BEGIN (see Transactor).
func (r *Users) LockActiveSuperAdmins(ctx context.Context) (int64, error) {
	db := conn(ctx, r.db)
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); inTx {
		db = db.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var ids []int64
	err := db.Model(&domain.User{}).Where("role = ? AND deactivated_at IS NULL", domain.RoleSuperAdmin).
		Order("id").Pluck("id", &ids).Error
	return int64(len(ids)), err
}

// SetDeactivated deactivates the user at at, or reactivates them with nil.
func (r *Users) SetDeactivated(ctx context.Context, id int64, at *time.Time) error {
	res := conn(ctx, r.db).Model(&domain.User{}).Where("id = ?", id).Update("deactivated_at", at)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return nil
}
