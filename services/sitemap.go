package services

import (
	"context"
	"time"

	"github.com/qubly/qubly/domain"
)

// SitemapMaxURLs is how many URLs one sitemap file lists before the sitemap
// becomes an index of pages (the protocol allows 50,000).
const SitemapMaxURLs = 45000

// SitemapRepo reads what the sitemap lists (repositories.Sitemap).
type SitemapRepo interface {
	// LiveStores pages through stores that are not deleted, by ID.
	LiveStores(ctx context.Context, afterID int64, limit int) ([]domain.Business, error)
	// ProductCounts counts the visible products of every live store.
	ProductCounts(ctx context.Context) (map[int64]domain.SitemapProductCount, error)
	// Products lists the visible products of the stores by business ID, then ID.
	Products(ctx context.Context, businessIDs []int64) ([]domain.SitemapProduct, error)
	// Images loads images by ID across stores.
	Images(ctx context.Context, ids []int64) (map[int64]*domain.Image, error)
}

// SitemapURL is one page of a store to list, with its path (no host), when
// it last changed and its main image, if any.
type SitemapURL struct {
	Path    string
	LastMod time.Time
	Image   *domain.Image
}

// Sitemap lists the platform's own pages first (the landing page, the
// legal pages), then every available store (/{slug}), its reviews page when
// it has approved reviews (/{slug}/reviews) and its visible products
// (/{slug}/p/{product}), in store ID then product ID order, split into pages
// of PageSize URLs.
type Sitemap struct {
	src      SitemapRepo
	pageSize int
	platform []string
}

// NewSitemap returns the sitemap service listing the platform paths
// (absolute paths, no host) before the stores; pageSize ≤ 0 means
// SitemapMaxURLs.
func NewSitemap(src SitemapRepo, pageSize int, platform ...string) *Sitemap {
	if pageSize <= 0 {
		pageSize = SitemapMaxURLs
	}
	return &Sitemap{src: src, pageSize: pageSize, platform: platform}
}

// PageSize is how many URLs a sitemap page lists at most.
func (s *Sitemap) PageSize() int { return s.pageSize }

// sitemapStore is an available store and how many URLs it contributes.
type sitemapStore struct {
	biz      domain.Business
	products int
	lastMod  time.Time
	// first is the position of the store's own URL in the whole list.
	first int
}

// pages are the store's own URLs, listed before its products.
func (st *sitemapStore) pages() []SitemapURL {
	home := SitemapURL{Path: "/" + st.biz.Slug, LastMod: st.lastMod}
	if st.biz.RatingCount == 0 {
		return []SitemapURL{home}
	}
	return []SitemapURL{home, {Path: "/" + st.biz.Slug + "/reviews", LastMod: st.biz.UpdatedAt}}
}

// size is how many URLs the store contributes.
func (st *sitemapStore) size() int { return len(st.pages()) + st.products }

// SitemapPlan is where every store's URLs fall in the whole list.
type SitemapPlan struct {
	platform []string // listed first
	stores   []sitemapStore
	total    int
	pageSize int
}

// Total is how many URLs the sitemap lists.
func (p *SitemapPlan) Total() int { return p.total }

// Pages is how many pages the URLs take (at least 1).
func (p *SitemapPlan) Pages() int { return max(1, (p.total+p.pageSize-1)/p.pageSize) }

const sitemapStoreBatch = 1000

// Plan counts the URLs of every live store that unavailable (nil: none)
// does not exclude. It reads the stores in batches and counts products in one
// query.
func (s *Sitemap) Plan(ctx context.Context, unavailable func(*domain.Business) bool) (*SitemapPlan, error) {
	counts, err := s.src.ProductCounts(ctx)
	if err != nil {
		return nil, err
	}
	plan := &SitemapPlan{pageSize: s.pageSize, platform: s.platform, total: len(s.platform)}
	var after int64
	for {
		batch, err := s.src.LiveStores(ctx, after, sitemapStoreBatch)
		if err != nil {
			return nil, err
		}
		for i := range batch {
			b := &batch[i]
			after = b.ID
			if unavailable != nil && unavailable(b) {
				continue
			}
			c := counts[b.ID]
			last := b.UpdatedAt
			if c.UpdatedAt.After(last) {
				last = c.UpdatedAt
			}
			st := sitemapStore{biz: *b, products: c.Products, lastMod: last, first: plan.total}
			plan.stores = append(plan.stores, st)
			plan.total += st.size()
		}
		if len(batch) < sitemapStoreBatch {
			return plan, nil
		}
	}
}

// URLs returns page n (1-based) of the plan: a store's URL comes before its
// products; a store's products may continue on the next page.
func (s *Sitemap) URLs(ctx context.Context, plan *SitemapPlan, n int) ([]SitemapURL, error) {
	if n < 1 || n > plan.Pages() {
		return nil, domain.ErrNotFound
	}
	from, to := (n-1)*plan.pageSize, min(n*plan.pageSize, plan.total)
	// The stores whose URLs overlap [from, to).
	var stores []*sitemapStore
	for i := range plan.stores {
		st := &plan.stores[i]
		if st.first < to && st.first+st.size() > from {
			stores = append(stores, st)
		}
	}
	var withProducts, imageIDs []int64
	for _, st := range stores {
		if st.products > 0 {
			withProducts = append(withProducts, st.biz.ID)
		}
		if id := storeImageID(&st.biz); id != nil {
			imageIDs = append(imageIDs, *id)
		}
	}
	products, err := s.src.Products(ctx, withProducts)
	if err != nil {
		return nil, err
	}
	byStore := make(map[int64][]domain.SitemapProduct, len(withProducts))
	for _, p := range products {
		byStore[p.BusinessID] = append(byStore[p.BusinessID], p)
	}
	images, err := s.src.Images(ctx, imageIDs)
	if err != nil {
		return nil, err
	}
	urls := make([]SitemapURL, 0, to-from)
	for pos := from; pos < min(to, len(plan.platform)); pos++ {
		urls = append(urls, SitemapURL{Path: plan.platform[pos]})
	}
	for _, st := range stores {
		pages := st.pages()
		for i, u := range pages {
			if pos := st.first + i; pos >= from && pos < to {
				if id := storeImageID(&st.biz); id != nil && i == 0 {
					u.Image = images[*id]
				}
				urls = append(urls, u)
			}
		}
		// Products may have changed since Plan counted them: list what is
		// there now within this store's range of the page.
		for i, p := range byStore[st.biz.ID] {
			pos := st.first + len(pages) + i
			if i >= st.products || pos >= to {
				break
			}
			if pos < from {
				continue
			}
			urls = append(urls, SitemapURL{
				Path: "/" + st.biz.Slug + "/p/" + p.Slug, LastMod: p.UpdatedAt, Image: p.Image(),
			})
		}
	}
	return urls, nil
}

// storeImageID is the picture that best shows a store: its cover, else its
// logo.
func storeImageID(b *domain.Business) *int64 {
	if b.CoverImageID != nil {
		return b.CoverImageID
	}
	return b.LogoImageID
}
