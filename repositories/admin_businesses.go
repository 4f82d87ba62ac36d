package repositories

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/qubly/qubly/domain"
)

// AdminBusinesses reads the businesses across tenants for the platform
// admin (search, detail, activity) and writes their suspension. Only the
// admin pages use it.
type AdminBusinesses struct{ db *gorm.DB }

// NewAdminBusinesses returns the admin's businesses repository.
func NewAdminBusinesses(db *gorm.DB) *AdminBusinesses { return &AdminBusinesses{db: db} }

// Search returns one page of the live businesses matching f, newest first,
// each with its owner's email and activity, and how many match in all.
func (r *AdminBusinesses) Search(ctx context.Context, f domain.BusinessFilter, offset, limit int) ([]domain.BusinessRow, int64, error) {
	db := conn(ctx, r.db)
	q := db.Model(&domain.Business{})
	if f.Query != "" {
		cond, args := foldedContains(db, f.Query, "businesses.name", "businesses.slug")
		ownerCond, ownerArgs := foldedContains(db, f.Query, "u.email")
		q = q.Where("("+cond+") OR EXISTS (SELECT 1 FROM users u WHERE u.business_id = businesses.id AND u.role = ? AND ("+ownerCond+"))",
			append(append(args, domain.RoleOwner), ownerArgs...)...)
	}
	if f.Status != "" {
		q = q.Where("businesses.subscription_status = ?", f.Status)
	}
	switch f.Suspended {
	case domain.SuspendedOnly:
		q = q.Where("businesses.suspended_at IS NOT NULL")
	case domain.SuspendedNot:
		q = q.Where("businesses.suspended_at IS NULL")
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count businesses: %w", mapErr(err))
	}
	var bs []domain.Business
	if err := q.Order("businesses.created_at DESC, businesses.id DESC").Offset(offset).Limit(limit).Find(&bs).Error; err != nil {
		return nil, 0, fmt.Errorf("search businesses: %w", mapErr(err))
	}
	rows, err := r.rows(ctx, bs)
	return rows, total, err
}

// Get returns the live business id with its owner's email and activity.
func (r *AdminBusinesses) Get(ctx context.Context, id int64) (*domain.BusinessRow, error) {
	var b domain.Business
	if err := conn(ctx, r.db).First(&b, id).Error; err != nil {
		return nil, mapErr(err)
	}
	rows, err := r.rows(ctx, []domain.Business{b})
	if err != nil {
		return nil, err
	}
	return &rows[0], nil
}

// rows adds to bs their owners' emails and their activity, in four
// queries whatever the number of businesses.
func (r *AdminBusinesses) rows(ctx context.Context, bs []domain.Business) ([]domain.BusinessRow, error) {
	out := make([]domain.BusinessRow, len(bs))
	if len(bs) == 0 {
		return out, nil
	}
	ids := make([]int64, len(bs))
	for i := range bs {
		ids[i] = bs[i].ID
		updated := bs[i].UpdatedAt
		out[i] = domain.BusinessRow{Business: bs[i], Activity: domain.BusinessActivity{LastStoreAt: &updated}}
	}
	db := conn(ctx, r.db)
	orders, err := latestBy(db.Table("orders").Where("business_id IN ?", ids), "business_id", "created_at")
	if err != nil {
		return nil, fmt.Errorf("last orders: %w", err)
	}
	products, err := latestBy(db.Table("products").Where("business_id IN ?", ids), "business_id", "updated_at")
	if err != nil {
		return nil, fmt.Errorf("last product changes: %w", err)
	}
	var owners []domain.User
	if err := db.Where("business_id IN ? AND role = ?", ids, domain.RoleOwner).Order("id").Find(&owners).Error; err != nil {
		return nil, fmt.Errorf("owners: %w", err)
	}
	ownerOf := map[int64]domain.User{}
	userIDs := make([]int64, 0, len(owners))
	for _, u := range owners {
		if _, ok := ownerOf[*u.BusinessID]; !ok {
			ownerOf[*u.BusinessID] = u
			userIDs = append(userIDs, u.ID)
		}
	}
	seen := map[int64]time.Time{}
	if len(userIDs) > 0 {
		if seen, err = latestBy(db.Table("sessions").Where("user_id IN ?", userIDs), "user_id", "last_seen_at"); err != nil {
			return nil, fmt.Errorf("owners' sessions: %w", err)
		}
	}
	for i := range out {
		a := &out[i].Activity
		id := out[i].Business.ID
		a.LastOrderAt, a.LastProductAt = timePtr(orders, id), timePtr(products, id)
		if u, ok := ownerOf[id]; ok {
			out[i].OwnerEmail = u.Email
			a.OwnerSeenAt = timePtr(seen, u.ID)
		}
	}
	return out, nil
}

// latestBy returns MAX(col) grouped by key over q.
func latestBy(q *gorm.DB, key, col string) (map[int64]time.Time, error) {
	rows, err := q.Select(key + ", MAX(" + col + ")").Group(key).Rows()
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var t dbTime
		if err := rows.Scan(&id, &t); err != nil {
			return nil, err
		}
		if !t.IsZero() {
			out[id] = t.UTC()
		}
	}
	return out, rows.Err()
}

func timePtr(m map[int64]time.Time, id int64) *time.Time {
	if t, ok := m[id]; ok {
		return &t
	}
	return nil
}

// Counts returns how many live products and how many orders businessID has.
func (r *AdminBusinesses) Counts(ctx context.Context, businessID int64) (products, orders int64, err error) {
	db := conn(ctx, r.db)
	if err = db.Model(&domain.Product{}).Where("business_id = ?", businessID).Count(&products).Error; err != nil {
		return 0, 0, fmt.Errorf("count products of business %d: %w", businessID, mapErr(err))
	}
	if err = db.Model(&domain.Order{}).Where("business_id = ?", businessID).Count(&orders).Error; err != nil {
		return 0, 0, fmt.Errorf("count orders of business %d: %w", businessID, mapErr(err))
	}
	return products, orders, nil
}

// Lock loads the live business id, locked until the transaction ends on
// PostgreSQL (SQLite has one writer already).
func (r *AdminBusinesses) Lock(ctx context.Context, id int64) (*domain.Business, error) {
	db := conn(ctx, r.db)
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); inTx {
		db = db.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var b domain.Business
	if err := db.Where("id = ?", id).Take(&b).Error; err != nil {
		return nil, mapErr(err)
	}
	return &b, nil
}

// SetSuspension writes the suspension of business id: at and reason, or
// nil and "" to lift it. It leaves updated_at alone: an admin's action is
// not the store's activity.
func (r *AdminBusinesses) SetSuspension(ctx context.Context, id int64, at *time.Time, reason string) error {
	res := conn(ctx, r.db).Model(&domain.Business{}).Where("id = ?", id).
		UpdateColumns(map[string]any{"suspended_at": at, "suspended_reason": reason})
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// BusinessNames returns the names of the businesses ids (deleted ones
// too), for labels such as the audit log's targets.
func (r *AdminBusinesses) BusinessNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var bs []domain.Business
	if err := conn(ctx, r.db).Unscoped().Select("id", "name").Where("id IN ?", ids).Find(&bs).Error; err != nil {
		return nil, fmt.Errorf("business names: %w", mapErr(err))
	}
	for _, b := range bs {
		out[b.ID] = b.Name
	}
	return out, nil
}

// UserEmails returns the emails of the users ids.
func (r *AdminBusinesses) UserEmails(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var us []domain.User
	if err := conn(ctx, r.db).Select("id", "email").Where("id IN ?", ids).Find(&us).Error; err != nil {
		return nil, fmt.Errorf("user emails: %w", mapErr(err))
	}
	for _, u := range us {
		out[u.ID] = u.Email
	}
	return out, nil
}
