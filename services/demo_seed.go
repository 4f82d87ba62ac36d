package services

import (
	"context"
	"fmt"
	"image"
	"sync"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/imagecodec"
	"github.com/qubly/qubly/services/demoart"
)

// The demo store's colours (the platform's defaults for a new store, which
// pass the settings' contrast rules); its pictures are drawn on them.
const (
	demoPrimaryColor = "#047857"
	demoAccentColor  = "#d97706"
)

// demoPictureSide is the side of a demo product picture in pixels: the
// largest stored width (domain.ImageWidths), like a good phone photo.
const demoPictureSide = 1200

// demoBusiness is the demo store, ready to take orders: hours, pickup and
// delivery, cash and transfer. Its rating covers its approved reviews.
func demoBusiness() *domain.Business {
	ratingCount, ratingSum := 0, 0
	for _, dr := range demoReviews {
		if dr.status == domain.ReviewApproved {
			ratingCount++
			ratingSum += dr.rating
		}
	}
	return &domain.Business{
		RatingCount: ratingCount,
		RatingSum:   ratingSum,
		Name:        "Tacos Doña Lupe",
		Slug:        DemoSlug,
		Description: demoDescription,
		WhatsApp:    "+525512345678",
		TimeZone:    domain.DefaultTimeZone,
		Language:    "es",
		Address:     "Av. Insurgentes Sur 1234, Col. Del Valle",
		City:        "Ciudad de México",
		Demo:        true,
		// A store that is ready to take orders: hours, pickup and
		// delivery, cash and transfer.
		Hours:             demoHours(),
		PickupEnabled:     true,
		DeliveryEnabled:   true,
		DeliveryFeeCents:  3500,
		DeliveryMinCents:  15000,
		PayCash:           true,
		PayCashNote:       "Si pagas con billete grande, avísanos para llevar cambio.",
		PayTransfer:       true,
		PayTransferCLABE:  "002180001234567896",
		PayTransferBank:   "Banamex",
		PayTransferHolder: "Guadalupe Hernández Ruiz",
		PayTransferNote:   "Envía tu comprobante por WhatsApp.",
		Instagram:         "https://instagram.com/tacosdonalupe",
		PrimaryColor:      demoPrimaryColor,
		AccentColor:       demoAccentColor,
	}
}

// demoIDs finds the seeded catalog's rows by name, for the demo orders.
type demoIDs struct {
	products map[string]int64
	// choices is keyed "product/group/choice".
	choices map[string]int64
}

func (ids demoIDs) choice(product, group, name string) int64 {
	return ids.choices[product+"/"+group+"/"+name]
}

// demoPictures keeps the pictures drawn for each pair of colours: drawing
// and encoding them is most of a seeding's work, and the result never
// changes, so a process (a test binary seeding many databases) draws them
// once. The encoded bytes are only read.
var demoPictures struct {
	sync.Mutex
	byColors map[[2]string]map[string]*imagecodec.Image
}

// renderDemoPictures draws every demo product's picture and encodes it at
// every stored width, keyed by product name. Two pictures are drawn at once.
func renderDemoPictures(primary, accent string) (map[string]*imagecodec.Image, error) {
	demoPictures.Lock()
	defer demoPictures.Unlock()
	key := [2]string{primary, accent}
	if p, ok := demoPictures.byColors[key]; ok {
		return p, nil
	}
	p, err := cachedDemoPictures(primary, accent)
	if err != nil {
		return nil, err
	}
	if demoPictures.byColors == nil {
		demoPictures.byColors = map[[2]string]map[string]*imagecodec.Image{}
	}
	demoPictures.byColors[key] = p
	return p, nil
}

func drawDemoPictures(primary, accent string) (map[string]*imagecodec.Image, error) {
	// One canvas per stored width: each picture is drawn at every width
	// instead of scaled down from the largest.
	canvases := make(map[int]*demoart.Canvas, len(domain.ImageWidths))
	for _, w := range domain.ImageWidths {
		c, err := demoart.NewCanvas(primary, accent, min(w, demoPictureSide))
		if err != nil {
			return nil, err
		}
		canvases[w] = c
	}
	var products []demoProduct
	for _, dc := range demoCatalog {
		products = append(products, dc.products...)
	}
	out := make([]*imagecodec.Image, len(products))
	errs := make([]error, len(products))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = imagecodec.EncodeDrawn(func(w int) (image.Image, error) {
					return canvases[w].Draw(products[i].picture)
				}, domain.ImageWidths)
			}
		}()
	}
	for i := range products {
		next <- i
	}
	close(next)
	wg.Wait()
	pictures := make(map[string]*imagecodec.Image, len(products))
	for i, dp := range products {
		if errs[i] != nil {
			return nil, fmt.Errorf("draw demo picture of %q: %w", dp.name, errs[i])
		}
		pictures[dp.name] = out[i]
	}
	return pictures, nil
}

// createCatalog creates the demo categories, products, options and product
// pictures (through the images service, like an upload). Every image stored
// is appended to stored, so the caller can remove the files if the
// transaction fails.
func (d *Demo) createCatalog(ctx context.Context, businessID int64, pictures map[string]*imagecodec.Image, stored *[]*domain.Image) (demoIDs, error) {
	ids := demoIDs{products: map[string]int64{}, choices: map[string]int64{}}
	position := 0
	for ci, dc := range demoCatalog {
		cat := &domain.Category{Name: dc.name, Slug: domain.Slugify(dc.name, 80), Position: ci + 1}
		if err := d.catalog.CreateCategory(ctx, businessID, cat); err != nil {
			return ids, fmt.Errorf("create demo category %q: %w", dc.name, err)
		}
		for _, dp := range dc.products {
			position++
			p := &domain.Product{
				CategoryID:  &cat.ID,
				Name:        dp.name,
				Slug:        domain.Slugify(dp.name, 120),
				Description: dp.description,
				PriceCents:  dp.price,
				Active:      true,
				SoldOut:     dp.soldOut,
				Position:    position,
			}
			if dp.compareAt > 0 {
				c := dp.compareAt
				p.CompareAtCents = &c
			}
			if dp.stock > 0 {
				s := dp.stock
				p.Stock = &s
			}
			if err := d.catalog.CreateProduct(ctx, businessID, p); err != nil {
				return ids, fmt.Errorf("create demo product %q: %w", dp.name, err)
			}
			ids.products[dp.name] = p.ID
			if err := d.createOptions(ctx, businessID, p.ID, dp, ids); err != nil {
				return ids, err
			}
			pi, err := d.images.AddEncodedProductImage(ctx, businessID, p.ID, pictures[dp.name])
			if err != nil {
				return ids, fmt.Errorf("store demo picture of %q: %w", dp.name, err)
			}
			*stored = append(*stored, pi.Image)
		}
	}
	return ids, nil
}

func (d *Demo) createOptions(ctx context.Context, businessID, productID int64, dp demoProduct, ids demoIDs) error {
	for _, dg := range dp.options {
		g := &domain.OptionGroup{ProductID: productID, Name: dg.name, MinSelect: dg.min, MaxSelect: dg.max}
		if err := d.catalog.CreateOptionGroup(ctx, businessID, g); err != nil {
			return fmt.Errorf("create demo options %q: %w", dg.name, err)
		}
		for _, dc := range dg.choices {
			c := &domain.OptionChoice{GroupID: g.ID, Name: dc.name, DeltaCents: dc.delta}
			if err := d.catalog.CreateOptionChoice(ctx, businessID, c); err != nil {
				return fmt.Errorf("create demo choice %q: %w", dc.name, err)
			}
			ids.choices[dp.name+"/"+dg.name+"/"+dc.name] = c.ID
		}
	}
	return nil
}
