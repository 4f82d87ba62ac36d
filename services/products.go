package services

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
)

// ProductRepo is what the catalog needs of the products repository. Every
// method is scoped by the business ID.
type ProductRepo interface {
	List(ctx context.Context, businessID int64) ([]domain.Product, error)
	Get(ctx context.Context, businessID, id int64) (*domain.Product, error)
	Create(ctx context.Context, businessID int64, p *domain.Product) error
	Update(ctx context.Context, businessID int64, p *domain.Product) error
	SlugTaken(ctx context.Context, businessID int64, slug string, exceptID int64) (bool, error)
	Search(ctx context.Context, businessID int64, f domain.ProductFilter) ([]domain.Product, int64, error)
	Count(ctx context.Context, businessID int64, ids []int64) (int64, error)
	SetActive(ctx context.Context, businessID int64, ids []int64, active bool, at time.Time) error
	Delete(ctx context.Context, businessID int64, ids []int64) error
	Order(ctx context.Context, businessID int64) ([]domain.Placed, error)
	SetPositions(ctx context.Context, businessID int64, positions map[int64]int, at time.Time) error
	NextPosition(ctx context.Context, businessID int64) (int, error)
}

// Products owns a store's products as the shop owner edits them: the form,
// the list, ordering, bulk actions and CSV. A product's category must be one
// of the store's, and its price must cover its options' discounts. Every
// write purges the store's cached pages.
type Products struct {
	catalogWrites
	repo       ProductRepo
	categories *Categories
	options    ProductOptionRepo
}

// NewProducts returns the products service.
func NewProducts(d CatalogDeps) *Products {
	return &Products{catalogWrites: newCatalogWrites(d), repo: d.Products, categories: NewCategories(d), options: d.Options}
}

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
	_ = v.Required("name", name) && v.MaxLen("name", name, domain.ProductNameMax)
	p.Name = name

	slug := strings.TrimSpace(in.Slug)
	if slug == "" {
		autoSlug = true
		slug = domain.Slugify(name, domain.ProductSlugMax)
		if slug == "" && name != "" {
			slug = defaultProductURL
		}
	}
	if !autoSlug || name != "" {
		// A slug is ASCII once its format passes: its length is in bytes.
		_ = v.Check("slug", len(slug) <= domain.ProductSlugMax, "catalog.validation.slug_length", map[string]any{"Max": domain.ProductSlugMax}) &&
			v.Check("slug", domain.SlugFormat(slug), "validation.slug_format", nil)
	}
	p.Slug = slug

	desc := domain.CleanText(in.Description)
	v.MaxLen("description", desc, domain.ProductDescMax)
	p.Description = desc

	price, key := ParsePrice(in.Price)
	if key != "" {
		v.Add("price", key, map[string]any{"Max": domain.MaxPriceCents.Pesos()})
	}
	p.PriceCents = price

	p.CompareAtCents = nil
	if strings.TrimSpace(in.CompareAt) != "" {
		cmp, key := ParsePrice(in.CompareAt)
		switch {
		case key != "":
			v.Add("compare_at_price", key, map[string]any{"Max": domain.MaxPriceCents.Pesos()})
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
		if v.Check("stock", err == nil && n >= 0 && n <= domain.MaxStock, "catalog.validation.stock", map[string]any{"Max": domain.MaxStock}) {
			p.Stock = &n
		}
	}
	return autoSlug
}

// resolveCategory checks that the category ID typed in the form belongs to
// businessID; "" is no category.
func (s *Products) resolveCategory(ctx context.Context, businessID int64, raw string, v *domain.ValidationError) (*int64, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "0" {
		return nil, nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		v.Add("category_id", "catalog.validation.category", nil)
		return nil, nil
	}
	if _, err := s.categories.repo.Get(ctx, businessID, id); err != nil {
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
func (s *Products) checkSlug(ctx context.Context, businessID int64, p *domain.Product, auto bool, v *domain.ValidationError) error {
	if v.Has("slug") || p.Slug == "" {
		return nil
	}
	taken := func(slug string) (bool, error) { return s.repo.SlugTaken(ctx, businessID, slug, p.ID) }
	if auto {
		slug, err := uniqueSlug(p.Slug, domain.ProductSlugMax, taken)
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
func (s *Products) checkPriceCoversOptions(ctx context.Context, businessID int64, p *domain.Product, v *domain.ValidationError) error {
	if p.ID == 0 || v.Has("price") {
		return nil
	}
	min, err := s.options.MinOptionDelta(ctx, businessID, p.ID)
	if err != nil {
		return err
	}
	if p.PriceCents+min < 0 {
		v.Add("price", "catalog.validation.price_below_options", map[string]any{"Amount": (-min).Pesos()})
	}
	return nil
}

// Product loads product id with its option groups and choices.
func (s *Products) Product(ctx context.Context, businessID, id int64) (*domain.Product, error) {
	p, err := s.repo.Get(ctx, businessID, id)
	if err != nil {
		return nil, err
	}
	if p.Options, err = s.options.ListOptionGroups(ctx, businessID, id); err != nil {
		return nil, fmt.Errorf("load options of product %d: %w", id, err)
	}
	return p, nil
}

// CreateProduct validates in and adds the product at the end of the list.
func (s *Products) CreateProduct(ctx context.Context, businessID int64, in ProductInput) (*domain.Product, error) {
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
		pos, err := s.repo.NextPosition(ctx, businessID)
		if err != nil {
			return err
		}
		now := s.clock()
		p.Position, p.CreatedAt, p.UpdatedAt = pos, now, now
		return s.repo.Create(ctx, businessID, p)
	})
	if err != nil {
		return nil, fmt.Errorf("create product: %w", err)
	}
	return p, nil
}

// UpdateProduct validates in and saves it on product id.
func (s *Products) UpdateProduct(ctx context.Context, businessID, id int64, in ProductInput) (*domain.Product, error) {
	cur, err := s.repo.Get(ctx, businessID, id)
	if err != nil {
		return nil, err
	}
	p := *cur
	v := &domain.ValidationError{}
	auto := parseProduct(in, &p, v)
	if p.CategoryID, err = s.resolveCategory(ctx, businessID, in.CategoryID, v); err != nil {
		return nil, err
	}
	if auto && cur.Slug != "" && domain.Slugify(p.Name, domain.ProductSlugMax) == domain.Slugify(cur.Name, domain.ProductSlugMax) {
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
		p.UpdatedAt = s.clock()
		return s.repo.Update(ctx, businessID, &p)
	})
	if err != nil {
		return nil, fmt.Errorf("save product %d: %w", id, err)
	}
	return &p, nil
}

// DeleteProduct soft-deletes product id.
func (s *Products) DeleteProduct(ctx context.Context, businessID, id int64) error {
	_, err := s.Bulk(ctx, businessID, BulkDelete, []int64{id})
	return err
}

// MoveProduct moves product id one place up or down in the store's order.
func (s *Products) MoveProduct(ctx context.Context, businessID, id int64, dir string) error {
	return s.write(ctx, businessID, func(ctx context.Context) error {
		return rearrange(ctx, s.repo, businessID, s.clock(), func(order []domain.Placed) ([]int64, error) {
			return moved(order, id, dir)
		})
	})
}

// ReorderProducts puts the given products in the order of ids, in the slots
// they held (so reordering one page leaves the other pages alone). Every ID
// must be one of the store's products, else nothing changes and the answer
// is domain.ErrNotFound.
func (s *Products) ReorderProducts(ctx context.Context, businessID int64, ids []int64) error {
	return s.write(ctx, businessID, func(ctx context.Context) error {
		return rearrange(ctx, s.repo, businessID, s.clock(), func(order []domain.Placed) ([]int64, error) {
			return reordered(order, ids)
		})
	})
}
