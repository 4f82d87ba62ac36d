package services

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/qubly/qubly/domain"
)

// StorefrontRepo is what Storefront needs to read a public store.
type StorefrontRepo interface {
	BusinessBySlug(ctx context.Context, slug string) (*domain.Business, error)
	RedirectTarget(ctx context.Context, old string) (string, error)
	VisibleCategories(ctx context.Context, businessID int64) ([]domain.Category, error)
	PublicProducts(ctx context.Context, businessID int64) ([]*domain.Product, error)
	Images(ctx context.Context, businessID int64, ids []int64) (map[int64]*domain.Image, error)
	ApprovedReviews(ctx context.Context, businessID int64, limit, offset int) ([]domain.Review, int64, error)
}

// PublicReviewRepo stores a new review.
type PublicReviewRepo interface {
	Create(ctx context.Context, businessID int64, rv *domain.Review) error
}

// PublicReviewsPerPage is how many approved reviews a store's reviews page lists.
const PublicReviewsPerPage = 12

// Storefront is what shoppers see of a store: its catalog, its approved
// reviews, and the reviews they leave. The catalog is cached per store in
// the StoreCache, which every write to a store purges.
type Storefront struct {
	repo    StorefrontRepo
	reviews PublicReviewRepo
	cache   *StoreCache
	clock   Clock
}

// NewStorefront returns the public store service.
func NewStorefront(repo StorefrontRepo, reviews PublicReviewRepo, cache *StoreCache, clock Clock) *Storefront {
	return &Storefront{repo: repo, reviews: reviews, cache: cache, clock: clock}
}

// Business loads a live store by its current slug.
func (s *Storefront) Business(ctx context.Context, slug string) (*domain.Business, error) {
	return s.repo.BusinessBySlug(ctx, slug)
}

// RedirectTarget returns the current slug of the store that used to be at
// old, or domain.ErrNotFound.
func (s *Storefront) RedirectTarget(ctx context.Context, old string) (string, error) {
	return s.repo.RedirectTarget(ctx, old)
}

// StoreCatalog is a store's public catalog. It is shared between requests
// through the cache: treat it and everything it points at as read-only.
type StoreCatalog struct {
	// Categories are the visible categories that hold at least one public
	// product, in display order.
	Categories []*domain.Category
	// Products are every public product, in the store's display order.
	Products []*domain.Product
	// Sections group Products by category in category order; products
	// without a (visible) category come last, in a section with a nil Category.
	Sections []CatalogSection

	// byID and bySlug index Products, built on first use (the store
	// home, most of the misses, looks up no product).
	indexOnce  sync.Once
	byID       map[int64]*domain.Product
	bySlug     map[string]*domain.Product
	categories map[int64]*domain.Category
	catBySlug  map[string]*domain.Category
	// folded is the accent-free text of each product for Search, built on
	// the first search (most page views never search).
	foldOnce sync.Once
	folded   map[int64]string
	// chatWords are the words of each product for the store's assistant
	// (chat_rank.go), built on its first question.
	chatOnce  sync.Once
	chatWords []chatProductWords
}

// CatalogSection is one category of the store page.
type CatalogSection struct {
	Category *domain.Category
	Products []*domain.Product
}

// Product returns the public product id, or nil.
func (c *StoreCatalog) Product(id int64) *domain.Product {
	c.indexOnce.Do(c.index)
	return c.byID[id]
}

// ProductBySlug returns the public product at slug, or nil.
func (c *StoreCatalog) ProductBySlug(slug string) *domain.Product {
	c.indexOnce.Do(c.index)
	return c.bySlug[slug]
}

// index builds byID and bySlug.
func (c *StoreCatalog) index() {
	c.byID = make(map[int64]*domain.Product, len(c.Products))
	c.bySlug = make(map[string]*domain.Product, len(c.Products))
	for _, p := range c.Products {
		c.byID[p.ID] = p
		c.bySlug[p.Slug] = p
	}
}

// Category returns the visible category of p, or nil.
func (c *StoreCatalog) Category(p *domain.Product) *domain.Category {
	if p == nil || p.CategoryID == nil {
		return nil
	}
	return c.categories[*p.CategoryID]
}

// CategoryBySlug returns the visible, non-empty category at slug, or nil.
func (c *StoreCatalog) CategoryBySlug(slug string) *domain.Category { return c.catBySlug[slug] }

// Section returns the section of category cat, or nil.
func (c *StoreCatalog) Section(cat *domain.Category) *CatalogSection {
	for i := range c.Sections {
		if c.Sections[i].Category == cat {
			return &c.Sections[i]
		}
	}
	return nil
}

// Search returns the products whose name or description contains every
// word of q, ignoring case and accents ("cafe" finds "Café"), in display order.
func (c *StoreCatalog) Search(q string) []*domain.Product {
	words := strings.Fields(domain.Fold(q))
	if len(words) == 0 {
		return nil
	}
	c.foldOnce.Do(func() {
		c.folded = make(map[int64]string, len(c.Products))
		for _, p := range c.Products {
			c.folded[p.ID] = domain.Fold(p.Name + "\n" + p.Description)
		}
	})
	var out []*domain.Product
	for _, p := range c.Products {
		text := c.folded[p.ID]
		match := true
		for _, w := range words {
			if !strings.Contains(text, w) {
				match = false
				break
			}
		}
		if match {
			out = append(out, p)
		}
	}
	return out
}

const catalogCacheKey = "storefront:catalog"

// Catalog returns businessID's public catalog, from the cache when it is there.
func (s *Storefront) Catalog(ctx context.Context, businessID int64) (*StoreCatalog, error) {
	if v, ok := s.cache.Get(businessID, catalogCacheKey); ok {
		if c, ok := v.(*StoreCatalog); ok {
			return c, nil
		}
	}
	since := s.cache.Seq()
	cats, err := s.repo.VisibleCategories(ctx, businessID)
	if err != nil {
		return nil, err
	}
	products, err := s.repo.PublicProducts(ctx, businessID)
	if err != nil {
		return nil, err
	}
	c := buildCatalog(cats, products)
	s.cache.SetSince(businessID, since, catalogCacheKey, c, 0)
	return c, nil
}

func buildCatalog(cats []domain.Category, products []*domain.Product) *StoreCatalog {
	c := &StoreCatalog{
		Products:   products,
		categories: make(map[int64]*domain.Category, len(cats)),
		catBySlug:  make(map[string]*domain.Category, len(cats)),
	}
	for i := range cats {
		c.categories[cats[i].ID] = &cats[i]
	}
	byCat := map[int64][]*domain.Product{}
	var loose []*domain.Product
	for _, p := range products {
		if cat := c.Category(p); cat != nil {
			byCat[cat.ID] = append(byCat[cat.ID], p)
		} else {
			loose = append(loose, p)
		}
	}
	for i := range cats {
		cat := &cats[i]
		if ps := byCat[cat.ID]; len(ps) > 0 {
			c.Categories = append(c.Categories, cat)
			c.catBySlug[cat.Slug] = cat
			c.Sections = append(c.Sections, CatalogSection{Category: cat, Products: ps})
		}
	}
	if len(loose) > 0 {
		c.Sections = append(c.Sections, CatalogSection{Products: loose})
	}
	return c
}

// StoreImages are a store's logo and cover, nil when unset.
type StoreImages struct {
	Logo, Cover *domain.Image
}

// Images returns b's logo and cover images, from the cache when they are there.
func (s *Storefront) Images(ctx context.Context, b *domain.Business) (*StoreImages, error) {
	var ids []int64
	key := "storefront:images"
	for _, id := range []*int64{b.LogoImageID, b.CoverImageID} {
		if id != nil {
			ids = append(ids, *id)
			key += ":" + strconv.FormatInt(*id, 10)
		} else {
			key += ":-"
		}
	}
	if v, ok := s.cache.Get(b.ID, key); ok {
		if imgs, ok := v.(*StoreImages); ok {
			return imgs, nil
		}
	}
	since := s.cache.Seq()
	out := &StoreImages{}
	if len(ids) > 0 {
		m, err := s.repo.Images(ctx, b.ID, ids)
		if err != nil {
			return nil, fmt.Errorf("load images of store %d: %w", b.ID, err)
		}
		if b.LogoImageID != nil {
			out.Logo = m[*b.LogoImageID]
		}
		if b.CoverImageID != nil {
			out.Cover = m[*b.CoverImageID]
		}
	}
	s.cache.SetSince(b.ID, since, key, out, 0)
	return out, nil
}

// PublicReviews is one page of a store's approved reviews.
type PublicReviews struct {
	Reviews []domain.Review
	domain.Pager
}

// Reviews returns page (from 1) of businessID's approved reviews, newest
// first, PublicReviewsPerPage a page. A page past the end shows the last one.
func (s *Storefront) Reviews(ctx context.Context, businessID int64, page int) (*PublicReviews, error) {
	list, pg, err := domain.Paginate(page, PublicReviewsPerPage, func(limit, offset int) ([]domain.Review, int64, error) {
		return s.repo.ApprovedReviews(ctx, businessID, limit, offset)
	})
	if err != nil {
		return nil, err
	}
	return &PublicReviews{Reviews: list, Pager: pg}, nil
}

const latestReviewsCacheKey = "storefront:latest_reviews"

// LatestReviews returns businessID's n newest approved reviews (n ≤
// PublicReviewsPerPage), from the cache when they are there.
func (s *Storefront) LatestReviews(ctx context.Context, businessID int64, n int) ([]domain.Review, error) {
	if v, ok := s.cache.Get(businessID, latestReviewsCacheKey); ok {
		if list, ok := v.([]domain.Review); ok {
			return list[:min(n, len(list))], nil
		}
	}
	since := s.cache.Seq()
	list, _, err := s.repo.ApprovedReviews(ctx, businessID, PublicReviewsPerPage, 0)
	if err != nil {
		return nil, err
	}
	s.cache.SetSince(businessID, since, latestReviewsCacheKey, list, 0)
	return list[:min(n, len(list))], nil
}

// ReviewInput is a review a shopper leaves on a store.
type ReviewInput struct {
	Name    string
	Rating  int // 1–5; 0 when missing or not a number
	Comment string
}

// readReview cleans a review form and checks it.
func readReview(in ReviewInput) (name, comment string, v *domain.ValidationError) {
	name = strings.Join(strings.Fields(domain.CleanLine(in.Name)), " ")
	comment = domain.CleanText(in.Comment)
	v = &domain.ValidationError{}
	_ = v.RequiredAs("name", name, "store.review.error.name_required") &&
		v.MaxLenAs("name", name, domain.ReviewNameMax, "store.review.error.name_long")
	v.Range("rating", in.Rating, 1, 5, "store.review.error.rating", nil)
	v.MaxLenAs("comment", comment, domain.ReviewCommentMax, "store.review.error.comment_long")
	return name, comment, v
}

// SubmitReview validates in and stores it as a pending review of
// businessID: it counts in the store's rating only once the owner approves
// it. Field errors are a *domain.ValidationError on "name", "rating" and
// "comment".
func (s *Storefront) SubmitReview(ctx context.Context, businessID int64, in ReviewInput) (*domain.Review, error) {
	name, comment, v := readReview(in)
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.clock().UTC()
	rv := &domain.Review{
		AuthorName: name, Rating: in.Rating, Comment: comment, Status: domain.ReviewPending,
		CreatedAt: now, UpdatedAt: now,
	}
	if err := s.reviews.Create(ctx, businessID, rv); err != nil {
		return nil, fmt.Errorf("submit review of store %d: %w", businessID, err)
	}
	return rv, nil
}
