package services_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// chatStore is a small café catalog built without a database.
type chatStore struct {
	biz  *domain.Business
	cats []domain.Category
	prod []*domain.Product
}

func newChatStore() *chatStore {
	return &chatStore{biz: &domain.Business{
		Name: "Café Lupita", Slug: "cafe-lupita", WhatsApp: "+525511112222", Language: "es",
		TimeZone: domain.DefaultTimeZone, PickupEnabled: true, PayCash: true,
	}}
}

func (s *chatStore) category(name string) *domain.Category {
	s.cats = append(s.cats, domain.Category{ID: int64(len(s.cats) + 1), Name: name, Slug: domain.Slugify(name, 80)})
	return &s.cats[len(s.cats)-1]
}

func (s *chatStore) product(name, desc string, cat *domain.Category, price domain.Money) *domain.Product {
	p := &domain.Product{ID: int64(len(s.prod) + 1), Name: name, Slug: domain.Slugify(name, 80), Description: desc,
		PriceCents: price, Active: true}
	if cat != nil {
		p.CategoryID = &cat.ID
	}
	s.prod = append(s.prod, p)
	return p
}

func (s *chatStore) know(msg string, intent domain.Intent) *services.ChatKnowledge {
	return services.BuildChatKnowledge(services.ChatContextInput{
		Business: s.biz, Catalog: services.NewTestCatalog(s.cats, s.prod), Message: msg, Intent: intent,
		Now: time.Date(2026, 3, 3, 18, 0, 0, 0, time.UTC), BaseURL: "https://qubly.mx/",
	})
}

func names(k *services.ChatKnowledge) []string {
	var out []string
	for _, p := range k.Products {
		out = append(out, p.Name)
	}
	return out
}

func TestChatKnowledgeRanksNameAboveCategoryAboveDescription(t *testing.T) {
	s := newChatStore()
	bread, drinks, lattes := s.category("Panadería"), s.category("Bebidas"), s.category("Lattes y capuchinos")
	s.product("Pan de elote", "Perfecto con un latte caliente.", bread, 3500)
	s.product("Chai latte", "Té negro con especias.", drinks, 5500)
	s.product("Galletas", "De avena.", bread, 2000)
	s.product("Capuchino", "Espresso con leche espumada.", lattes, 5000)
	s.product("Latte", "Espresso con leche.", drinks, 4500)
	s.product("Café americano", "Café de Chiapas.", drinks, 3500)

	k := s.know("how much is the latte?", domain.IntentPrice)
	if got, want := fmt.Sprint(names(k)), "[Latte Chai latte Capuchino Pan de elote]"; got != want || !k.Matched {
		t.Errorf("latte: %s matched=%v, want %s", got, k.Matched, want)
	}
	for msg, want := range map[string]string{
		"tienen LATTES?":             "Latte",          // case and plural
		"un cafe americano":          "Café americano", // accents
		"capucino por favor":         "Capuchino",      // a typo
		"galletas de avena":          "Galletas",
		"¿tienen algo con especias?": "Chai latte", // description word
	} {
		k := s.know(msg, services.DetectIntent(msg))
		if len(k.Products) == 0 || k.Products[0].Name != want || !k.Matched {
			t.Errorf("%q: %v matched=%v, want %s first", msg, names(k), k.Matched, want)
		}
	}
}

func TestChatKnowledgeLimits(t *testing.T) {
	s := newChatStore()
	tacos, sweets := s.category("Tacos"), s.category("Postres")
	for i := range 60 {
		s.product(fmt.Sprintf("Taco %d", i+1), "Con cebolla y cilantro.", tacos, 2500)
	}
	s.product("Flan", "Casero.", sweets, 4500)

	if k := s.know("tienen tacos?", domain.IntentProduct); len(k.Products) != services.ChatProductsDefault || !k.Matched {
		t.Errorf("product question: %d products matched=%v, want %d", len(k.Products), k.Matched, services.ChatProductsDefault)
	}
	k := s.know("¿qué tienen de postre?", domain.IntentBrowse)
	if len(k.Products) != services.ChatProductsBrowse || k.Products[0].Name != "Flan" || !k.Matched {
		t.Errorf("browse: %d products, first %q, matched=%v; want %d with Flan first", len(k.Products), k.Products[0].Name, k.Matched, services.ChatProductsBrowse)
	}
	k = s.know("tienen sushi?", domain.IntentProduct)
	if k.Matched || len(k.Products) != services.ChatProductsDefault || k.Products[0].Name != "Taco 1" || k.Products[9].Name != "Taco 10" {
		t.Errorf("no match: %v matched=%v, want the first 10 in display order, unmatched", names(k), k.Matched)
	}
	for _, msg := range []string{"a que hora abren", "aceptan tarjeta", "tienen envio"} {
		if k := s.know(msg, services.DetectIntent(msg)); len(k.Products) != 0 || strings.Contains(k.TOON(), "product_url") {
			t.Errorf("%q: %v, want no product", msg, names(k))
		}
	}
	if k := s.know("llevan flan a domicilio?", domain.IntentDelivery); fmt.Sprint(names(k)) != "[Flan]" || !k.Matched {
		t.Errorf("delivery of a product: %v", names(k))
	}
}

// checkCut checks that got is orig cut at a word boundary within max
// characters with "…", or orig itself when it fits.
func checkCut(t *testing.T, orig, got string, max int) {
	t.Helper()
	orig = strings.Join(strings.Fields(orig), " ")
	if !utf8.ValidString(got) || utf8.RuneCountInString(got) > max {
		t.Fatalf("cut %q: %d characters, valid %v; want at most %d", got, utf8.RuneCountInString(got), utf8.ValidString(got), max)
	}
	if utf8.RuneCountInString(orig) <= max {
		if got != orig {
			t.Fatalf("cut %q to %q though it fits", orig, got)
		}
		return
	}
	head, ok := strings.CutSuffix(got, "…")
	if !ok || !strings.HasPrefix(orig, head) {
		t.Fatalf("cut %q to %q: not a prefix with an ellipsis", orig, got)
	}
	if next, _ := utf8.DecodeRuneInString(orig[len(head):]); strings.Contains(head, " ") && !strings.ContainsRune(" ,;:.", next) {
		t.Fatalf("cut %q to %q: inside a word", orig, got)
	}
}

func TestChatKnowledgeTruncatesOnWordBoundaries(t *testing.T) {
	base := "Huitlacoche guisado con cebolla, epazote y queso Oaxaca en tortilla azul hecha a mano el día de hoy; ñandú éxito"
	s := newChatStore()
	var descs []string
	for n := 40; n <= utf8.RuneCountInString(base); n++ {
		d := string([]rune(base)[:n])
		descs = append(descs, d)
	}
	descs = append(descs, strings.Repeat("ñ", 80))
	s.biz.RatingCount, s.biz.RatingSum = 1, 5
	k := services.BuildChatKnowledge(services.ChatContextInput{
		Business: s.biz, Catalog: services.NewTestCatalog(s.cats, s.prod), Intent: domain.IntentReviews,
		Message: "opiniones", Now: time.Now(), BaseURL: "https://qubly.mx",
		Reviews: []domain.Review{{AuthorName: "Ana", Rating: 5, Status: domain.ReviewApproved, Comment: base + " " + base}},
	})
	for i, d := range descs {
		s2 := newChatStore()
		s2.product("X", d, nil, 100)
		got := s2.know("x", domain.IntentProduct).Products[0].Description
		checkCut(t, d, got, 60)
		if i == len(descs)-1 && got != strings.Repeat("ñ", 59)+"…" {
			t.Errorf("one long word: %q", got)
		}
	}
	if len(k.Reviews) != 1 {
		t.Fatalf("reviews: %+v", k.Reviews)
	}
	checkCut(t, base+" "+base, k.Reviews[0].Comment, 100)
	if !strings.HasSuffix(k.Reviews[0].Comment, "…") {
		t.Errorf("comment not cut: %q", k.Reviews[0].Comment)
	}
}

func weekdays(opens, closes string) domain.WeekHours {
	var w domain.WeekHours
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = domain.DayHours{Open: true, Opens: opens, Closes: closes}
	}
	w[time.Saturday] = domain.DayHours{Open: true, Opens: "10:00", Closes: "14:00"}
	return w
}

func TestChatKnowledgeFactsInTheStoreLanguage(t *testing.T) {
	s := newChatStore()
	s.biz.Hours = weekdays("09:00", "18:00")
	s.biz.Hours[time.Friday].Opens2, s.biz.Hours[time.Friday].Closes2 = "20:00", "23:00"
	s.biz.TimeZone = "America/Tijuana"
	s.biz.Address, s.biz.City = "Av. Revolución 100", "Tijuana"
	s.biz.DeliveryEnabled, s.biz.DeliveryFeeCents, s.biz.DeliveryMinCents = true, 3550, 15000
	s.biz.PayCashNote = "Llevamos cambio."
	s.biz.PayCardOnDelivery = true
	// Thursday 17:30 in Tijuana (UTC-7) is 19:30 in Mexico City: open in the
	// store's zone only.
	thu := time.Date(2026, 3, 6, 0, 30, 0, 0, time.UTC)
	sat := time.Date(2026, 3, 7, 22, 0, 0, 0, time.UTC) // 15:00 Saturday in Tijuana

	for lang, want := range map[string][]string{
		"es": {"lunes a jueves 09:00–18:00; viernes 09:00–18:00 y 20:00–23:00; sábado 10:00–14:00; domingo cerrado",
			"lunes 09:00", "Efectivo: Llevamos cambio.", "Tarjeta al recibir"},
		"en": {"Monday to Thursday 09:00–18:00; Friday 09:00–18:00 and 20:00–23:00; Saturday 10:00–14:00; Sunday closed",
			"Monday 09:00", "Cash: Llevamos cambio.", "Card on delivery"},
	} {
		s.biz.Language = lang
		in := services.ChatContextInput{Business: s.biz, Catalog: services.NewTestCatalog(nil, nil), Message: "horario",
			Intent: domain.IntentHours, Now: thu, BaseURL: "https://qubly.mx"}
		f := services.BuildChatKnowledge(in).Store
		if f.Hours != want[0] || !f.OpenNow || f.OpensAt != "" || f.Language != lang {
			t.Errorf("%s Thursday: hours %q open %v opens %q", lang, f.Hours, f.OpenNow, f.OpensAt)
		}
		if f.Address != "Av. Revolución 100, Tijuana" || !f.Pickup || !f.Delivery || f.DeliveryFee != 3550 || f.MinOrder != 15000 {
			t.Errorf("%s fulfilment: %+v", lang, f)
		}
		if fmt.Sprint(f.Payments) != fmt.Sprint(want[2:]) {
			t.Errorf("%s payments: %q", lang, f.Payments)
		}
		if f.URL != "https://qubly.mx/cafe-lupita" || f.WhatsAppURL != "https://wa.me/525511112222" {
			t.Errorf("%s links: %q %q", lang, f.URL, f.WhatsAppURL)
		}
		in.Now = sat
		if f := services.BuildChatKnowledge(in).Store; f.OpenNow || f.OpensAt != want[1] {
			t.Errorf("%s Saturday afternoon: open %v opens %q, want %q", lang, f.OpenNow, f.OpensAt, want[1])
		}
	}

	s.biz.ClosedNow, s.biz.ClosedMessage = true, "Cerrado por vacaciones,\nvolvemos el lunes."
	f := s.know("abren?", domain.IntentHours).Store
	if f.OpenNow || f.ClosedMessage != "Cerrado por vacaciones, volvemos el lunes." || f.OpensAt != "" {
		t.Errorf("closed by hand: %+v", f)
	}
}

func TestChatKnowledgeShowsNothingInternal(t *testing.T) {
	s := newChatStore()
	s.biz.PayTransfer = true
	s.biz.PayTransferCLABE, s.biz.PayTransferBank, s.biz.PayTransferHolder = "002180001234567896", "Banamex", "Guadalupe Hernández Ruiz"
	s.biz.PayTransferNote = "Deposita a la CLABE 002 180 001234567896 o escribe a lupe.h@example.com, info en https://evil.example/pay"
	s.biz.ReferralCode = "QUBLY12345678"
	stock, out := 4321, 0
	p := s.product("Pan de muerto", "Llámanos al (55) 1234 5678 para pedidos grandes.", nil, 4000)
	p.ID, p.Stock = 987654, &stock
	sold := s.product("Concha", "De vainilla.", nil, 1800)
	sold.Stock = &out
	s.product("Rol de canela", "Recién horneado.", nil, 3000).SoldOut = true

	k := s.know("¿qué tienen?", domain.IntentBrowse)
	doc := k.TOON()
	for _, secret := range []string{"002180001234567896", "001234567896", "Banamex", "Hernández Ruiz", "lupe.h@example.com",
		"example.com", "987654", "4321", "QUBLY", "1234 5678", "+525511112222"} {
		if strings.Contains(doc, secret) || strings.Contains(k.JSON(), secret) {
			t.Errorf("context shows %q:\n%s", secret, doc)
		}
	}
	if n := strings.Count(doc, "5511112222"); n != strings.Count(doc, "https://wa.me/525511112222") {
		t.Errorf("the phone shows outside the WhatsApp link:\n%s", doc)
	}
	soldOut := map[string]bool{}
	for _, p := range k.Products {
		soldOut[p.Name] = p.SoldOut
	}
	if soldOut["Pan de muerto"] || !soldOut["Concha"] || !soldOut["Rol de canela"] {
		t.Errorf("sold out: %v", soldOut)
	}
	if !strings.Contains(doc, "product_url: \"https://qubly.mx/cafe-lupita/p/{page}\"") ||
		!strings.Contains(doc, "{name\tprice\tdescription\tsold_out\tpage}") || !strings.Contains(doc, "Concha\t18\tDe vainilla.\ttrue\tconcha") {
		t.Errorf("table:\n%s", doc)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(k.JSON()), &v); err != nil {
		t.Fatalf("JSON: %v\n%s", err, k.JSON())
	}
}

func TestChatKnowledgeReviewsOnlyWhenAsked(t *testing.T) {
	s := newChatStore()
	s.product("Concha", "De vainilla.", nil, 1800)
	s.biz.RatingCount, s.biz.RatingSum = 3, 13
	reviews := []domain.Review{
		{AuthorName: "Ana", Rating: 5, Comment: "Las conchas son las mejores.", Status: domain.ReviewApproved},
		{AuthorName: "Spam", Rating: 1, Comment: "pendiente", Status: domain.ReviewPending},
		{AuthorName: "Luis", Rating: 4, Comment: "Buen café.", Status: domain.ReviewApproved},
	}
	build := func(msg string, intent domain.Intent) *services.ChatKnowledge {
		return services.BuildChatKnowledge(services.ChatContextInput{Business: s.biz, Catalog: services.NewTestCatalog(nil, s.prod),
			Reviews: reviews, Message: msg, Intent: intent, Now: time.Now(), BaseURL: "https://qubly.mx"})
	}
	if k := build("opiniones", domain.IntentReviews); len(k.Reviews) != 2 || k.Reviews[1].Name != "Luis" || k.RatingAverage != 4.3 || k.RatingCount != 3 {
		t.Errorf("reviews question: %+v %.1f/%d", k.Reviews, k.RatingAverage, k.RatingCount)
	}
	if k := build("tienen conchas?", domain.IntentProduct); len(k.Reviews) != 1 || k.Reviews[0].Name != "Ana" {
		t.Errorf("product question: %+v, want the review naming conchas", k.Reviews)
	}
	for _, in := range []domain.Intent{domain.IntentPrice, domain.IntentHours, domain.IntentBrowse, domain.IntentDelivery} {
		if k := build("cuanto cuesta la concha", in); len(k.Reviews) != 0 || strings.Contains(k.TOON(), "reviews[") {
			t.Errorf("%s: reviews %+v", in, k.Reviews)
		}
	}
}

// TestChatKnowledgeOnlyPublicProducts builds the catalog from a database,
// as the chat does, to show the public rule holds: hidden, inactive and
// deleted products and other stores' products never reach the context,
// sold-out ones come marked.
func TestChatKnowledgeOnlyPublicProducts(t *testing.T) {
	ctx := context.Background()
	db := testkit.NewDB(t)
	rows := db.Rows(t)
	biz := db.Business(t, "Panadería Lupita", "panaderia-lupita")
	other := db.Business(t, "Otra", "otra-tienda")
	bread, secret := rows.Category(biz.ID, "Pan dulce"), rows.Category(biz.ID, "Secreto", testkit.HiddenCategory())
	rows.Product(biz.ID, "Concha de vainilla", testkit.InCategory(bread), testkit.Price(1800))
	rows.Product(biz.ID, "Concha de chocolate", testkit.InCategory(bread), testkit.SoldOut())
	rows.Product(biz.ID, "Concha de temporada", testkit.InCategory(bread), testkit.Stock(0))
	rows.Product(biz.ID, "Concha inactiva", testkit.InCategory(bread), testkit.Inactive())
	rows.Product(biz.ID, "Concha escondida", testkit.InCategory(secret))
	gone := rows.Product(biz.ID, "Concha borrada", testkit.InCategory(bread))
	if err := db.DB.Delete(gone).Error; err != nil {
		t.Fatal(err)
	}
	rows.Product(other.ID, "Concha de otra tienda")
	rows.Review(biz.ID, "Ana", 5, testkit.Comment("Ricas conchas"), testkit.Approved())
	rows.Review(biz.ID, "Pendiente", 1, testkit.Comment("Conchas pendientes de moderar"))

	store := services.NewStorefront(repositories.NewStorefront(db.DB), repositories.NewReviews(db.DB),
		services.NewStoreCache(time.Minute), time.Now)
	cat, err := store.Catalog(ctx, biz.ID)
	if err != nil {
		t.Fatal(err)
	}
	reviews, err := store.LatestReviews(ctx, biz.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	k := services.BuildChatKnowledge(services.ChatContextInput{Business: biz, Catalog: cat, Reviews: reviews,
		Message: "tienen conchas?", Intent: domain.IntentProduct, Now: time.Now(), BaseURL: "https://qubly.mx"})
	got := map[string]bool{}
	for _, p := range k.Products {
		got[p.Name] = p.SoldOut
	}
	want := map[string]bool{"Concha de vainilla": false, "Concha de chocolate": true, "Concha de temporada": true}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("products %v, want %v", got, want)
	}
	doc := k.TOON()
	for _, hidden := range []string{"inactiva", "escondida", "borrada", "otra tienda", "Secreto", "Pendiente", "moderar"} {
		if strings.Contains(doc, hidden) {
			t.Errorf("context shows %q:\n%s", hidden, doc)
		}
	}
	if len(k.Reviews) != 1 || k.Reviews[0].Name != "Ana" {
		t.Errorf("reviews: %+v", k.Reviews)
	}
}
