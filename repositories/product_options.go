package repositories

import (
	"context"
	"database/sql"
	"fmt"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// ProductOptions stores the option groups of a store's products ("Tamaño",
// "Extras") and their choices. Every method takes the business ID first and
// scopes every query by it, so a row of another store is domain.ErrNotFound.
type ProductOptions struct{ db *gorm.DB }

// NewProductOptions returns the product options repository.
func NewProductOptions(db *gorm.DB) *ProductOptions { return &ProductOptions{db: db} }

// ListOptionGroups returns the option groups of product productID with
// their choices, in display order.
func (r *ProductOptions) ListOptionGroups(ctx context.Context, businessID, productID int64) ([]domain.OptionGroup, error) {
	byProduct, err := loadOptionGroups(conn(ctx, r.db), businessID, []int64{productID})
	if err != nil {
		return nil, err
	}
	if gs := byProduct[productID]; gs != nil {
		return gs, nil
	}
	return []domain.OptionGroup{}, nil
}

// GetOptionGroup loads group groupID of product productID, with its choices.
func (r *ProductOptions) GetOptionGroup(ctx context.Context, businessID, productID, groupID int64) (*domain.OptionGroup, error) {
	db := conn(ctx, r.db)
	var g domain.OptionGroup
	if err := db.Where("business_id = ? AND product_id = ? AND id = ?", businessID, productID, groupID).First(&g).Error; err != nil {
		return nil, mapErr(err)
	}
	gs := []domain.OptionGroup{g}
	if err := attachChoices(db, businessID, gs, false); err != nil {
		return nil, err
	}
	return &gs[0], nil
}

// CountOptionGroups returns how many option groups product productID has.
func (r *ProductOptions) CountOptionGroups(ctx context.Context, businessID, productID int64) (int64, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.OptionGroup{}).
		Where("business_id = ? AND product_id = ?", businessID, productID).Count(&n).Error
	return n, err
}

// CreateOptionGroup inserts g, placed after the product's other groups.
func (r *ProductOptions) CreateOptionGroup(ctx context.Context, businessID int64, g *domain.OptionGroup) error {
	g.BusinessID = businessID
	return conn(ctx, r.db).Transaction(func(db *gorm.DB) error {
		pos, err := nextPosition(db, &domain.OptionGroup{}, positionScope("option_groups", businessID, g.ProductID),
			"business_id = ? AND product_id = ?", businessID, g.ProductID)
		if err != nil {
			return err
		}
		g.Position = pos
		return mapErr(db.Create(g).Error)
	})
}

// UpdateOptionGroup saves the name, limits and UpdatedAt of g.
func (r *ProductOptions) UpdateOptionGroup(ctx context.Context, businessID int64, g *domain.OptionGroup) error {
	res := conn(ctx, r.db).Model(&domain.OptionGroup{}).
		Where("business_id = ? AND product_id = ? AND id = ?", businessID, g.ProductID, g.ID).
		Updates(map[string]any{"name": g.Name, "min_select": g.MinSelect, "max_select": g.MaxSelect, "updated_at": g.UpdatedAt})
	return affected(res)
}

// DeleteOptionGroup deletes group groupID of product productID with its
// choices. Call it inside a transaction.
func (r *ProductOptions) DeleteOptionGroup(ctx context.Context, businessID, productID, groupID int64) error {
	db := conn(ctx, r.db)
	res := db.Where("business_id = ? AND product_id = ? AND id = ?", businessID, productID, groupID).Delete(&domain.OptionGroup{})
	if err := affected(res); err != nil {
		return err
	}
	return db.Where("business_id = ? AND group_id = ?", businessID, groupID).Delete(&domain.OptionChoice{}).Error
}

// CreateOptionChoice inserts c, placed after the group's other choices. The
// caller has checked that the group belongs to businessID.
func (r *ProductOptions) CreateOptionChoice(ctx context.Context, businessID int64, c *domain.OptionChoice) error {
	c.BusinessID = businessID
	return conn(ctx, r.db).Transaction(func(db *gorm.DB) error {
		pos, err := nextPosition(db, &domain.OptionChoice{}, positionScope("option_choices", businessID, c.GroupID),
			"business_id = ? AND group_id = ?", businessID, c.GroupID)
		if err != nil {
			return err
		}
		c.Position = pos
		return mapErr(db.Create(c).Error)
	})
}

// UpdateOptionChoice saves the name, price change and UpdatedAt of c.
func (r *ProductOptions) UpdateOptionChoice(ctx context.Context, businessID int64, c *domain.OptionChoice) error {
	res := conn(ctx, r.db).Model(&domain.OptionChoice{}).
		Where("business_id = ? AND group_id = ? AND id = ?", businessID, c.GroupID, c.ID).
		Updates(map[string]any{"name": c.Name, "delta_cents": c.DeltaCents, "updated_at": c.UpdatedAt})
	return affected(res)
}

// DeleteOptionChoice deletes choice choiceID of group groupID.
func (r *ProductOptions) DeleteOptionChoice(ctx context.Context, businessID, groupID, choiceID int64) error {
	res := conn(ctx, r.db).Where("business_id = ? AND group_id = ? AND id = ?", businessID, groupID, choiceID).
		Delete(&domain.OptionChoice{})
	return affected(res)
}

// MinOptionDelta returns the most negative price change among the choices
// of product productID (0 when none is negative).
func (r *ProductOptions) MinOptionDelta(ctx context.Context, businessID, productID int64) (domain.Money, error) {
	var min sql.NullInt64
	err := conn(ctx, r.db).Model(&domain.OptionChoice{}).Select("MIN(option_choices.delta_cents)").
		Joins("JOIN option_groups ON option_groups.id = option_choices.group_id AND option_groups.business_id = option_choices.business_id").
		Where("option_choices.business_id = ? AND option_groups.product_id = ?", businessID, productID).
		Row().Scan(&min)
	if err != nil || !min.Valid || min.Int64 > 0 {
		return 0, err
	}
	return domain.Money(min.Int64), nil
}

// The columns of option groups and choices the pages use: no timestamps to
// parse for every row.
const (
	optionGroupColumns  = "id, business_id, product_id, name, min_select, max_select, position"
	optionChoiceColumns = "id, business_id, group_id, name, delta_cents, position"
)

// loadOptionGroups is the one loader of option groups: businessID's groups
// with their choices, in display order, by product ID. It reads the groups
// of productIDs, or of every product of the store when productIDs is nil
// (two queries whatever the number of products, without a long IN list).
func loadOptionGroups(db *gorm.DB, businessID int64, productIDs []int64) (map[int64][]domain.OptionGroup, error) {
	out := map[int64][]domain.OptionGroup{}
	q := db.Where("business_id = ?", businessID)
	if productIDs != nil {
		if len(productIDs) == 0 {
			return out, nil
		}
		q = q.Where("product_id IN ?", productIDs)
	}
	var gs []domain.OptionGroup
	if err := q.Select(optionGroupColumns).Order("product_id, position, id").Find(&gs).Error; err != nil {
		return nil, fmt.Errorf("list option groups of business %d: %w", businessID, err)
	}
	if err := attachChoices(db, businessID, gs, productIDs == nil); err != nil {
		return nil, err
	}
	for _, g := range gs {
		out[g.ProductID] = append(out[g.ProductID], g)
	}
	return out, nil
}

// attachChoices loads the choices of gs into them, in display order. all
// says gs are every group of the store, so no IN list is needed.
func attachChoices(db *gorm.DB, businessID int64, gs []domain.OptionGroup, all bool) error {
	if len(gs) == 0 {
		return nil
	}
	q := db.Where("business_id = ?", businessID)
	if !all {
		ids := make([]int64, len(gs))
		for i, g := range gs {
			ids[i] = g.ID
		}
		q = q.Where("group_id IN ?", ids)
	}
	var cs []domain.OptionChoice
	if err := q.Select(optionChoiceColumns).Order("group_id, position, id").Find(&cs).Error; err != nil {
		return fmt.Errorf("list option choices of business %d: %w", businessID, err)
	}
	byGroup := make(map[int64][]domain.OptionChoice, len(gs))
	for _, c := range cs {
		byGroup[c.GroupID] = append(byGroup[c.GroupID], c)
	}
	for i := range gs {
		gs[i].Choices = byGroup[gs[i].ID]
	}
	return nil
}
