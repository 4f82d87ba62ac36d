package store

import (
	"html/template"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
)

// maxQuery bounds the search text, in runes.
const maxQuery = domain.SearchQueryMax

// eagerCards is how many product photos at the top of a page load eagerly.
const eagerCards = 2

// pic is an <img> ready to render: src, srcset and the intrinsic size at the
// displayed width, so the browser reserves the space (no layout shift).
type pic struct {
	Src, SrcSet string
	W, H        int
}

// newPic sizes img for a width of w CSS pixels (one of domain.ImageWidths).
func newPic(img *domain.Image, w int) *pic {
	if img == nil {
		return nil
	}
	return &pic{Src: img.URL(w), SrcSet: img.SrcSet(), W: w, H: picHeight(img, w)}
}

// picHeight is the height of img shown w CSS pixels wide.
func picHeight(img *domain.Image, w int) int {
	if img.Width > 0 && img.Height > 0 {
		return img.Height * w / img.Width
	}
	return w
}

// section is a category of the store home with its cards; Cat is nil for
// products without a category.
type section struct {
	Cat   *domain.Category
	Cards grid
}

// home is the store page: cover, description, category chips, search and
// the product grid by category. ?q= searches, ?category= shows one category.
func (h *Handler) home(c *fiber.Ctx) error {
	biz, err := h.loadStore(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	catalog, err := h.stores.Catalog(ctx, biz.ID)
	if err != nil {
		return err
	}
	imgs, err := h.stores.Images(ctx, biz)
	if err != nil {
		return err
	}
	l := h.bundle.For(biz.Language)
	soldOut := l.T("store.sold_out")
	s := h.storeSEO(biz, imgs, l)
	data := fiber.Map{"Catalog": catalog, "Cover": newPic(imgs.Cover, 1200)}
	eager := eagerCards
	// The grids live in buffers lent until the page is rendered.
	var cards cardGrids
	defer cards.release()
	if imgs.Cover != nil {
		eager = 0 // the cover is the page's large image
	}

	q := strings.Join(strings.Fields(c.Query("q")), " ")
	if utf8.RuneCountInString(q) > maxQuery {
		q = string([]rune(q)[:maxQuery])
	}
	switch slug := c.Query("category"); {
	case q != "":
		// Search results: any text makes a page, so they are neither
		// indexed nor cached.
		data["Query"] = q
		data["Results"] = cards.grid(biz, catalog.Search(q), soldOut, &eager)
		s.Title = l.T("store.search.title", "Query", q) + " · " + biz.Name
		s.NoIndex = true
	case slug != "":
		cat := catalog.CategoryBySlug(slug)
		if cat == nil {
			return domain.ErrNotFound
		}
		sec := catalog.Section(cat)
		data["Category"] = cat
		data["Sections"] = []section{{Cat: cat, Cards: cards.grid(biz, sec.Products, soldOut, &eager)}}
		s.Title = cat.Name + " · " + biz.Name
		s.Path = categoryPath(biz, cat)
		cacheable(c)
	default:
		secs := make([]section, len(catalog.Sections))
		for i, sec := range catalog.Sections {
			secs[i] = section{Cat: sec.Category, Cards: cards.grid(biz, sec.Products, soldOut, &eager)}
		}
		data["Sections"] = secs
		data["Home"] = true
		s.JSONLD = []template.JS{ldJSON(h.storeLD(biz, imgs, l))}
		cacheable(c)
	}
	data["SEO"] = s
	return h.render(c, fiber.StatusOK, "store/home", biz, data)
}
