package services

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tiktoken-go/tokenizer"

	"github.com/qubly/qubly/domain"
)

// The token benchmarks count cl100k_base tokens of the assistant's context
// as TOON and as compact JSON of the same data. Run them with
//
//	go test ./services/ -run '^$' -bench 'ChatContext' -benchtime 20x
//
// Token counts do not depend on the machine; the build time does.

// chatBenchNow is a Tuesday at 13:00 in Mexico City, when the demo store
// has closed after lunch: the facts say when it opens again.
var chatBenchNow = time.Date(2026, 3, 3, 19, 0, 0, 0, time.UTC)

const chatBenchBaseURL = "https://qubly.mx"

// demoChatCatalog is the demo store's catalog built from its seed data,
// as the store page would load it, with IDs in display order.
func demoChatCatalog() (*domain.Business, *StoreCatalog, []domain.Review) {
	b := demoBusiness()
	var cats []domain.Category
	var products []*domain.Product
	id := int64(0)
	for ci, dc := range demoCatalog {
		cat := domain.Category{ID: int64(ci + 1), Name: dc.name, Slug: domain.Slugify(dc.name, 80), Position: ci}
		cats = append(cats, cat)
		for _, dp := range dc.products {
			id++
			p := &domain.Product{
				ID: id, CategoryID: &cats[ci].ID, Name: dp.name, Slug: domain.Slugify(dp.name, 80),
				Description: dp.description, PriceCents: dp.price, Active: true, SoldOut: dp.soldOut,
				Position: int(id),
			}
			if dp.stock > 0 {
				stock := dp.stock
				p.Stock = &stock
			}
			for gi, dg := range dp.options {
				g := domain.OptionGroup{ID: id*100 + int64(gi), Name: dg.name, MinSelect: dg.min, MaxSelect: dg.max}
				for _, dch := range dg.choices {
					g.Choices = append(g.Choices, domain.OptionChoice{Name: dch.name, DeltaCents: dch.delta})
				}
				p.Options = append(p.Options, g)
			}
			products = append(products, p)
		}
	}
	var reviews []domain.Review
	for _, dr := range demoReviews {
		reviews = append(reviews, domain.Review{AuthorName: dr.author, Rating: dr.rating, Comment: dr.comment, Status: dr.status})
	}
	return b, buildCatalog(cats, products), reviews
}

// generatedChatCatalog is a store of n products in 8 categories, with
// descriptions of the demo's length, a few options and sold-out products.
func generatedChatCatalog(n int) (*domain.Business, *StoreCatalog) {
	b := demoBusiness()
	names := []string{"Taco", "Torta", "Quesadilla", "Agua", "Café", "Pastel", "Gringa", "Tostada"}
	fillings := []string{"al pastor", "de suadero", "de bistec", "de carnitas", "de pollo", "de chorizo", "de hongos", "de frijol"}
	descs := []string{
		"Preparado al momento con tortilla de maíz hecha a mano, cebolla, cilantro y salsa de la casa.",
		"Receta de la familia, con ingredientes frescos del mercado y un toque de limón y sal.",
		"Porción generosa, ideal para compartir; pregúntanos por los sabores y tamaños del día.",
	}
	var cats []domain.Category
	for i, name := range []string{"Tacos", "Tortas", "Quesadillas", "Bebidas", "Cafetería", "Postres", "Especialidades", "Antojitos"} {
		cats = append(cats, domain.Category{ID: int64(i + 1), Name: name, Slug: domain.Slugify(name, 80), Position: i})
	}
	products := make([]*domain.Product, n)
	for i := range products {
		name := names[i%len(names)] + " " + fillings[i/len(names)%len(fillings)] + " " + strconv.Itoa(i+1)
		p := &domain.Product{
			ID: int64(i + 1), CategoryID: &cats[i%len(cats)].ID, Name: name, Slug: domain.Slugify(name, 80),
			Description: descs[i%len(descs)], PriceCents: domain.Money(2500 + (i%40)*250), Active: true,
			SoldOut: i%17 == 0, Position: i,
		}
		if i%10 == 0 {
			p.Options = []domain.OptionGroup{{Name: "Tamaño", MinSelect: 1, MaxSelect: 1, Choices: []domain.OptionChoice{
				{Name: "Normal"}, {Name: "Grande", DeltaCents: 1500},
			}}}
		}
		products[i] = p
	}
	return b, buildCatalog(cats, products)
}

var (
	cl100kOnce sync.Once
	cl100k     tokenizer.Codec
)

// tokens counts s in cl100k_base.
func tokens(tb testing.TB, s string) int {
	cl100kOnce.Do(func() {
		var err error
		if cl100k, err = tokenizer.Get(tokenizer.Cl100kBase); err != nil {
			tb.Fatal(err)
		}
	})
	n, err := cl100k.Count(s)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// reportTokens reports the tokens of k as TOON and JSON and the saving.
func reportTokens(b *testing.B, k *ChatKnowledge) {
	b.Helper()
	var t, j int
	for b.Loop() {
		t, j = tokens(b, k.TOON()), tokens(b, k.JSON())
	}
	b.ReportMetric(float64(t), "toon_tokens")
	b.ReportMetric(float64(j), "json_tokens")
	b.ReportMetric(100*float64(j-t)/float64(j), "saving_%")
	b.ReportMetric(float64(len(k.Products)), "products")
}

func BenchmarkChatContextTokensDemo(b *testing.B) {
	biz, cat, reviews := demoChatCatalog()
	k := BuildChatKnowledge(ChatContextInput{Business: biz, Catalog: cat, Reviews: reviews,
		Message: "¿qué tienen?", Intent: domain.IntentBrowse, Now: chatBenchNow, BaseURL: chatBenchBaseURL})
	reportTokens(b, k)
}

func BenchmarkChatContextTokens500Browse(b *testing.B) {
	biz, cat := generatedChatCatalog(500)
	k := BuildChatKnowledge(ChatContextInput{Business: biz, Catalog: cat,
		Message: "what do you sell?", Intent: domain.IntentBrowse, Now: chatBenchNow, BaseURL: chatBenchBaseURL})
	reportTokens(b, k)
}

// BenchmarkChatContextTokens500All puts every one of the 500 products in
// the context: the "500-product catalog" as a whole.
func BenchmarkChatContextTokens500All(b *testing.B) {
	biz, cat := generatedChatCatalog(500)
	k := BuildChatKnowledge(ChatContextInput{Business: biz, Catalog: cat,
		Message: "menu", Intent: domain.IntentBrowse, Now: chatBenchNow, BaseURL: chatBenchBaseURL})
	k.Products = k.Products[:0]
	for _, p := range cat.Products {
		k.Products = append(k.Products, chatProduct(p, cat, chatLocaleOf(biz.Language), chatBenchBaseURL+"/"+biz.Slug))
	}
	reportTokens(b, k)
}

// BenchmarkChatContext500 times what a question costs the server before
// the LLM: ranking 500 products, building the knowledge and its TOON. The
// catalog's folded words are built on its first question and kept with it
// (the catalog is cached until the store changes); the cold runs pay for
// them on every question, as the first question after an edit does.
func BenchmarkChatContext500(b *testing.B) {
	biz, cat := generatedChatCatalog(500)
	for _, q := range []struct {
		name, msg string
		intent    domain.Intent
		cold      bool
	}{
		{"browse", "¿qué tienen de postre?", domain.IntentBrowse, false},
		{"product", "tienen tacos al pastro?", domain.IntentProduct, false},
		{"browse-cold", "¿qué tienen de postre?", domain.IntentBrowse, true},
	} {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c := cat
				if q.cold {
					c = &StoreCatalog{Products: cat.Products, categories: cat.categories}
				}
				k := BuildChatKnowledge(ChatContextInput{Business: biz, Catalog: c,
					Message: q.msg, Intent: q.intent, Now: chatBenchNow, BaseURL: chatBenchBaseURL})
				_ = k.TOON()
			}
		})
	}
}

// TestChatContextTOONSavesTokens pins what the benchmarks measure on the
// demo store: a browse question's context costs at least a fifth fewer
// cl100k_base tokens as TOON than as compact JSON (22 % when written).
func TestChatContextTOONSavesTokens(t *testing.T) {
	biz, cat, reviews := demoChatCatalog()
	for _, q := range []string{"¿qué tienen?", "opiniones", "tienen tacos al pastor?"} {
		k := BuildChatKnowledge(ChatContextInput{Business: biz, Catalog: cat, Reviews: reviews,
			Message: q, Intent: DetectIntent(q), Now: chatBenchNow, BaseURL: chatBenchBaseURL})
		tt, jt := tokens(t, k.TOON()), tokens(t, k.JSON())
		saving := 100 * float64(jt-tt) / float64(jt)
		t.Logf("%q: TOON %d tokens, JSON %d, %.1f %% fewer", q, tt, jt, saving)
		if q == "¿qué tienen?" && saving < 20 || tt >= jt {
			t.Errorf("%q: TOON %d tokens, JSON %d (%.1f %%)", q, tt, jt, saving)
		}
	}
}
