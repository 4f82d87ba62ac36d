package services_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// parallel runs fn(i) for i in [0, n) at once and fails on any error.
func parallel(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs <- fn(i)
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// assertDistinct fails when two rows share a position or the positions are
// not 0…n-1.
func assertDistinct(t *testing.T, what string, positions []int) {
	t.Helper()
	seen := map[int]bool{}
	for _, p := range positions {
		if seen[p] {
			t.Errorf("%s: position %d given twice: %v", what, p, positions)
			return
		}
		seen[p] = true
	}
	for i := range positions {
		if !seen[i] {
			t.Errorf("%s: position %d missing: %v", what, i, positions)
			return
		}
	}
}

// Concurrent creates each get their own position, on both engines.
func TestConcurrentCreatesGetDistinctPositions(t *testing.T) {
	e := newCatalogEnv(t)
	const n = 30

	parallel(t, n, func(i int) error {
		_, err := e.categories.CreateCategory(e.ctx, catStoreA, fmt.Sprintf("Categoría %d", i))
		return err
	})
	cats, err := e.repo.Categories.List(e.ctx, catStoreA)
	if err != nil || len(cats) != n {
		t.Fatalf("categories: %d %v", len(cats), err)
	}
	var pos []int
	for _, c := range cats {
		pos = append(pos, c.Position)
	}
	assertDistinct(t, "categories", pos)

	parallel(t, n, func(i int) error {
		_, err := e.products.CreateProduct(e.ctx, catStoreA, services.ProductInput{Name: fmt.Sprintf("Producto %d", i), Price: "10", Active: true})
		return err
	})
	products, err := e.repo.Products.List(e.ctx, catStoreA)
	if err != nil || len(products) != n {
		t.Fatalf("products: %d %v", len(products), err)
	}
	pos = nil
	for _, p := range products {
		pos = append(pos, p.Position)
	}
	assertDistinct(t, "products", pos)

	p := products[0]
	parallel(t, domain.MaxOptionGroups, func(i int) error {
		_, err := e.options.AddOptionGroup(e.ctx, catStoreA, p.ID, services.GroupInput{Name: fmt.Sprintf("Grupo %d", i)})
		return err
	})
	groups, err := e.repo.ListOptionGroups(e.ctx, catStoreA, p.ID)
	if err != nil || len(groups) != domain.MaxOptionGroups {
		t.Fatalf("groups: %d %v", len(groups), err)
	}
	pos = nil
	for _, g := range groups {
		pos = append(pos, g.Position)
	}
	assertDistinct(t, "option groups", pos)

	g := groups[0]
	parallel(t, domain.MaxOptionChoices, func(i int) error {
		_, err := e.options.AddOptionChoice(e.ctx, catStoreA, p.ID, g.ID, services.ChoiceInput{Name: fmt.Sprintf("Opción %d", i), Delta: "1"})
		return err
	})
	groups, err = e.repo.ListOptionGroups(e.ctx, catStoreA, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	pos = nil
	for _, c := range groups[0].Choices {
		pos = append(pos, c.Position)
	}
	if len(pos) != domain.MaxOptionChoices {
		t.Fatalf("choices: %d", len(pos))
	}
	assertDistinct(t, "option choices", pos)
}

// Photos added at once to one product each get their own position.
func TestConcurrentProductImagesGetDistinctPositions(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("fotos")
	biz := o.Business.ID
	prod := a.Product(biz, "Taco", testkit.Price(100))
	images := repositories.NewImages(a.DB)
	tx := repositories.NewTransactor(a.DB)
	const n = 30
	parallel(t, n, func(i int) error {
		return tx.InTx(context.Background(), func(ctx context.Context) error {
			img := &domain.Image{Key: fmt.Sprintf("k%02d", i), Format: "jpeg", Width: 1, Height: 1}
			if err := images.Create(ctx, biz, img); err != nil {
				return err
			}
			_, err := images.AddProductImage(ctx, biz, prod.ID, img.ID)
			return err
		})
	})
	var pos []int
	if err := a.DB.Model(&domain.ProductImage{}).Where("product_id = ?", prod.ID).Pluck("position", &pos).Error; err != nil || len(pos) != n {
		t.Fatalf("images: %d %v", len(pos), err)
	}
	assertDistinct(t, "product images", pos)
}
