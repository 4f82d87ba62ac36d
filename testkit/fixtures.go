package testkit

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
)

// Builders for the rows most tests need: a shop, its categories, products
// with option groups and photos, orders and reviews. Each inserts through the
// repositories (the app's, so rows follow the test clock) and fails the test
// on error. Defaults are plain and documented; options change them before
// the insert.

// Rows builds categories, products, images, orders and reviews on one
// database. App
// has them; tests without the app take them from TestDB.Rows.
type Rows struct {
	t     testing.TB
	db    *gorm.DB
	repos *repositories.Set
	// orderSeq numbers the codes of orders made by Order.
	orderSeq int
}

// Rows returns the row builders over db, without the app (and its clock).
func (db *TestDB) Rows(t testing.TB) *Rows {
	return &Rows{t: t, db: db.DB, repos: repositories.NewSet(db.DB)}
}

// Shop creates a verified owner with a store at slug, applies changes to the
// store's row (column name → value) and returns the store as stored.
func (a *App) Shop(slug string, changes map[string]any) *domain.Business {
	a.t.Helper()
	b := a.CreateOwner(slug).Business
	if len(changes) == 0 {
		return b
	}
	ctx := context.Background()
	if err := a.DB.Model(&domain.Business{}).Where("id = ?", b.ID).Updates(changes).Error; err != nil {
		a.t.Fatal(err)
	}
	b, err := a.Repos.Businesses.Get(ctx, b.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	return b
}

// CategoryOption changes a category before Category inserts it.
type CategoryOption func(*domain.Category)

// HiddenCategory hides the category from shoppers.
func HiddenCategory() CategoryOption { return func(c *domain.Category) { c.Hidden = true } }

// CategoryAt sets the category's position.
func CategoryAt(position int) CategoryOption {
	return func(c *domain.Category) { c.Position = position }
}

// Category inserts a visible category named name into businessID's catalog,
// with slug domain.Slugify(name, 80) and position 0.
func (r *Rows) Category(businessID int64, name string, opts ...CategoryOption) *domain.Category {
	r.t.Helper()
	c := &domain.Category{Name: name, Slug: domain.Slugify(name, 80)}
	for _, o := range opts {
		o(c)
	}
	if err := r.repos.Catalog.CreateCategory(context.Background(), businessID, c); err != nil {
		r.t.Fatalf("create category %q: %v", name, err)
	}
	return c
}

// ProductOption changes a product before Product inserts it.
type ProductOption func(*domain.Product)

// Price sets the product's price.
func Price(cents domain.Money) ProductOption { return func(p *domain.Product) { p.PriceCents = cents } }

// CompareAt sets the product's compare-at ("before") price.
func CompareAt(cents domain.Money) ProductOption {
	return func(p *domain.Product) { p.CompareAtCents = &cents }
}

// Stock makes the store count the product's units, starting at n.
func Stock(n int) ProductOption { return func(p *domain.Product) { p.Stock = &n } }

// Slug sets the product's slug.
func Slug(slug string) ProductOption { return func(p *domain.Product) { p.Slug = slug } }

// Description sets the product's description.
func Description(s string) ProductOption { return func(p *domain.Product) { p.Description = s } }

// InCategory puts the product in category c (nil: none).
func InCategory(c *domain.Category) ProductOption {
	return func(p *domain.Product) {
		if c != nil {
			p.CategoryID = &c.ID
		}
	}
}

// Position sets the product's position.
func Position(n int) ProductOption { return func(p *domain.Product) { p.Position = n } }

// Inactive hides the product from shoppers (Active false).
func Inactive() ProductOption { return func(p *domain.Product) { p.Active = false } }

// SoldOut marks the product sold out.
func SoldOut() ProductOption { return func(p *domain.Product) { p.SoldOut = true } }

// Choice is an option choice for OptionGroup.
func Choice(name string, delta domain.Money) domain.OptionChoice {
	return domain.OptionChoice{Name: name, DeltaCents: delta}
}

// OptionGroup adds an option group (pick min to max of choices) to the
// product; Product inserts it after the product, each group and choice after
// the ones before it, and fills in their IDs in p.Options.
func OptionGroup(name string, minSelect, maxSelect int, choices ...domain.OptionChoice) ProductOption {
	return func(p *domain.Product) {
		p.Options = append(p.Options, domain.OptionGroup{Name: name, MinSelect: minSelect, MaxSelect: maxSelect,
			Choices: append([]domain.OptionChoice(nil), choices...)})
	}
}

// Product inserts an active product named name into businessID's catalog:
// slug domain.Slugify(name, 120), price $25.00, no category, no description,
// stock not counted, position 0, then its option groups (see OptionGroup).
func (r *Rows) Product(businessID int64, name string, opts ...ProductOption) *domain.Product {
	r.t.Helper()
	p := &domain.Product{Name: name, Slug: domain.Slugify(name, 120), PriceCents: 2500, Active: true}
	for _, o := range opts {
		o(p)
	}
	ctx := context.Background()
	if err := r.repos.Catalog.CreateProduct(ctx, businessID, p); err != nil {
		r.t.Fatalf("create product %q: %v", name, err)
	}
	for i := range p.Options {
		g := &p.Options[i]
		g.ProductID = p.ID
		choices := g.Choices
		if err := r.repos.Catalog.CreateOptionGroup(ctx, businessID, g); err != nil {
			r.t.Fatalf("create option group %q: %v", g.Name, err)
		}
		for j := range choices {
			choices[j].GroupID = g.ID
			if err := r.repos.Catalog.CreateOptionChoice(ctx, businessID, &choices[j]); err != nil {
				r.t.Fatalf("create option choice %q: %v", choices[j].Name, err)
			}
		}
		g.Choices = choices
	}
	return p
}

// Item is an order line of quantity × product at unitCents (options
// included), its line total filled in; edit it for options or stock.
func Item(p *domain.Product, quantity int, unitCents domain.Money) domain.OrderItem {
	return domain.OrderItem{ProductID: p.ID, ProductName: p.Name, Quantity: quantity,
		UnitPriceCents: unitCents, LineTotalCents: unitCents * domain.Money(quantity)}
}

// Order inserts o with its items into businessID's orders, as stored rows
// (no stock taken, no outbox, no cache purge). Blank fields get defaults: a
// code "T" + a sequence number, status pending, customer "Cliente" on
// +525511112222, pickup, cash, subtotal the sum of the lines and total the
// subtotal plus the delivery fee. CreatedAt, when set, is kept.
func (r *Rows) Order(businessID int64, o *domain.Order) *domain.Order {
	r.t.Helper()
	if o.Code == "" {
		r.orderSeq++
		o.Code = fmt.Sprintf("T%d", r.orderSeq)
	}
	if o.Status == "" {
		o.Status = domain.OrderPending
	}
	if o.CustomerName == "" {
		o.CustomerName = "Cliente"
	}
	if o.CustomerPhone == "" {
		o.CustomerPhone = "+525511112222"
	}
	if o.Fulfillment == "" {
		o.Fulfillment = domain.FulfillmentPickup
	}
	if o.PaymentMethod == "" {
		o.PaymentMethod = domain.PaymentCash
	}
	if o.SubtotalCents == 0 {
		for _, it := range o.Items {
			o.SubtotalCents += it.LineTotalCents
		}
	}
	if o.TotalCents == 0 {
		o.TotalCents = o.SubtotalCents + o.DeliveryFeeCents
	}
	code := o.Code
	if err := r.repos.Orders.Create(context.Background(), businessID, o, func() string { return code }); err != nil {
		r.t.Fatalf("create order %s: %v", code, err)
	}
	return o
}

// ReviewOption changes a review before Review inserts it.
type ReviewOption func(*domain.Review)

// Comment sets the review's comment.
func Comment(s string) ReviewOption { return func(r *domain.Review) { r.Comment = s } }

// ReviewStatus sets the review's moderation status.
func ReviewStatus(s domain.ReviewStatus) ReviewOption { return func(r *domain.Review) { r.Status = s } }

// Approved approves the review.
func Approved() ReviewOption { return ReviewStatus(domain.ReviewApproved) }

// CreatedAt sets when the review was written (and last updated).
func CreatedAt(at time.Time) ReviewOption {
	return func(r *domain.Review) { r.CreatedAt, r.UpdatedAt = at, at }
}

// Review inserts a pending review of businessID by author with rating
// stars and the comment "Comentario de <author>".
func (r *Rows) Review(businessID int64, author string, rating int, opts ...ReviewOption) *domain.Review {
	r.t.Helper()
	rv := &domain.Review{AuthorName: author, Rating: rating, Comment: "Comentario de " + author, Status: domain.ReviewPending}
	for _, o := range opts {
		o(rv)
	}
	if err := r.repos.Reviews.Create(context.Background(), businessID, rv); err != nil {
		r.t.Fatalf("create review by %s: %v", author, err)
	}
	return rv
}

// Image inserts the row of a stored image of businessID (no file is
// written): key, format ("jpeg" or "png") and size in pixels.
func (r *Rows) Image(businessID int64, key, format string, width, height int) *domain.Image {
	r.t.Helper()
	img := &domain.Image{Key: key, Format: format, Width: width, Height: height}
	if err := r.repos.Images.Create(context.Background(), businessID, img); err != nil {
		r.t.Fatalf("create image %s: %v", key, err)
	}
	return img
}

// Photo places img among product p's photos at position.
func (r *Rows) Photo(p *domain.Product, img *domain.Image, position int) {
	r.t.Helper()
	pi := &domain.ProductImage{BusinessID: p.BusinessID, ProductID: p.ID, ImageID: img.ID, Position: position}
	if err := r.db.Create(pi).Error; err != nil {
		r.t.Fatalf("place image %d on product %d: %v", img.ID, p.ID, err)
	}
}
