// Package storeseed fills a store with a realistic catalog for budget tests,
// benchmarks and the load test (scripts/loadtest.sh): categories, products
// with Spanish names, descriptions and one photo each (the image rows only;
// the files are separate requests and not needed to render a page).
package storeseed

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
)

var (
	categories = []string{"Tacos", "Tortas", "Quesadillas", "Gringas", "Sopes", "Tamales", "Pozole y caldos",
		"Postres", "Aguas frescas", "Refrescos"}
	dishes = []string{"pastor", "suadero", "bistec", "campechano", "longaniza", "carnitas", "barbacoa", "cochinita",
		"tinga de pollo", "chorizo", "arrachera", "lengua", "cabeza", "tripa", "champiñones", "nopales", "flor de calabaza",
		"huitlacoche", "rajas con queso", "frijoles"}
	sizes        = []string{"chico", "mediano", "grande", "familiar"}
	descriptions = []string{
		"Preparado al momento con tortilla hecha a mano, cebolla, cilantro y salsa de la casa.",
		"Receta de la familia desde 1985. Incluye limones y salsa verde o roja a elegir.",
		"Con queso Oaxaca gratinado, guacamole y pico de gallo. Ideal para compartir.",
		"Porción generosa servida con frijoles charros y tortillas de maíz recién hechas.",
	}
)

// Catalog adds n active products in len(categories) categories to the store
// businessID, each with one photo. It returns the product IDs in order.
func Catalog(ctx context.Context, db *gorm.DB, businessID int64, n int) (ids []int64, err error) {
	err = repositories.NewTransactor(db).InTx(ctx, func(ctx context.Context) error {
		ids, err = seed(ctx, db, businessID, n)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ids, analyze(ctx, db)
}

// analyze gives PostgreSQL's planner the statistics autovacuum keeps on a
// live database. Without them, tables filled a moment ago look empty and
// the planner picks plans a live store never gets (a nested loop over 200
// × 200 rows made the store page's photo query 30 times slower).
func analyze(ctx context.Context, db *gorm.DB) error {
	if db.Dialector.Name() != "postgres" {
		return nil
	}
	err := db.WithContext(ctx).Exec("ANALYZE categories, products, images, product_images, option_groups, option_choices").Error
	if err != nil {
		return fmt.Errorf("analyze the seeded tables: %w", err)
	}
	return nil
}

func seed(ctx context.Context, db *gorm.DB, businessID int64, n int) ([]int64, error) {
	catalog := repositories.NewCatalog(db)
	images := repositories.NewImages(db)
	cats := make([]int64, len(categories))
	for i, name := range categories {
		c := &domain.Category{Name: name, Slug: domain.Slugify(name, 80), Position: i}
		if err := catalog.CreateCategory(ctx, businessID, c); err != nil {
			return nil, fmt.Errorf("category %s: %w", name, err)
		}
		cats[i] = c.ID
	}
	ids := make([]int64, 0, n)
	for i := range n {
		cat := categories[i%len(categories)]
		name := fmt.Sprintf("%s de %s %s", cat, dishes[(i/len(categories))%len(dishes)], sizes[(i/7)%len(sizes)])
		if i >= len(categories)*len(dishes) {
			name += fmt.Sprintf(" %d", i)
		}
		p := &domain.Product{
			CategoryID: &cats[i%len(cats)], Name: name, Slug: domain.Slugify(name, 80) + fmt.Sprintf("-%d", i),
			Description: descriptions[i%len(descriptions)], PriceCents: domain.Money(1500 + (i*137)%40000),
			Active: true, Position: i,
		}
		if i%9 == 0 {
			compare := p.PriceCents + 2000
			p.CompareAtCents = &compare
		}
		if err := catalog.CreateProduct(ctx, businessID, p); err != nil {
			return nil, fmt.Errorf("product %s: %w", name, err)
		}
		img := &domain.Image{Key: randomKey(), Format: "jpeg", Width: 1200, Height: 1200, Bytes: 90_000}
		if err := images.Create(ctx, businessID, img); err != nil {
			return nil, fmt.Errorf("image: %w", err)
		}
		if _, err := images.AddProductImage(ctx, businessID, p.ID, img.ID); err != nil {
			return nil, fmt.Errorf("product image: %w", err)
		}
		ids = append(ids, p.ID)
	}
	return ids, nil
}

func randomKey() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}
