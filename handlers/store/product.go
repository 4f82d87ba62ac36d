package store

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/i18n"
	"github.com/qubly/qubly/services"
)

// latestOnProduct is how many reviews a product page shows.
const latestOnProduct = 3

// thumb is a product's extra photo, linking to its large copy.
type thumb struct{ Src, Full, Alt string }

// optionGroup is a product option group ready for the form.
type optionGroup struct {
	G     *domain.OptionGroup
	Radio bool // pick one: radio inputs
	// Select is a pick-one group shown as a <select>: radios sharing the
	// name "options" would form one group across the whole form, so only
	// a product with a single pick-one group gets radios.
	Select   bool
	Required bool
	Hint     string
	Choices  []optionChoice
	// Error is the server's message about this group's picks.
	Error string
}

// AnyChecked reports whether one of g's choices is chosen.
func (g optionGroup) AnyChecked() bool {
	for _, c := range g.Choices {
		if c.Checked {
			return true
		}
	}
	return false
}

type optionChoice struct {
	C       *domain.OptionChoice
	Delta   string // "$15.00", "-$5.00" or "" when free
	Plus    bool   // Delta is an increase, shown as "+$15.00"
	Checked bool   // chosen in the form the server refused
}

// productForm is what the shopper chose on a product page and, when the
// server refused it (ordering without JavaScript), the messages to show
// beside each part. The zero value is a fresh page.
type productForm struct {
	Chosen      map[int64]bool
	Quantity    int
	GroupErrors map[int64]string
	QtyError    string
	// Error is a message about the product itself (sold out, gone).
	Error string
}

func optionGroups(p *domain.Product, l *i18n.Localizer, f productForm) []optionGroup {
	out := make([]optionGroup, 0, len(p.Options))
	for i := range p.Options {
		g := &p.Options[i]
		if len(g.Choices) == 0 {
			continue
		}
		max := g.MaxSelect
		if max < 1 || max > len(g.Choices) {
			max = len(g.Choices)
		}
		og := optionGroup{G: g, Radio: max == 1, Required: g.MinSelect > 0, Error: f.GroupErrors[g.ID]}
		switch {
		case og.Radio && og.Required:
			og.Hint = l.T("store.options.pick_one")
		case og.Radio:
			og.Hint = l.T("store.options.optional")
		case g.MinSelect > 0 && g.MinSelect == max:
			og.Hint = l.T("store.options.pick_exactly", "Count", max)
		case g.MinSelect > 0:
			og.Hint = l.T("store.options.pick_range", "Min", g.MinSelect, "Max", max)
		default:
			og.Hint = l.T("store.options.pick_up_to", "Max", max)
		}
		for j := range g.Choices {
			ch := &g.Choices[j]
			oc := optionChoice{C: ch, Checked: f.Chosen[ch.ID]}
			switch {
			case ch.DeltaCents > 0:
				oc.Delta, oc.Plus = ch.DeltaCents.Pesos(), true
			case ch.DeltaCents < 0:
				oc.Delta = ch.DeltaCents.Pesos()
			}
			og.Choices = append(og.Choices, oc)
		}
		out = append(out, og)
	}
	pickOne := 0
	for _, og := range out {
		if og.Radio {
			pickOne++
		}
	}
	if pickOne > 1 {
		for i := range out {
			out[i].Select, out[i].Radio = out[i].Radio, false
		}
	}
	return out
}

// product is a product page: photos, description, price, options and the
// add-to-cart form, with the store's latest reviews. It is the same for
// every visitor, so the page cache keeps it.
func (h *Handler) product(c *fiber.Ctx) error {
	biz, err := h.loadStore(c)
	if err != nil {
		return err
	}
	catalog, err := h.stores.Catalog(c.UserContext(), biz.ID)
	if err != nil {
		return err
	}
	p := catalog.ProductBySlug(c.Params("product"))
	if p == nil {
		return domain.ErrNotFound
	}
	cacheable(c)
	return h.productPage(c, fiber.StatusOK, biz, catalog, p, productForm{})
}

// maxQuantity is how many units of p one line may ask for: the order limit,
// or fewer when p counts a smaller stock.
func maxQuantity(p *domain.Product) int {
	if p.Stock != nil && *p.Stock < domain.OrderMaxQuantity {
		return max(*p.Stock, 1)
	}
	return domain.OrderMaxQuantity
}

// productPage renders product p with the form state f (the shopper's
// choices and the server's messages when it refused them).
func (h *Handler) productPage(c *fiber.Ctx, status int, biz *domain.Business, catalog *services.StoreCatalog, p *domain.Product, f productForm) error {
	ctx := c.UserContext()
	cat := catalog.Category(p)
	latest, err := h.stores.LatestReviews(ctx, biz.ID, latestOnProduct)
	if err != nil {
		return err
	}
	imgs, err := h.stores.Images(ctx, biz)
	if err != nil {
		return err
	}
	l := h.bundle.For(biz.Language)

	var main *pic
	var thumbs []thumb
	if len(p.Images) > 0 {
		main = newPic(p.Images[0].Image, 1200)
		for i, pi := range p.Images[1:] {
			thumbs = append(thumbs, thumb{
				Src: pi.Image.URL(400), Full: pi.Image.URL(1200),
				Alt: l.T("store.product.photo", "Name", p.Name, "N", i+2),
			})
		}
	}
	s := &seo{
		Title:       p.Name + " · " + biz.Name,
		Description: p.Description,
		Path:        productPath(biz, p),
		OGType:      "product",
		ImageAlt:    p.Name,
		JSONLD:      []template.JS{ldJSON(h.productLD(biz, p, cat)), ldJSON(h.breadcrumbLD(biz, p, cat))},
	}
	if s.Description == "" {
		s.Description = l.T("store.product.seo_description", "Price", p.PriceCents.Pesos(), "Name", biz.Name)
	}
	switch {
	case len(p.Images) > 0:
		s.Image = absImage(h.baseURL, p.Images[0].Image)
	case imgs.Logo != nil:
		s.Image, s.ImageAlt = absImage(h.baseURL, imgs.Logo), biz.Name
	}
	if f.Quantity < 1 {
		f.Quantity = 1
	}
	return h.render(c, status, "store/product", biz, fiber.Map{
		"Product":  p,
		"Category": cat,
		"Main":     main,
		"Thumbs":   thumbs,
		"Compare":  p.CompareAtCents != nil && *p.CompareAtCents > p.PriceCents,
		"Groups":   optionGroups(p, l, f),
		"Form":     f,
		"QtyMax":   maxQuantity(p),
		"Latest":   reviewViews(latest, biz),
		"SEO":      s,
	})
}
