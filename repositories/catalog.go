package repositories

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// Catalog stores a store's categories, products and product options. Every
// method takes the business ID first and scopes every query by it, so a row
// of another store is domain.ErrNotFound.
type Catalog struct{ db *gorm.DB }

// NewCatalog returns the catalog repository.
func NewCatalog(db *gorm.DB) *Catalog { return &Catalog{db: db} }

// ---- categories ----

// CreateCategory inserts c into businessID's catalog.
func (r *Catalog) CreateCategory(ctx context.Context, businessID int64, c *domain.Category) error {
	c.BusinessID = businessID
	return mapErr(conn(ctx, r.db).Create(c).Error)
}

// ListCategories returns businessID's categories in display order.
func (r *Catalog) ListCategories(ctx context.Context, businessID int64) ([]domain.Category, error) {
	var cs []domain.Category
	err := conn(ctx, r.db).Where("business_id = ?", businessID).Order("position, id").Find(&cs).Error
	return cs, err
}

// GetCategory loads one of businessID's categories.
func (r *Catalog) GetCategory(ctx context.Context, businessID, id int64) (*domain.Category, error) {
	var c domain.Category
	if err := conn(ctx, r.db).Where("business_id = ? AND id = ?", businessID, id).First(&c).Error; err != nil {
		return nil, mapErr(err)
	}
	return &c, nil
}

// CategorySlugTaken reports whether a live category of businessID other than
// exceptID uses slug.
func (r *Catalog) CategorySlugTaken(ctx context.Context, businessID int64, slug string, exceptID int64) (bool, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.Category{}).
		Where("business_id = ? AND slug = ? AND id <> ?", businessID, slug, exceptID).Count(&n).Error
	return n > 0, err
}

// UpdateCategory saves the name, slug and visibility of c.
func (r *Catalog) UpdateCategory(ctx context.Context, businessID int64, c *domain.Category) error {
	res := conn(ctx, r.db).Model(&domain.Category{}).Where("business_id = ? AND id = ?", businessID, c.ID).
		Select("name", "slug", "hidden", "updated_at").
		Updates(map[string]any{"name": c.Name, "slug": c.Slug, "hidden": c.Hidden, "updated_at": time.Now().UTC()})
	return affected(res)
}

// DeleteCategory soft-deletes category id and leaves its products
// uncategorised. Call it inside a transaction.
func (r *Catalog) DeleteCategory(ctx context.Context, businessID, id int64) error {
	db := conn(ctx, r.db)
	res := db.Where("business_id = ? AND id = ?", businessID, id).Delete(&domain.Category{})
	if err := affected(res); err != nil {
		return err
	}
	return db.Unscoped().Model(&domain.Product{}).Where("business_id = ? AND category_id = ?", businessID, id).
		Update("category_id", nil).Error
}

// CountProductsByCategory returns how many live products each category of
// businessID holds.
func (r *Catalog) CountProductsByCategory(ctx context.Context, businessID int64) (map[int64]int64, error) {
	var rows []struct {
		CategoryID int64
		N          int64
	}
	err := conn(ctx, r.db).Model(&domain.Product{}).Select("category_id, COUNT(*) AS n").
		Where("business_id = ? AND category_id IS NOT NULL", businessID).Group("category_id").Scan(&rows).Error
	out := make(map[int64]int64, len(rows))
	for _, row := range rows {
		out[row.CategoryID] = row.N
	}
	return out, err
}

// CategoryOrder returns businessID's category IDs and positions in display order.
func (r *Catalog) CategoryOrder(ctx context.Context, businessID int64) ([]domain.Placed, error) {
	var out []domain.Placed
	err := conn(ctx, r.db).Model(&domain.Category{}).Select("id, position").Where("business_id = ?", businessID).
		Order("position, id").Scan(&out).Error
	return out, err
}

// SetCategoryPositions saves position for each category ID of businessID.
func (r *Catalog) SetCategoryPositions(ctx context.Context, businessID int64, positions map[int64]int) error {
	return setPositions(conn(ctx, r.db), &domain.Category{}, businessID, positions)
}

// NextCategoryPosition is the position after the last category. Call it in
// the transaction that creates the category (see nextPosition).
func (r *Catalog) NextCategoryPosition(ctx context.Context, businessID int64) (int, error) {
	return nextPosition(conn(ctx, r.db), &domain.Category{}, positionScope("categories", businessID, 0),
		"business_id = ?", businessID)
}

// ---- products ----

// CreateProduct inserts p into businessID's catalog.
func (r *Catalog) CreateProduct(ctx context.Context, businessID int64, p *domain.Product) error {
	p.BusinessID = businessID
	active := p.Active
	db := conn(ctx, r.db)
	if err := db.Create(p).Error; err != nil {
		return mapErr(err)
	}
	// GORM leaves out zero values of columns with a default (active
	// defaults to true) and reads the default back, so a hidden product
	// needs a second write.
	if !active {
		p.Active = false
		return db.Model(&domain.Product{}).Where("business_id = ? AND id = ?", businessID, p.ID).
			Update("active", false).Error
	}
	return nil
}

// ListProducts returns businessID's products in display order.
func (r *Catalog) ListProducts(ctx context.Context, businessID int64) ([]domain.Product, error) {
	var ps []domain.Product
	err := conn(ctx, r.db).Where("business_id = ?", businessID).Order("position, id").Find(&ps).Error
	return ps, err
}

// CountActiveProducts returns how many active products businessID has.
func (r *Catalog) CountActiveProducts(ctx context.Context, businessID int64) (int64, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.Product{}).Where("business_id = ? AND active = ?", businessID, true).Count(&n).Error
	return n, err
}

// GetProduct loads one of businessID's live products.
func (r *Catalog) GetProduct(ctx context.Context, businessID, id int64) (*domain.Product, error) {
	var p domain.Product
	if err := conn(ctx, r.db).Where("business_id = ? AND id = ?", businessID, id).First(&p).Error; err != nil {
		return nil, mapErr(err)
	}
	return &p, nil
}

// ProductSlugTaken reports whether a live product of businessID other than
// exceptID uses slug.
func (r *Catalog) ProductSlugTaken(ctx context.Context, businessID int64, slug string, exceptID int64) (bool, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.Product{}).
		Where("business_id = ? AND slug = ? AND id <> ?", businessID, slug, exceptID).Count(&n).Error
	return n > 0, err
}

// UpdateProduct saves the editable fields of p (not its position).
func (r *Catalog) UpdateProduct(ctx context.Context, businessID int64, p *domain.Product) error {
	res := conn(ctx, r.db).Model(&domain.Product{}).Where("business_id = ? AND id = ?", businessID, p.ID).
		Updates(map[string]any{
			"category_id": p.CategoryID, "name": p.Name, "slug": p.Slug, "description": p.Description,
			"price_cents": p.PriceCents, "compare_at_cents": p.CompareAtCents, "active": p.Active,
			"sold_out": p.SoldOut, "stock": p.Stock, "updated_at": time.Now().UTC(),
		})
	return affected(res)
}

// SearchProducts returns one page of businessID's products matching f in
// display order, and how many match in total.
func (r *Catalog) SearchProducts(ctx context.Context, businessID int64, f domain.ProductFilter) ([]domain.Product, int64, error) {
	q := conn(ctx, r.db).Model(&domain.Product{}).Where("business_id = ?", businessID)
	if s := strings.TrimSpace(f.Query); s != "" {
		cond, args := foldedContains(q, s, "name")
		q = q.Where(cond, args...)
	}
	switch {
	case f.Uncategorised:
		q = q.Where("category_id IS NULL")
	case f.CategoryID > 0:
		q = q.Where("category_id = ?", f.CategoryID)
	}
	switch f.Status {
	case "active":
		q = q.Where("active = ?", true)
	case "hidden":
		q = q.Where("active = ?", false)
	case "sold_out":
		q = q.Where("(sold_out = ? OR (stock IS NOT NULL AND stock <= 0))", true)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var ps []domain.Product
	q = q.Order("position, id")
	if f.Limit > 0 {
		q = q.Limit(f.Limit).Offset(f.Offset)
	}
	err := q.Find(&ps).Error
	return ps, total, err
}

// CountProducts returns how many of ids are live products of businessID.
func (r *Catalog) CountProducts(ctx context.Context, businessID int64, ids []int64) (int64, error) {
	var n int64
	if len(ids) == 0 {
		return 0, nil
	}
	err := conn(ctx, r.db).Model(&domain.Product{}).Where("business_id = ? AND id IN ?", businessID, ids).Count(&n).Error
	return n, err
}

// SetProductsActive shows or hides products ids of businessID.
func (r *Catalog) SetProductsActive(ctx context.Context, businessID int64, ids []int64, active bool) error {
	if len(ids) == 0 {
		return nil
	}
	return conn(ctx, r.db).Model(&domain.Product{}).Where("business_id = ? AND id IN ?", businessID, ids).
		Updates(map[string]any{"active": active, "updated_at": time.Now().UTC()}).Error
}

// DeleteProducts soft-deletes products ids of businessID.
func (r *Catalog) DeleteProducts(ctx context.Context, businessID int64, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return conn(ctx, r.db).Where("business_id = ? AND id IN ?", businessID, ids).Delete(&domain.Product{}).Error
}

// ProductOrder returns businessID's product IDs and positions in display order.
func (r *Catalog) ProductOrder(ctx context.Context, businessID int64) ([]domain.Placed, error) {
	var out []domain.Placed
	err := conn(ctx, r.db).Model(&domain.Product{}).Select("id, position").Where("business_id = ?", businessID).
		Order("position, id").Scan(&out).Error
	return out, err
}

// SetProductPositions saves position for each product ID of businessID.
func (r *Catalog) SetProductPositions(ctx context.Context, businessID int64, positions map[int64]int) error {
	return setPositions(conn(ctx, r.db), &domain.Product{}, businessID, positions)
}

// NextProductPosition is the position after the last product. Call it in
// the transaction that creates the product (see nextPosition).
func (r *Catalog) NextProductPosition(ctx context.Context, businessID int64) (int, error) {
	return nextPosition(conn(ctx, r.db), &domain.Product{}, positionScope("products", businessID, 0),
		"business_id = ?", businessID)
}

// ---- options ----

// ListOptionGroups returns the option groups of product productID with
// their choices, in display order.
func (r *Catalog) ListOptionGroups(ctx context.Context, businessID, productID int64) ([]domain.OptionGroup, error) {
	db := conn(ctx, r.db)
	var gs []domain.OptionGroup
	if err := db.Where("business_id = ? AND product_id = ?", businessID, productID).Order("position, id").Find(&gs).Error; err != nil {
		return nil, err
	}
	if len(gs) == 0 {
		return gs, nil
	}
	ids := make([]int64, len(gs))
	for i, g := range gs {
		ids[i] = g.ID
	}
	var cs []domain.OptionChoice
	if err := db.Where("business_id = ? AND group_id IN ?", businessID, ids).Order("position, id").Find(&cs).Error; err != nil {
		return nil, err
	}
	byGroup := make(map[int64][]domain.OptionChoice, len(gs))
	for _, c := range cs {
		byGroup[c.GroupID] = append(byGroup[c.GroupID], c)
	}
	for i := range gs {
		gs[i].Choices = byGroup[gs[i].ID]
	}
	return gs, nil
}

// GetOptionGroup loads group groupID of product productID, with its choices.
func (r *Catalog) GetOptionGroup(ctx context.Context, businessID, productID, groupID int64) (*domain.OptionGroup, error) {
	db := conn(ctx, r.db)
	var g domain.OptionGroup
	if err := db.Where("business_id = ? AND product_id = ? AND id = ?", businessID, productID, groupID).First(&g).Error; err != nil {
		return nil, mapErr(err)
	}
	if err := db.Where("business_id = ? AND group_id = ?", businessID, g.ID).Order("position, id").Find(&g.Choices).Error; err != nil {
		return nil, err
	}
	return &g, nil
}

// CountOptionGroups returns how many option groups product productID has.
func (r *Catalog) CountOptionGroups(ctx context.Context, businessID, productID int64) (int64, error) {
	var n int64
	err := conn(ctx, r.db).Model(&domain.OptionGroup{}).
		Where("business_id = ? AND product_id = ?", businessID, productID).Count(&n).Error
	return n, err
}

// CreateOptionGroup inserts g, placed after the product's other groups.
func (r *Catalog) CreateOptionGroup(ctx context.Context, businessID int64, g *domain.OptionGroup) error {
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

// UpdateOptionGroup saves the name and limits of g.
func (r *Catalog) UpdateOptionGroup(ctx context.Context, businessID int64, g *domain.OptionGroup) error {
	res := conn(ctx, r.db).Model(&domain.OptionGroup{}).
		Where("business_id = ? AND product_id = ? AND id = ?", businessID, g.ProductID, g.ID).
		Updates(map[string]any{"name": g.Name, "min_select": g.MinSelect, "max_select": g.MaxSelect, "updated_at": time.Now().UTC()})
	return affected(res)
}

// DeleteOptionGroup deletes group groupID of product productID with its
// choices. Call it inside a transaction.
func (r *Catalog) DeleteOptionGroup(ctx context.Context, businessID, productID, groupID int64) error {
	db := conn(ctx, r.db)
	res := db.Where("business_id = ? AND product_id = ? AND id = ?", businessID, productID, groupID).Delete(&domain.OptionGroup{})
	if err := affected(res); err != nil {
		return err
	}
	return db.Where("business_id = ? AND group_id = ?", businessID, groupID).Delete(&domain.OptionChoice{}).Error
}

// CreateOptionChoice inserts c, placed after the group's other choices. The
// caller has checked that the group belongs to businessID.
func (r *Catalog) CreateOptionChoice(ctx context.Context, businessID int64, c *domain.OptionChoice) error {
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

// UpdateOptionChoice saves the name and price change of c.
func (r *Catalog) UpdateOptionChoice(ctx context.Context, businessID int64, c *domain.OptionChoice) error {
	res := conn(ctx, r.db).Model(&domain.OptionChoice{}).
		Where("business_id = ? AND group_id = ? AND id = ?", businessID, c.GroupID, c.ID).
		Updates(map[string]any{"name": c.Name, "delta_cents": c.DeltaCents, "updated_at": time.Now().UTC()})
	return affected(res)
}

// DeleteOptionChoice deletes choice choiceID of group groupID.
func (r *Catalog) DeleteOptionChoice(ctx context.Context, businessID, groupID, choiceID int64) error {
	res := conn(ctx, r.db).Where("business_id = ? AND group_id = ? AND id = ?", businessID, groupID, choiceID).
		Delete(&domain.OptionChoice{})
	return affected(res)
}

// MinOptionDelta returns the most negative price change among the choices
// of product productID (0 when none is negative).
func (r *Catalog) MinOptionDelta(ctx context.Context, businessID, productID int64) (domain.Money, error) {
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

// ---- helpers ----

// affected maps "no row matched" to domain.ErrNotFound.
func affected(res *gorm.DB) error {
	if res.Error != nil {
		return mapErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return nil
}

func setPositions(db *gorm.DB, model any, businessID int64, positions map[int64]int) error {
	for id, pos := range positions {
		res := db.Model(model).Where("business_id = ? AND id = ?", businessID, id).Update("position", pos)
		if err := affected(res); err != nil {
			return err
		}
	}
	return nil
}

// nextPosition is the position after the last row of model matching where,
// in the list of scope (the business, a product, an option group). Call it
// in the transaction that inserts the row: on PostgreSQL it first takes a
// transaction advisory lock on that list, so concurrent creates read the
// maximum one after the other and never share a position (SQLite
// transactions already have a single writer: _txlock=immediate). The lock
// does not touch the parent row, so saving the store or the product is not
// blocked, and positions stay free of a unique index so reordering can
// write them in any order.
func nextPosition(db *gorm.DB, model any, scope string, where string, args ...any) (int, error) {
	if db.Dialector.Name() == "postgres" {
		if err := db.Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", "position:"+scope).Error; err != nil {
			return 0, fmt.Errorf("lock positions of %s: %w", scope, err)
		}
	}
	var max sql.NullInt64
	if err := db.Model(model).Select("MAX(position)").Where(where, args...).Row().Scan(&max); err != nil {
		return 0, err
	}
	if !max.Valid {
		return 0, nil
	}
	return int(max.Int64) + 1, nil
}

// positionScope names one ordered list for nextPosition's lock.
func positionScope(list string, businessID, parentID int64) string {
	return list + ":" + strconv.FormatInt(businessID, 10) + ":" + strconv.FormatInt(parentID, 10)
}
