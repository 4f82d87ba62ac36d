package store

import (
	"bytes"
	"html/template"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
)

// cardPartial is the card as the template partial wrote it before grids
// were written in Go: writeCard must print exactly what html/template makes
// of it.
const cardPartial = `<li><a href="{{.Path}}" class="block h-full overflow-hidden rounded-xl border border-gray-200 bg-white text-gray-900 no-underline hover:no-underline hover:shadow-md">{{if .Img}}<img src="{{.Img.Src}}" srcset="{{.Img.SrcSet}}" sizes="(min-width:1024px) 240px,(min-width:640px) 33vw,50vw" width="{{.Img.W}}" height="{{.Img.H}}" alt="{{.Name}}" loading="{{if .Eager}}eager{{else}}lazy{{end}}" decoding="async" class="aspect-square w-full bg-gray-100 object-cover">{{else}}<div class="aspect-square bg-gray-100"></div>{{end}}<div class="p-3"><h3 class="line-clamp-2 text-sm font-semibold">{{.Name}}</h3><p class="mt-1 text-sm"><b>{{.Price}}</b>{{if .Compare}} <s class="text-gray-500">{{.Compare}}</s>{{end}}</p>{{if .SoldOut}}<span class="badge mt-2" data-sold-out>{{.SoldOut}}</span>{{end}}</div></a></li>`

type refCard struct {
	Name, Path, Price, Compare, SoldOut string
	Img                                 *pic
	Eager                               bool
}

func TestCardGridMatchesTheTemplate(t *testing.T) {
	tmpl := template.Must(template.New("card").Parse(cardPartial))
	money := func(c int64) *domain.Money { m := domain.Money(c); return &m }
	biz := &domain.Business{Slug: "tienda"}
	img := func(key string, w, h int) []domain.ProductImage {
		return []domain.ProductImage{{Image: &domain.Image{Key: key, Format: "jpeg", Width: w, Height: h}}}
	}
	products := []*domain.Product{
		{Name: "Café de olla", Slug: "cafe", PriceCents: 4500, Active: true, Images: img("abc123", 1200, 900)},
		{Name: `Tacos "al pastor" & <salsa> + 'limón'` + "\x00", Slug: "tacos", PriceCents: 123456789, CompareAtCents: money(200000000), Active: true, SoldOut: true},
		{Name: "Pan", Slug: "pan dulce/ñ?x=1&y=2+3%zz%41", PriceCents: 5, Active: true, Images: img("k e,y's\"+&<ñ%2", 0, 0)},
		{Name: "Raro", Slug: "javascript:alert(1)", PriceCents: 100, CompareAtCents: money(50), Active: true, Images: img("x", 300, 700)},
		{Name: "Sin foto", Slug: "sin-foto", PriceCents: 0, Active: true, Images: []domain.ProductImage{{}}},
		{Name: "Otro", Slug: "otro", PriceCents: -1050, Active: true, Images: img("y", 800, 400)},
	}
	for _, bizSlug := range []string{"tienda", "Javascript:x"} {
		biz.Slug = bizSlug
		for _, soldOut := range []string{"Agotado", "", `<b>"Sold" & out</b>`} {
			eagerRef, eagerGo := 2, 2
			var want strings.Builder
			for _, p := range products {
				c := refCard{Name: p.Name, Path: productPath(biz, p), Price: p.PriceCents.Pesos()}
				if p.CompareAtCents != nil && *p.CompareAtCents > p.PriceCents {
					c.Compare = p.CompareAtCents.Pesos()
				}
				if !p.Available() {
					c.SoldOut = soldOut
				}
				if len(p.Images) > 0 {
					c.Img = newPic(p.Images[0].Image, 400)
					if eagerRef > 0 {
						c.Eager = true
						eagerRef--
					}
				}
				if err := tmpl.Execute(&want, c); err != nil {
					t.Fatal(err)
				}
			}
			got := cardGrid(biz, products, soldOut, &eagerGo)
			if string(got.HTML) != want.String() {
				t.Errorf("store %q, sold out %q:\n got %s\nwant %s", bizSlug, soldOut, got.HTML, want.String())
			}
			if got.Len != len(products) || eagerGo != eagerRef {
				t.Errorf("Len %d, eager left %d; want %d, %d", got.Len, eagerGo, len(products), eagerRef)
			}
		}
	}
}

func TestSrcsetMatchesTheTemplate(t *testing.T) {
	tmpl := template.Must(template.New("img").Parse(`<img srcset="{{.}}">`))
	for _, s := range []string{"", "/a 1x", "/a 400w, /b 800w", " /a  1x ,/b", "/a 1.5x", "javascript:x 1x, /b 2x", "/a%2c 1x,,", "/ñ 1x", "/a\t2x"} {
		var want strings.Builder
		var got bytes.Buffer
		if err := tmpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		got.WriteString(`<img srcset="`)
		writeSrcsetAttr(&got, s)
		got.WriteString(`">`)
		if got.String() != want.String() {
			t.Errorf("%q: got %s, want %s", s, got.String(), want.String())
		}
	}
}

// cardGrid renders ps as a grid whose HTML is a string of its own.
func cardGrid(biz *domain.Business, ps []*domain.Product, soldOut string, eager *int) grid {
	var g cardGrids
	defer g.release()
	out := g.grid(biz, ps, soldOut, eager)
	out.HTML = template.HTML(strings.Clone(string(out.HTML)))
	return out
}
