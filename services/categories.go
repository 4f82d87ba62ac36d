package services

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/qubly/qubly/domain"
)

// CategoryRepo is what the catalog needs of the categories repository.
// Every method is scoped by the business ID.
type CategoryRepo interface {
	List(ctx context.Context, businessID int64) ([]domain.Category, error)
	Get(ctx context.Context, businessID, id int64) (*domain.Category, error)
	Create(ctx context.Context, businessID int64, c *domain.Category) error
	Update(ctx context.Context, businessID int64, c *domain.Category) error
	Delete(ctx context.Context, businessID, id int64, at time.Time) error
	SlugTaken(ctx context.Context, businessID int64, slug string, exceptID int64) (bool, error)
	CountProductsByCategory(ctx context.Context, businessID int64) (map[int64]int64, error)
	Order(ctx context.Context, businessID int64) ([]domain.Placed, error)
	SetPositions(ctx context.Context, businessID int64, positions map[int64]int, at time.Time) error
	NextPosition(ctx context.Context, businessID int64) (int, error)
}

// Categories owns a store's categories as the shop owner edits them. Every
// write purges the store's cached pages.
type Categories struct {
	catalogWrites
	repo CategoryRepo
}

// NewCategories returns the categories service.
func NewCategories(d CatalogDeps) *Categories {
	return &Categories{catalogWrites: newCatalogWrites(d), repo: d.Categories}
}

// CategoryRow is a category with how many products it holds.
type CategoryRow struct {
	domain.Category
	Products int64
}

// Categories lists businessID's categories in display order.
func (s *Categories) Categories(ctx context.Context, businessID int64) ([]domain.Category, error) {
	return s.repo.List(ctx, businessID)
}

// CategoryRows lists businessID's categories with their product counts.
func (s *Categories) CategoryRows(ctx context.Context, businessID int64) ([]CategoryRow, error) {
	cs, err := s.repo.List(ctx, businessID)
	if err != nil {
		return nil, fmt.Errorf("list categories: %w", err)
	}
	counts, err := s.repo.CountProductsByCategory(ctx, businessID)
	if err != nil {
		return nil, fmt.Errorf("count products: %w", err)
	}
	rows := make([]CategoryRow, len(cs))
	for i, c := range cs {
		rows[i] = CategoryRow{Category: c, Products: counts[c.ID]}
	}
	return rows, nil
}

// validateCategoryName checks name and that no other category of the store
// (other than exceptID) has it, ignoring case.
func validateCategoryName(name string, existing []domain.Category, exceptID int64, field string, v *domain.ValidationError) {
	if !v.Required(field, name) || !v.MaxLen(field, name, domain.CategoryNameMax) {
		return
	}
	for _, c := range existing {
		if c.ID != exceptID && strings.EqualFold(strings.TrimSpace(c.Name), name) {
			v.Add(field, "catalog.validation.category_taken", nil)
			return
		}
	}
}

func (s *Categories) categorySlug(ctx context.Context, businessID int64, name string, exceptID int64) (string, error) {
	base := domain.Slugify(name, domain.CategoryNameMax)
	if base == "" {
		base = defaultCategoryURL
	}
	return uniqueSlug(base, domain.CategoryNameMax, func(slug string) (bool, error) {
		return s.repo.SlugTaken(ctx, businessID, slug, exceptID)
	})
}

// CreateCategory adds a visible category named name at the end of the list.
func (s *Categories) CreateCategory(ctx context.Context, businessID int64, name string) (*domain.Category, error) {
	name = domain.CleanLine(name)
	existing, err := s.repo.List(ctx, businessID)
	if err != nil {
		return nil, err
	}
	v := &domain.ValidationError{}
	validateCategoryName(name, existing, 0, "name", v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	c := &domain.Category{Name: name}
	err = s.write(ctx, businessID, func(ctx context.Context) error {
		return s.createCategory(ctx, businessID, c)
	})
	if err != nil {
		return nil, fmt.Errorf("create category: %w", err)
	}
	return c, nil
}

func (s *Categories) createCategory(ctx context.Context, businessID int64, c *domain.Category) error {
	slug, err := s.categorySlug(ctx, businessID, c.Name, 0)
	if err != nil {
		return err
	}
	pos, err := s.repo.NextPosition(ctx, businessID)
	if err != nil {
		return err
	}
	now := s.clock()
	c.Slug, c.Position, c.CreatedAt, c.UpdatedAt = slug, pos, now, now
	return s.repo.Create(ctx, businessID, c)
}

// UpdateCategory renames category id and shows or hides it. The category's
// URL slug follows its name.
func (s *Categories) UpdateCategory(ctx context.Context, businessID, id int64, name string, hidden bool) error {
	name = domain.CleanLine(name)
	c, err := s.repo.Get(ctx, businessID, id)
	if err != nil {
		return err
	}
	existing, err := s.repo.List(ctx, businessID)
	if err != nil {
		return err
	}
	v := &domain.ValidationError{}
	validateCategoryName(name, existing, id, "name", v)
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, businessID, func(ctx context.Context) error {
		if name != c.Name {
			slug, err := s.categorySlug(ctx, businessID, name, id)
			if err != nil {
				return err
			}
			c.Slug = slug
		}
		c.Name, c.Hidden, c.UpdatedAt = name, hidden, s.clock()
		return s.repo.Update(ctx, businessID, c)
	})
}

// DeleteCategory deletes category id; its products stay, uncategorised.
func (s *Categories) DeleteCategory(ctx context.Context, businessID, id int64) error {
	return s.write(ctx, businessID, func(ctx context.Context) error {
		return s.repo.Delete(ctx, businessID, id, s.clock())
	})
}

// MoveCategory moves category id one place up or down ("up", "down").
func (s *Categories) MoveCategory(ctx context.Context, businessID, id int64, dir string) error {
	return s.write(ctx, businessID, func(ctx context.Context) error {
		return rearrange(ctx, s.repo, businessID, s.clock(), func(order []domain.Placed) ([]int64, error) {
			return moved(order, id, dir)
		})
	})
}

// ReorderCategories puts the given categories in the order of ids. Every ID
// must be one of the store's categories (else domain.ErrNotFound and nothing
// changes); categories not listed keep their places.
func (s *Categories) ReorderCategories(ctx context.Context, businessID int64, ids []int64) error {
	return s.write(ctx, businessID, func(ctx context.Context) error {
		return rearrange(ctx, s.repo, businessID, s.clock(), func(order []domain.Placed) ([]int64, error) {
			return reordered(order, ids)
		})
	})
}
