package services

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
)

// Catalog rules.
const (
	CategoryNameMax    = 80
	ProductNameMax     = 120
	ProductSlugMax     = 80
	ProductDescMax     = 2000
	OptionNameMax      = 80
	MaxOptionGroups    = 10
	MaxOptionChoices   = 30
	MaxOptionSelect    = 20
	MaxStock           = 1_000_000
	ProductsPerPage    = 20
	MaxPriceCents      = domain.Money(1_000_000 * 100) // $1,000,000.00
	defaultCategoryURL = "categoria"
	defaultProductURL  = "producto"
)

// Product statuses the list can filter on.
const (
	StatusActive  = "active"
	StatusHidden  = "hidden"
	StatusSoldOut = "sold_out"
)

// Bulk actions on products.
const (
	BulkHide   = "hide"
	BulkShow   = "show"
	BulkDelete = "delete"
)

// CatalogStore is what Catalog needs of the catalog repository. Every
// method is scoped by the business ID.
type CatalogStore interface {
	ListCategories(ctx context.Context, businessID int64) ([]domain.Category, error)
	GetCategory(ctx context.Context, businessID, id int64) (*domain.Category, error)
	CreateCategory(ctx context.Context, businessID int64, c *domain.Category) error
	UpdateCategory(ctx context.Context, businessID int64, c *domain.Category) error
	DeleteCategory(ctx context.Context, businessID, id int64) error
	CategorySlugTaken(ctx context.Context, businessID int64, slug string, exceptID int64) (bool, error)
	CountProductsByCategory(ctx context.Context, businessID int64) (map[int64]int64, error)
	CategoryOrder(ctx context.Context, businessID int64) ([]domain.Placed, error)
	SetCategoryPositions(ctx context.Context, businessID int64, positions map[int64]int) error
	NextCategoryPosition(ctx context.Context, businessID int64) (int, error)

	ListProducts(ctx context.Context, businessID int64) ([]domain.Product, error)
	GetProduct(ctx context.Context, businessID, id int64) (*domain.Product, error)
	CreateProduct(ctx context.Context, businessID int64, p *domain.Product) error
	UpdateProduct(ctx context.Context, businessID int64, p *domain.Product) error
	ProductSlugTaken(ctx context.Context, businessID int64, slug string, exceptID int64) (bool, error)
	SearchProducts(ctx context.Context, businessID int64, f domain.ProductFilter) ([]domain.Product, int64, error)
	CountProducts(ctx context.Context, businessID int64, ids []int64) (int64, error)
	SetProductsActive(ctx context.Context, businessID int64, ids []int64, active bool) error
	DeleteProducts(ctx context.Context, businessID int64, ids []int64) error
	ProductOrder(ctx context.Context, businessID int64) ([]domain.Placed, error)
	SetProductPositions(ctx context.Context, businessID int64, positions map[int64]int) error
	NextProductPosition(ctx context.Context, businessID int64) (int, error)

	ListOptionGroups(ctx context.Context, businessID, productID int64) ([]domain.OptionGroup, error)
	GetOptionGroup(ctx context.Context, businessID, productID, groupID int64) (*domain.OptionGroup, error)
	CountOptionGroups(ctx context.Context, businessID, productID int64) (int64, error)
	CreateOptionGroup(ctx context.Context, businessID int64, g *domain.OptionGroup) error
	UpdateOptionGroup(ctx context.Context, businessID int64, g *domain.OptionGroup) error
	DeleteOptionGroup(ctx context.Context, businessID, productID, groupID int64) error
	CreateOptionChoice(ctx context.Context, businessID int64, c *domain.OptionChoice) error
	UpdateOptionChoice(ctx context.Context, businessID int64, c *domain.OptionChoice) error
	DeleteOptionChoice(ctx context.Context, businessID, groupID, choiceID int64) error
	MinOptionDelta(ctx context.Context, businessID, productID int64) (domain.Money, error)
}

// Catalog owns a store's categories, products and product options as the
// shop owner edits them. Every write purges the store's cached pages.
type Catalog struct {
	store  CatalogStore
	tx     Transactor
	purger StorePurger
}

// NewCatalog returns the catalog service.
func NewCatalog(store CatalogStore, tx Transactor, purger StorePurger) *Catalog {
	return &Catalog{store: store, tx: tx, purger: purger}
}

// write runs fn in a transaction and purges the store's cache after it.
func (s *Catalog) write(ctx context.Context, businessID int64, fn func(ctx context.Context) error) error {
	err := s.tx.InTx(ctx, fn)
	if err == nil {
		s.purger.PurgeStore(ctx, businessID)
	}
	return err
}

// ---- categories ----

// CategoryRow is a category with how many products it holds.
type CategoryRow struct {
	domain.Category
	Products int64
}

// Categories lists businessID's categories in display order.
func (s *Catalog) Categories(ctx context.Context, businessID int64) ([]domain.Category, error) {
	return s.store.ListCategories(ctx, businessID)
}

// CategoryRows lists businessID's categories with their product counts.
func (s *Catalog) CategoryRows(ctx context.Context, businessID int64) ([]CategoryRow, error) {
	cs, err := s.store.ListCategories(ctx, businessID)
	if err != nil {
		return nil, fmt.Errorf("list categories: %w", err)
	}
	counts, err := s.store.CountProductsByCategory(ctx, businessID)
	if err != nil {
		return nil, fmt.Errorf("count products: %w", err)
	}
	rows := make([]CategoryRow, len(cs))
	for i, c := range cs {
		rows[i] = CategoryRow{Category: c, Products: counts[c.ID]}
	}
	return rows, nil
}

// validateCategoryName checks name and that no other category of the store
// (other than exceptID) has it, ignoring case.
func validateCategoryName(name string, existing []domain.Category, exceptID int64, field string, v *domain.ValidationError) {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		v.Add(field, "validation.required", nil)
		return
	case n > CategoryNameMax:
		v.Add(field, "validation.too_long", map[string]any{"Max": CategoryNameMax})
		return
	}
	for _, c := range existing {
		if c.ID != exceptID && strings.EqualFold(strings.TrimSpace(c.Name), name) {
			v.Add(field, "catalog.validation.category_taken", nil)
			return
		}
	}
}

// uniqueSlug returns base, or base-2, base-3… the first one taken says is free.
func uniqueSlug(base string, max int, taken func(string) (bool, error)) (string, error) {
	for i := 1; i < 1000; i++ {
		slug := base
		if i > 1 {
			suffix := "-" + strconv.Itoa(i)
			if len(base)+len(suffix) > max {
				slug = strings.TrimRight(base[:max-len(suffix)], "-") + suffix
			} else {
				slug = base + suffix
			}
		}
		t, err := taken(slug)
		if err != nil {
			return "", err
		}
		if !t {
			return slug, nil
		}
	}
	return "", fmt.Errorf("no free slug for %q: %w", base, domain.ErrConflict)
}

func (s *Catalog) categorySlug(ctx context.Context, businessID int64, name string, exceptID int64) (string, error) {
	base := domain.Slugify(name, CategoryNameMax)
	if base == "" {
		base = defaultCategoryURL
	}
	return uniqueSlug(base, CategoryNameMax, func(slug string) (bool, error) {
		return s.store.CategorySlugTaken(ctx, businessID, slug, exceptID)
	})
}

// CreateCategory adds a visible category named name at the end of the list.
func (s *Catalog) CreateCategory(ctx context.Context, businessID int64, name string) (*domain.Category, error) {
	name = domain.CleanLine(name)
	existing, err := s.store.ListCategories(ctx, businessID)
	if err != nil {
		return nil, err
	}
	v := &domain.ValidationError{}
	validateCategoryName(name, existing, 0, "name", v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	c := &domain.Category{Name: name}
	err = s.write(ctx, businessID, func(ctx context.Context) error {
		return s.createCategory(ctx, businessID, c)
	})
	if err != nil {
		return nil, fmt.Errorf("create category: %w", err)
	}
	return c, nil
}

func (s *Catalog) createCategory(ctx context.Context, businessID int64, c *domain.Category) error {
	slug, err := s.categorySlug(ctx, businessID, c.Name, 0)
	if err != nil {
		return err
	}
	pos, err := s.store.NextCategoryPosition(ctx, businessID)
	if err != nil {
		return err
	}
	c.Slug, c.Position = slug, pos
	return s.store.CreateCategory(ctx, businessID, c)
}

// UpdateCategory renames category id and shows or hides it. The category's
// URL slug follows its name.
func (s *Catalog) UpdateCategory(ctx context.Context, businessID, id int64, name string, hidden bool) error {
	name = domain.CleanLine(name)
	c, err := s.store.GetCategory(ctx, businessID, id)
	if err != nil {
		return err
	}
	existing, err := s.store.ListCategories(ctx, businessID)
	if err != nil {
		return err
	}
	v := &domain.ValidationError{}
	validateCategoryName(name, existing, id, "name", v)
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, businessID, func(ctx context.Context) error {
		if name != c.Name {
			slug, err := s.categorySlug(ctx, businessID, name, id)
			if err != nil {
				return err
			}
			c.Slug = slug
		}
		c.Name, c.Hidden = name, hidden
		return s.store.UpdateCategory(ctx, businessID, c)
	})
}

// DeleteCategory deletes category id; its products stay, uncategorised.
func (s *Catalog) DeleteCategory(ctx context.Context, businessID, id int64) error {
	return s.write(ctx, businessID, func(ctx context.Context) error {
		return s.store.DeleteCategory(ctx, businessID, id)
	})
}

// MoveCategory moves category id one place up or down ("up", "down").
func (s *Catalog) MoveCategory(ctx context.Context, businessID, id int64, dir string) error {
	return s.write(ctx, businessID, func(ctx context.Context) error {
		order, err := s.store.CategoryOrder(ctx, businessID)
		if err != nil {
			return err
		}
		ids, err := moved(order, id, dir)
		if err != nil {
			return err
		}
		return s.store.SetCategoryPositions(ctx, businessID, changedPositions(order, ids))
	})
}

// ReorderCategories puts the given categories in the order of ids. Every ID
// must be one of the store's categories (else domain.ErrNotFound and nothing
// changes); categories not listed keep their places.
func (s *Catalog) ReorderCategories(ctx context.Context, businessID int64, ids []int64) error {
	return s.write(ctx, businessID, func(ctx context.Context) error {
		order, err := s.store.CategoryOrder(ctx, businessID)
		if err != nil {
			return err
		}
		next, err := reordered(order, ids)
		if err != nil {
			return err
		}
		return s.store.SetCategoryPositions(ctx, businessID, changedPositions(order, next))
	})
}

// ---- ordering ----

// moved returns the IDs of order with id swapped with its neighbour in dir.
// Moving past either end changes nothing.
func moved(order []domain.Placed, id int64, dir string) ([]int64, error) {
	ids := make([]int64, len(order))
	at := -1
	for i, p := range order {
		ids[i] = p.ID
		if p.ID == id {
			at = i
		}
	}
	if at < 0 {
		return nil, domain.ErrNotFound
	}
	switch dir {
	case "up":
		if at > 0 {
			ids[at-1], ids[at] = ids[at], ids[at-1]
		}
	case "down":
		if at < len(ids)-1 {
			ids[at+1], ids[at] = ids[at], ids[at+1]
		}
	default:
		return nil, domain.NewFieldError("dir", "catalog.validation.direction")
	}
	return ids, nil
}

// reordered places ids, in their new order, into the slots they held in
// order, so a reordered page or filtered list leaves the rest in place.
func reordered(order []domain.Placed, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, domain.NewFieldError("ids", "catalog.validation.ids")
	}
	index := make(map[int64]int, len(order))
	for i, p := range order {
		index[p.ID] = i
	}
	slots := make([]int, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		i, ok := index[id]
		if !ok {
			return nil, domain.ErrNotFound
		}
		if seen[id] {
			return nil, domain.NewFieldError("ids", "catalog.validation.ids")
		}
		seen[id] = true
		slots = append(slots, i)
	}
	slices.Sort(slots)
	next := make([]int64, len(order))
	for i, p := range order {
		next[i] = p.ID
	}
	for k, slot := range slots {
		next[slot] = ids[k]
	}
	return next, nil
}

// changedPositions numbers ids 0…n-1 and keeps only the rows whose stored
// position differs, so a move usually writes two rows.
func changedPositions(order []domain.Placed, ids []int64) map[int64]int {
	cur := make(map[int64]int, len(order))
	for _, p := range order {
		cur[p.ID] = p.Position
	}
	out := map[int64]int{}
	for i, id := range ids {
		if cur[id] != i {
			out[id] = i
		}
	}
	return out
}

// ---- money ----

// ParsePrice reads a price typed in pesos ("25", "25.50", "$1,250.00") into
// centavos, exactly. It returns the i18n key of what is wrong, or "".
// A comma is only a thousands separator: "25,50" is refused rather than
// read as $2,550.
func ParsePrice(s string) (domain.Money, string) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimPrefix(s, "$"))
	s = strings.ReplaceAll(s, " ", "")
	if strings.HasPrefix(s, "-") {
		return 0, "catalog.validation.price_negative"
	}
	if s == "" {
		return 0, "validation.required"
	}
	if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > 2 && strings.Trim(frac, "0123456789") == "" {
		return 0, "catalog.validation.price_decimals"
	}
	m, ok := domain.ParsePesos(s)
	if !ok {
		return 0, "catalog.validation.price_format"
	}
	if m > MaxPriceCents {
		return 0, "catalog.validation.price_max"
	}
	return m, ""
}

// parseDelta reads an option's price change: "15", "+15", "-5.50"; empty is 0.
func parseDelta(s string) (domain.Money, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ""
	}
	neg := false
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	if s = strings.TrimSpace(s); s == "" || strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		return 0, "catalog.validation.price_format"
	}
	m, key := ParsePrice(s)
	if key != "" {
		return 0, key
	}
	if neg {
		m = -m
	}
	return m, ""
}

// ---- products ----

// ProductInput is the product form as typed: money in pesos, IDs and
// numbers as text.
type ProductInput struct {
	Name, Slug, Description string
	Price, CompareAt        string
	CategoryID              string
	Active, SoldOut         bool
	Stock                   string
}

// ProductInputFrom fills the form from a stored product.
func ProductInputFrom(p *domain.Product) ProductInput {
	in := ProductInput{
		Name: p.Name, Slug: p.Slug, Description: p.Description, Price: p.PriceCents.Input(),
		Active: p.Active, SoldOut: p.SoldOut,
	}
	if p.CompareAtCents != nil {
		in.CompareAt = p.CompareAtCents.Input()
	}
	if p.CategoryID != nil {
		in.CategoryID = strconv.FormatInt(*p.CategoryID, 10)
	}
	if p.Stock != nil {
		in.Stock = strconv.Itoa(*p.Stock)
	}
	return in
}

// parseProduct validates the fields that need no database and fills p with
// them. It does not set CategoryID nor check the slug is free. autoSlug
// reports that the slug was derived from the name.
func parseProduct(in ProductInput, p *domain.Product, v *domain.ValidationError) (autoSlug bool) {
	name := domain.CleanLine(in.Name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		v.Add("name", "validation.required", nil)
	case n > ProductNameMax:
		v.Add("name", "validation.too_long", map[string]any{"Max": ProductNameMax})
	}
	p.Name = name

	slug := strings.TrimSpace(in.Slug)
	if slug == "" {
		autoSlug = true
		slug = domain.Slugify(name, ProductSlugMax)
		if slug == "" && name != "" {
			slug = defaultProductURL
		}
	}
	if !autoSlug || name != "" {
		switch {
		case len(slug) > ProductSlugMax:
			v.Add("slug", "catalog.validation.slug_length", map[string]any{"Max": ProductSlugMax})
		case !domain.SlugFormat(slug):
			v.Add("slug", "validation.slug_format", nil)
		}
	}
	p.Slug = slug

	desc := domain.CleanText(in.Description)
	if n := utf8.RuneCountInString(desc); n > ProductDescMax {
		v.Add("description", "validation.too_long", map[string]any{"Max": ProductDescMax})
	}
	p.Description = desc

	price, key := ParsePrice(in.Price)
	if key != "" {
		v.Add("price", key, map[string]any{"Max": MaxPriceCents.Pesos()})
	}
	p.PriceCents = price

	p.CompareAtCents = nil
	if strings.TrimSpace(in.CompareAt) != "" {
		cmp, key := ParsePrice(in.CompareAt)
		switch {
		case key != "":
			v.Add("compare_at_price", key, map[string]any{"Max": MaxPriceCents.Pesos()})
		case !v.Has("price") && cmp <= price:
			v.Add("compare_at_price", "catalog.validation.compare_at", nil)
		default:
			p.CompareAtCents = &cmp
		}
	}

	p.Active, p.SoldOut = in.Active, in.SoldOut

	p.Stock = nil
	if st := strings.TrimSpace(in.Stock); st != "" {
		n, err := strconv.Atoi(st)
		if err != nil || n < 0 || n > MaxStock {
			v.Add("stock", "catalog.validation.stock", map[string]any{"Max": MaxStock})
		} else {
			p.Stock = &n
		}
	}
	return autoSlug
}

// resolveCategory checks that the category ID typed in the form belongs to
// businessID; "" is no category.
func (s *Catalog) resolveCategory(ctx context.Context, businessID int64, raw string, v *domain.ValidationError) (*int64, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "0" {
		return nil, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		v.Add("category_id", "catalog.validation.category", nil)
		return nil, nil
	}
	if _, err := s.store.GetCategory(ctx, businessID, id); err != nil {
		if errors.Is(err, domain.ErrNotFound) {
			v.Add("category_id", "catalog.validation.category", nil)
			return nil, nil
		}
		return nil, err
	}
	return &id, nil
}

// checkSlug makes p.Slug free in the store: a derived slug gets a number
// suffix, a typed one that is taken is an error.
func (s *Catalog) checkSlug(ctx context.Context, businessID int64, p *domain.Product, auto bool, v *domain.ValidationError) error {
	if v.Has("slug") || p.Slug == "" {
		return nil
	}
	taken := func(slug string) (bool, error) { return s.store.ProductSlugTaken(ctx, businessID, slug, p.ID) }
	if auto {
		slug, err := uniqueSlug(p.Slug, ProductSlugMax, taken)
		if err != nil {
			return err
		}
		p.Slug = slug
		return nil
	}
	t, err := taken(p.Slug)
	if err != nil {
		return err
	}
	if t {
		v.Add("slug", "catalog.validation.slug_taken", nil)
	}
	return nil
}

// checkPriceCoversOptions refuses a price lower than the largest discount
// among the product's option choices, so no combination costs less than 0.
func (s *Catalog) checkPriceCoversOptions(ctx context.Context, businessID int64, p *domain.Product, v *domain.ValidationError) error {
	if p.ID == 0 || v.Has("price") {
		return nil
	}
	min, err := s.store.MinOptionDelta(ctx, businessID, p.ID)
	if err != nil {
		return err
	}
	if p.PriceCents+min < 0 {
		v.Add("price", "catalog.validation.price_below_options", map[string]any{"Amount": (-min).Pesos()})
	}
	return nil
}

// Product loads product id with its option groups and choices.
func (s *Catalog) Product(ctx context.Context, businessID, id int64) (*domain.Product, error) {
	p, err := s.store.GetProduct(ctx, businessID, id)
	if err != nil {
		return nil, err
	}
	if p.Options, err = s.store.ListOptionGroups(ctx, businessID, id); err != nil {
		return nil, fmt.Errorf("load options of product %d: %w", id, err)
	}
	return p, nil
}

// CreateProduct validates in and adds the product at the end of the list.
func (s *Catalog) CreateProduct(ctx context.Context, businessID int64, in ProductInput) (*domain.Product, error) {
	p := &domain.Product{}
	v := &domain.ValidationError{}
	auto := parseProduct(in, p, v)
	cat, err := s.resolveCategory(ctx, businessID, in.CategoryID, v)
	if err != nil {
		return nil, err
	}
	p.CategoryID = cat
	if err := s.checkSlug(ctx, businessID, p, auto, v); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.write(ctx, businessID, func(ctx context.Context) error {
		pos, err := s.store.NextProductPosition(ctx, businessID)
		if err != nil {
			return err
		}
		p.Position = pos
		return s.store.CreateProduct(ctx, businessID, p)
	})
	if err != nil {
		return nil, fmt.Errorf("create product: %w", err)
	}
	return p, nil
}

// UpdateProduct validates in and saves it on product id.
func (s *Catalog) UpdateProduct(ctx context.Context, businessID, id int64, in ProductInput) (*domain.Product, error) {
	cur, err := s.store.GetProduct(ctx, businessID, id)
	if err != nil {
		return nil, err
	}
	p := *cur
	v := &domain.ValidationError{}
	auto := parseProduct(in, &p, v)
	if p.CategoryID, err = s.resolveCategory(ctx, businessID, in.CategoryID, v); err != nil {
		return nil, err
	}
	if auto && cur.Slug != "" && domain.Slugify(p.Name, ProductSlugMax) == domain.Slugify(cur.Name, ProductSlugMax) {
		// Clearing the slug of an unrenamed product keeps its link.
		p.Slug, auto = cur.Slug, false
	}
	if err := s.checkSlug(ctx, businessID, &p, auto, v); err != nil {
		return nil, err
	}
	if err := s.checkPriceCoversOptions(ctx, businessID, &p, v); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.write(ctx, businessID, func(ctx context.Context) error {
		return s.store.UpdateProduct(ctx, businessID, &p)
	})
	if err != nil {
		return nil, fmt.Errorf("save product %d: %w", id, err)
	}
	return &p, nil
}

// DeleteProduct soft-deletes product id.
func (s *Catalog) DeleteProduct(ctx context.Context, businessID, id int64) error {
	_, err := s.Bulk(ctx, businessID, BulkDelete, []int64{id})
	return err
}

// MoveProduct moves product id one place up or down in the store's order.
func (s *Catalog) MoveProduct(ctx context.Context, businessID, id int64, dir string) error {
	return s.write(ctx, businessID, func(ctx context.Context) error {
		order, err := s.store.ProductOrder(ctx, businessID)
		if err != nil {
			return err
		}
		ids, err := moved(order, id, dir)
		if err != nil {
			return err
		}
		return s.store.SetProductPositions(ctx, businessID, changedPositions(order, ids))
	})
}

// ReorderProducts puts the given products in the order of ids, in the slots
// they held (so reordering one page leaves the other pages alone). Every ID
// must be one of the store's products, else nothing changes and the answer
// is domain.ErrNotFound.
func (s *Catalog) ReorderProducts(ctx context.Context, businessID int64, ids []int64) error {
	return s.write(ctx, businessID, func(ctx context.Context) error {
		order, err := s.store.ProductOrder(ctx, businessID)
		if err != nil {
			return err
		}
		next, err := reordered(order, ids)
		if err != nil {
			return err
		}
		return s.store.SetProductPositions(ctx, businessID, changedPositions(order, next))
	})
}

// ProductQuery is the product list's search, filters and page as typed.
type ProductQuery struct {
	Q string
	// Category is a category ID, "none" for uncategorised, or "" for all.
	Category string
	// Status is "", StatusActive, StatusHidden or StatusSoldOut.
	Status string
	Page   int
}

// Filtered reports whether the query narrows the list.
func (q ProductQuery) Filtered() bool {
	return strings.TrimSpace(q.Q) != "" || q.Category != "" || q.Status != ""
}

// ProductPage is one page of the product list.
type ProductPage struct {
	Products []domain.Product
	Total    int64
	Page     int
	Pages    int
}

// SearchProducts returns the page of businessID's products matching q.
// Unknown filter values are ignored; a page past the end shows the last one.
func (s *Catalog) SearchProducts(ctx context.Context, businessID int64, q ProductQuery) (*ProductPage, error) {
	f := domain.ProductFilter{Query: strings.TrimSpace(q.Q), Limit: ProductsPerPage}
	switch q.Category {
	case "":
	case "none":
		f.Uncategorised = true
	default:
		id, err := strconv.ParseInt(q.Category, 10, 64)
		if err != nil || id <= 0 {
			id = -1 // matches nothing
		}
		f.CategoryID = id
	}
	switch q.Status {
	case StatusActive, StatusHidden, StatusSoldOut:
		f.Status = q.Status
	}
	ps, pg, err := domain.Paginate(q.Page, ProductsPerPage, func(limit, offset int) ([]domain.Product, int64, error) {
		f.Limit, f.Offset = limit, offset
		return s.store.SearchProducts(ctx, businessID, f)
	})
	if err != nil {
		return nil, fmt.Errorf("search products: %w", err)
	}
	return &ProductPage{Products: ps, Total: pg.Total, Page: pg.Page, Pages: pg.Pages}, nil
}

// ---- options ----

// GroupInput is the option group form: "Tamaño", pick min to max.
type GroupInput struct{ Name, Min, Max string }

// ChoiceInput is the option choice form: "Grande", "+15".
type ChoiceInput struct{ Name, Delta string }

// GroupComplete reports whether shoppers can satisfy g: it has at least one
// choice and at least MinSelect of them.
func GroupComplete(g *domain.OptionGroup) bool {
	return len(g.Choices) > 0 && len(g.Choices) >= g.MinSelect
}

func optionName(raw string, v *domain.ValidationError) string {
	name := domain.CleanLine(raw)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		v.Add("name", "validation.required", nil)
	case n > OptionNameMax:
		v.Add("name", "validation.too_long", map[string]any{"Max": OptionNameMax})
	}
	return name
}

// parseGroup validates a group form. Empty min is 0 (optional), empty max 1.
func parseGroup(in GroupInput, g *domain.OptionGroup, v *domain.ValidationError) {
	g.Name = optionName(in.Name, v)
	num := func(field, raw string, def, lo int) int {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			return def
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < lo || n > MaxOptionSelect {
			v.Add(field, "catalog.validation.select_range", map[string]any{"Min": lo, "Max": MaxOptionSelect})
			return def
		}
		return n
	}
	g.MinSelect = num("min_select", in.Min, 0, 0)
	g.MaxSelect = num("max_select", in.Max, 1, 1)
	if !v.Has("min_select") && !v.Has("max_select") && g.MinSelect > g.MaxSelect {
		v.Add("min_select", "catalog.validation.min_over_max", nil)
	}
}

// AddOptionGroup adds an option group to product productID. A new group has
// no choices yet; the editor marks it incomplete until it has enough.
func (s *Catalog) AddOptionGroup(ctx context.Context, businessID, productID int64, in GroupInput) (*domain.OptionGroup, error) {
	if _, err := s.store.GetProduct(ctx, businessID, productID); err != nil {
		return nil, err
	}
	g := &domain.OptionGroup{ProductID: productID}
	v := &domain.ValidationError{}
	parseGroup(in, g, v)
	n, err := s.store.CountOptionGroups(ctx, businessID, productID)
	if err != nil {
		return nil, err
	}
	if n >= MaxOptionGroups {
		v.Add("name", "catalog.validation.too_many_groups", map[string]any{"Max": MaxOptionGroups})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.write(ctx, businessID, func(ctx context.Context) error {
		return s.store.CreateOptionGroup(ctx, businessID, g)
	})
	if err != nil {
		return nil, fmt.Errorf("add option group: %w", err)
	}
	return g, nil
}

// UpdateOptionGroup renames group groupID and changes its limits. Once the
// group has choices, its minimum cannot exceed how many it has.
func (s *Catalog) UpdateOptionGroup(ctx context.Context, businessID, productID, groupID int64, in GroupInput) error {
	g, err := s.store.GetOptionGroup(ctx, businessID, productID, groupID)
	if err != nil {
		return err
	}
	v := &domain.ValidationError{}
	parseGroup(in, g, v)
	if n := len(g.Choices); n > 0 && !v.Has("min_select") && g.MinSelect > n {
		v.Add("min_select", "catalog.validation.min_over_choices", map[string]any{"Count": n})
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, businessID, func(ctx context.Context) error {
		return s.store.UpdateOptionGroup(ctx, businessID, g)
	})
}

// DeleteOptionGroup deletes group groupID and its choices.
func (s *Catalog) DeleteOptionGroup(ctx context.Context, businessID, productID, groupID int64) error {
	return s.write(ctx, businessID, func(ctx context.Context) error {
		return s.store.DeleteOptionGroup(ctx, businessID, productID, groupID)
	})
}

// parseChoice validates a choice form against the product's price: a
// discount may bring the price down to $0, not below.
func parseChoice(in ChoiceInput, g *domain.OptionGroup, exceptID int64, price domain.Money, c *domain.OptionChoice, v *domain.ValidationError) {
	c.Name = optionName(in.Name, v)
	if !v.Has("name") {
		for _, o := range g.Choices {
			if o.ID != exceptID && strings.EqualFold(o.Name, c.Name) {
				v.Add("name", "catalog.validation.choice_taken", nil)
				break
			}
		}
	}
	d, key := parseDelta(in.Delta)
	switch {
	case key != "":
		v.Add("delta", key, map[string]any{"Max": MaxPriceCents.Pesos()})
	case price+d < 0:
		v.Add("delta", "catalog.validation.delta_below_price", map[string]any{"Price": price.Pesos()})
	}
	c.DeltaCents = d
}

// AddOptionChoice adds a choice to group groupID of product productID.
func (s *Catalog) AddOptionChoice(ctx context.Context, businessID, productID, groupID int64, in ChoiceInput) (*domain.OptionChoice, error) {
	p, err := s.store.GetProduct(ctx, businessID, productID)
	if err != nil {
		return nil, err
	}
	g, err := s.store.GetOptionGroup(ctx, businessID, productID, groupID)
	if err != nil {
		return nil, err
	}
	c := &domain.OptionChoice{GroupID: g.ID}
	v := &domain.ValidationError{}
	parseChoice(in, g, 0, p.PriceCents, c, v)
	if len(g.Choices) >= MaxOptionChoices {
		v.Add("name", "catalog.validation.too_many_choices", map[string]any{"Max": MaxOptionChoices})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.write(ctx, businessID, func(ctx context.Context) error {
		return s.store.CreateOptionChoice(ctx, businessID, c)
	})
	if err != nil {
		return nil, fmt.Errorf("add option choice: %w", err)
	}
	return c, nil
}

// UpdateOptionChoice renames choice choiceID and changes its price change.
func (s *Catalog) UpdateOptionChoice(ctx context.Context, businessID, productID, groupID, choiceID int64, in ChoiceInput) error {
	p, err := s.store.GetProduct(ctx, businessID, productID)
	if err != nil {
		return err
	}
	g, err := s.store.GetOptionGroup(ctx, businessID, productID, groupID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(g.Choices, func(c domain.OptionChoice) bool { return c.ID == choiceID })
	if i < 0 {
		return domain.ErrNotFound
	}
	c := g.Choices[i]
	v := &domain.ValidationError{}
	parseChoice(in, g, choiceID, p.PriceCents, &c, v)
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, businessID, func(ctx context.Context) error {
		return s.store.UpdateOptionChoice(ctx, businessID, &c)
	})
}

// DeleteOptionChoice deletes choice choiceID. It refuses to leave a group
// with fewer choices than its minimum (shoppers could not order), unless
// the group already had too few.
func (s *Catalog) DeleteOptionChoice(ctx context.Context, businessID, productID, groupID, choiceID int64) error {
	g, err := s.store.GetOptionGroup(ctx, businessID, productID, groupID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(g.Choices, func(c domain.OptionChoice) bool { return c.ID == choiceID }) {
		return domain.ErrNotFound
	}
	if n := len(g.Choices); n >= g.MinSelect && n-1 < g.MinSelect {
		v := &domain.ValidationError{}
		v.Add("choice", "catalog.validation.choice_needed", map[string]any{"Min": g.MinSelect})
		return v
	}
	return s.write(ctx, businessID, func(ctx context.Context) error {
		return s.store.DeleteOptionChoice(ctx, businessID, groupID, choiceID)
	})
}
