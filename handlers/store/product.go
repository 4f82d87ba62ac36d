package store

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/i18n"
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
}

type optionChoice struct {
	C     *domain.OptionChoice
	Delta string // "$15.00", "-$5.00" or "" when free
	Plus  bool   // Delta is an increase, shown as "+$15.00"
}

func optionGroups(p *domain.Product, l *i18n.Localizer) []optionGroup {
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
		og := optionGroup{G: g, Radio: max == 1, Required: g.MinSelect > 0}
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
			oc := optionChoice{C: ch}
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
// add-to-cart form, with the store's latest reviews.
func (h *Handler) product(c *fiber.Ctx) error {
	biz, err := h.loadStore(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	catalog, err := h.stores.Catalog(ctx, biz.ID)
	if err != nil {
		return err
	}
	p := catalog.ProductBySlug(c.Params("product"))
	if p == nil {
		return domain.ErrNotFound
	}
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
	cacheable(c)
	return h.render(c, fiber.StatusOK, "store/product", biz, fiber.Map{
		"Product":  p,
		"Category": cat,
		"Main":     main,
		"Thumbs":   thumbs,
		"Compare":  p.CompareAtCents != nil && *p.CompareAtCents > p.PriceCents,
		"Groups":   optionGroups(p, l),
		"Latest":   reviewViews(latest, biz),
		"SEO":      s,
	})
}
