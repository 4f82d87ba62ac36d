package services_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"image"
	"image/jpeg"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/services/demoart"
	"github.com/qubly/qubly/testkit"
)

func (env *demoEnv) seed(t *testing.T) *domain.Business {
	t.Helper()
	ctx := context.Background()
	if created, err := env.demo.Seed(ctx, "demo12345"); err != nil || !created {
		t.Fatalf("Seed = %v, %v", created, err)
	}
	biz, err := env.businesses.GetBySlug(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	return biz
}

// Every demo product has one picture, stored through the image pipeline
// (a row and a JPEG file at every width), drawn on the store's colours, and
// no two products share a picture.
func TestDemoSeedGivesEveryProductAPicture(t *testing.T) {
	ctx := context.Background()
	env := newDemoEnv(t)
	biz := env.seed(t)
	prods, err := env.catalog.Products.List(ctx, biz.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(prods) < 25 {
		t.Fatalf("%d products", len(prods))
	}
	seen := map[[32]byte]string{}
	canvas, err := demoart.NewCanvas(biz.PrimaryColor, biz.AccentColor, 1200)
	if err != nil {
		t.Fatal(err)
	}
	bare, err := canvas.Draw(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range prods {
		list, err := env.images.ListProductImages(ctx, biz.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Image == nil {
			t.Fatalf("%q has %d pictures", p.Name, len(list))
		}
		img := list[0].Image
		if img.Format != "jpeg" || img.Width != 1200 || img.Height != 1200 || img.Bytes <= 0 {
			t.Fatalf("%q picture = %+v, want a 1200×1200 JPEG", p.Name, img)
		}
		for _, w := range domain.ImageWidths {
			data, err := os.ReadFile(filepath.Join(env.mediaRoot, services.VariantKey(img, w)))
			if err != nil {
				t.Fatalf("%q picture at %d px: %v", p.Name, w, err)
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
			if err != nil || cfg.Width != min(w, 1200) || cfg.Height != cfg.Width {
				t.Fatalf("%q picture at %d px is %dx%d, %v", p.Name, w, cfg.Width, cfg.Height, err)
			}
			if w != 1200 {
				continue
			}
			sum := sha256.Sum256(data)
			if other, dup := seen[sum]; dup {
				t.Errorf("%q and %q have the same picture", p.Name, other)
			}
			seen[sum] = p.Name
			checkDemoPicture(t, p.Name, data, bare)
		}
	}
}

// checkDemoPicture decodes a 1200 px picture and checks its corner is a
// light tint of the store's primary colour (#047857, green) and that a dish
// covers a good part of the bare background.
func checkDemoPicture(t *testing.T, name string, data []byte, bare image.Image) {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	r, g, bl := rgb(img, b.Max.X-4, b.Max.Y-4)
	if !(g > r+8 && g > 180 && r > 150 && bl > 150) {
		t.Errorf("%q: corner colour %d,%d,%d is not a light tint of the store's green", name, r, g, bl)
	}
	drawn, total := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 6 {
		for x := b.Min.X; x < b.Max.X; x += 6 {
			r, g, bl := rgb(img, x, y)
			br, bg, bb := rgb(bare, x, y)
			if abs(r-br)+abs(g-bg)+abs(bl-bb) > 60 {
				drawn++
			}
			total++
		}
	}
	if drawn < total/8 {
		t.Errorf("%q: only %d of %d sampled pixels differ from the bare background: no dish drawn?", name, drawn, total)
	}
}

func abs(x int) int { return max(x, -x) }

func rgb(img image.Image, x, y int) (int, int, int) {
	r, g, b, _ := img.At(x, y).RGBA()
	return int(r >> 8), int(g >> 8), int(b >> 8)
}

// The demo has orders in every status, placed over the last weeks through
// the orders service: server-side prices with options and delivery fee,
// E.164 phones, status stamps in order, stock taken and given back, and no
// email to the demo owner.
func TestDemoSeedPlacesOrdersInEveryStatus(t *testing.T) {
	ctx := context.Background()
	env := newDemoEnv(t)
	biz := env.seed(t)

	counts, err := env.orders.StatusCounts(ctx, biz.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range domain.OrderStatuses {
		if counts[st] < 3 {
			t.Errorf("%d %s orders, want at least 3", counts[st], st)
		}
	}
	prices := map[int64]domain.Money{}
	prods, err := env.catalog.Products.List(ctx, biz.ID)
	if err != nil {
		t.Fatal(err)
	}
	deltas := map[string]domain.Money{}
	for _, p := range prods {
		prices[p.ID] = p.PriceCents
		groups, err := env.catalog.ListOptionGroups(ctx, biz.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range groups {
			for _, c := range g.Choices {
				deltas[p.Name+"/"+g.Name+"/"+c.Name] = c.DeltaCents
			}
		}
	}

	list, _, err := env.orders.List(ctx, biz.ID, "", "", 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	var withOptions, lastWeek, delivered int
	var newestPending, newestOther time.Time
	for _, head := range list {
		o, err := env.orders.Get(ctx, biz.ID, head.ID)
		if err != nil {
			t.Fatal(err)
		}
		var sub domain.Money
		for _, it := range o.Items {
			unit := prices[it.ProductID]
			for _, op := range it.Options {
				unit += deltas[it.ProductName+"/"+op.Group+"/"+op.Name]
			}
			if len(it.Options) > 0 {
				withOptions++
			}
			if it.UnitPriceCents != unit || it.LineTotalCents != unit*domain.Money(it.Quantity) {
				t.Errorf("order %s line %q: unit %d total %d, catalog says %d", o.Code, it.ProductName, it.UnitPriceCents, it.LineTotalCents, unit)
			}
			sub += it.LineTotalCents
		}
		fee := domain.Money(0)
		if o.Fulfillment == domain.FulfillmentDelivery {
			fee = biz.DeliveryFeeCents
			delivered++
			if o.Address == "" || sub < biz.DeliveryMinCents {
				t.Errorf("delivery order %s: address %q, subtotal %d", o.Code, o.Address, sub)
			}
		}
		if len(o.Items) == 0 || o.SubtotalCents != sub || o.DeliveryFeeCents != fee || o.TotalCents != sub+fee {
			t.Errorf("order %s: %d items, subtotal %d (lines %d), fee %d, total %d", o.Code, len(o.Items), o.SubtotalCents, sub, o.DeliveryFeeCents, o.TotalCents)
		}
		if !strings.HasPrefix(o.CustomerPhone, "+52") || len(o.CustomerPhone) != 13 || o.CustomerName == "" {
			t.Errorf("order %s: customer %q phone %q", o.Code, o.CustomerName, o.CustomerPhone)
		}
		created := o.CreatedAt.UTC()
		if created.After(env.now) || created.Before(env.now.AddDate(0, 0, -30)) {
			t.Errorf("order %s placed %s, not in the 30 days before %s", o.Code, created, env.now)
		}
		if created.After(env.now.AddDate(0, 0, -7)) && o.Status != domain.OrderCancelled {
			lastWeek++
		}
		checkDemoStamps(t, o, env.now)
		if o.Status == domain.OrderPending {
			newestPending = maxTime(newestPending, created)
		} else {
			newestOther = maxTime(newestOther, created)
		}
	}
	if withOptions == 0 || delivered == 0 || delivered == len(list) || lastWeek < 10 {
		t.Fatalf("lines with options %d, delivered %d of %d, last week %d", withOptions, delivered, len(list), lastWeek)
	}
	if !newestPending.After(newestOther) {
		t.Errorf("the newest order is not pending: pending %s, others %s", newestPending, newestOther)
	}

	// One unit of the counted quesadilla was sold; the cancelled order's
	// two came back.
	for _, p := range prods {
		if p.Stock != nil && *p.Stock != 11 {
			t.Errorf("%q stock = %d, want 12 - 1", p.Name, *p.Stock)
		}
	}
	var emails int64
	if err := env.db.DB.Model(&domain.OutboxEmail{}).Count(&emails).Error; err != nil {
		t.Fatal(err)
	}
	if emails != 0 {
		t.Fatalf("seeding queued %d emails", emails)
	}
}

func checkDemoStamps(t *testing.T, o *domain.Order, now time.Time) {
	t.Helper()
	at := func(p *time.Time) time.Time {
		if p == nil {
			return time.Time{}
		}
		return p.UTC()
	}
	confirmed, completed, cancelled := at(o.ConfirmedAt), at(o.CompletedAt), at(o.CancelledAt)
	created := o.CreatedAt.UTC()
	ok := true
	switch o.Status {
	case domain.OrderPending:
		ok = confirmed.IsZero() && completed.IsZero() && cancelled.IsZero()
	case domain.OrderConfirmed:
		ok = !confirmed.Before(created) && completed.IsZero() && cancelled.IsZero()
	case domain.OrderCompleted:
		ok = !confirmed.Before(created) && completed.After(confirmed) && cancelled.IsZero()
	case domain.OrderCancelled:
		ok = cancelled.After(created) && completed.IsZero()
	}
	for _, st := range []time.Time{confirmed, completed, cancelled} {
		if st.After(now) {
			ok = false
		}
	}
	if !ok {
		t.Errorf("order %s (%s): created %s confirmed %s completed %s cancelled %s", o.Code, o.Status, created, confirmed, completed, cancelled)
	}
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// failingOrders refuses to store an order, as a full disk would.
type failingOrders struct{ *repositories.Orders }

func (failingOrders) Create(context.Context, int64, *domain.Order, func() string) error {
	return errors.New("disk full")
}

// A seeding that fails after the pictures were stored leaves no store, no
// rows and no picture files behind, and a later seeding starts afresh.
func TestDemoSeedThatFailsLeavesNothing(t *testing.T) {
	ctx := context.Background()
	env := newDemoEnv(t)
	tx := repositories.NewTransactor(env.db.DB)
	images := services.NewImages(services.ImagesDeps{
		Repo: env.images, Storage: env.files, Writes: (&testkit.Purges{}).Writes(env.db.DB), Log: testkit.Logger(t),
	})
	broken := services.NewDemo(services.DemoDeps{
		Users: env.users, Businesses: env.businesses, Catalog: env.catalog, Reviews: env.reviews,
		Images: images, OrderRepo: failingOrders{env.orders}, OrderBusinessRepo: env.businesses,
		Tx: tx, Writes: (&testkit.Purges{}).Writes(env.db.DB), Clock: func() time.Time { return env.now }, BcryptCost: bcrypt.MinCost,
	})
	if created, err := broken.Seed(ctx, "demo12345"); err == nil || created || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Seed = %v, %v; want the order store's error", created, err)
	}
	if exists, err := env.demo.Exists(ctx); err != nil || exists {
		t.Fatalf("Exists = %v, %v after a failed seeding", exists, err)
	}
	var rows int64
	if err := env.db.DB.Model(&domain.Image{}).Count(&rows).Error; err != nil || rows != 0 {
		t.Fatalf("%d image rows, %v", rows, err)
	}
	var files []string
	filepath.WalkDir(env.mediaRoot, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 0 {
		t.Fatalf("%d picture files left behind, e.g. %s", len(files), files[0])
	}
	env.seed(t)
}
