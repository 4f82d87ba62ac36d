package services

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/qubly/qubly/domain"
)

// ProductOptionRepo is what the catalog needs of the product options
// repository. Every method is scoped by the business ID.
type ProductOptionRepo interface {
	ListOptionGroups(ctx context.Context, businessID, productID int64) ([]domain.OptionGroup, error)
	GetOptionGroup(ctx context.Context, businessID, productID, groupID int64) (*domain.OptionGroup, error)
	CountOptionGroups(ctx context.Context, businessID, productID int64) (int64, error)
	CreateOptionGroup(ctx context.Context, businessID int64, g *domain.OptionGroup) error
	UpdateOptionGroup(ctx context.Context, businessID int64, g *domain.OptionGroup) error
	DeleteOptionGroup(ctx context.Context, businessID, productID, groupID int64) error
	CreateOptionChoice(ctx context.Context, businessID int64, c *domain.OptionChoice) error
	UpdateOptionChoice(ctx context.Context, businessID int64, c *domain.OptionChoice) error
	DeleteOptionChoice(ctx context.Context, businessID, groupID, choiceID int64) error
	MinOptionDelta(ctx context.Context, businessID, productID int64) (domain.Money, error)
}

// ProductOptions owns the option groups of a store's products ("Tamaño",
// pick 1) and their choices ("Grande", +$15): no combination may cost less
// than $0. Every write purges the store's cached pages.
type ProductOptions struct {
	catalogWrites
	repo     ProductOptionRepo
	products ProductRepo
}

// NewProductOptions returns the product options service.
func NewProductOptions(d CatalogDeps) *ProductOptions {
	return &ProductOptions{catalogWrites: newCatalogWrites(d), repo: d.Options, products: d.Products}
}

// GroupInput is the option group form: "Tamaño", pick min to max.
type GroupInput struct{ Name, Min, Max string }

// ChoiceInput is the option choice form: "Grande", "+15".
type ChoiceInput struct{ Name, Delta string }

// GroupComplete reports whether shoppers can satisfy g: it has at least one
// choice and at least MinSelect of them.
func GroupComplete(g *domain.OptionGroup) bool {
	return len(g.Choices) > 0 && len(g.Choices) >= g.MinSelect
}

func optionName(raw string, v *domain.ValidationError) string {
	name := domain.CleanLine(raw)
	_ = v.Required("name", name) && v.MaxLen("name", name, domain.OptionNameMax)
	return name
}

// parseGroup validates a group form. Empty min is 0 (optional), empty max 1.
func parseGroup(in GroupInput, g *domain.OptionGroup, v *domain.ValidationError) {
	g.Name = optionName(in.Name, v)
	num := func(field, raw string, def, lo int) int {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			return def
		}
		n, err := strconv.Atoi(raw)
		if !v.Check(field, err == nil && n >= lo && n <= domain.MaxOptionSelect, "catalog.validation.select_range", map[string]any{"Min": lo, "Max": domain.MaxOptionSelect}) {
			return def
		}
		return n
	}
	g.MinSelect = num("min_select", in.Min, 0, 0)
	g.MaxSelect = num("max_select", in.Max, 1, 1)
	if !v.Has("min_select") && !v.Has("max_select") && g.MinSelect > g.MaxSelect {
		v.Add("min_select", "catalog.validation.min_over_max", nil)
	}
}

// AddOptionGroup adds an option group to product productID. A new group has
// no choices yet; the editor marks it incomplete until it has enough.
func (s *ProductOptions) AddOptionGroup(ctx context.Context, businessID, productID int64, in GroupInput) (*domain.OptionGroup, error) {
	if _, err := s.products.Get(ctx, businessID, productID); err != nil {
		return nil, err
	}
	g := &domain.OptionGroup{ProductID: productID}
	v := &domain.ValidationError{}
	parseGroup(in, g, v)
	n, err := s.repo.CountOptionGroups(ctx, businessID, productID)
	if err != nil {
		return nil, err
	}
	if n >= domain.MaxOptionGroups {
		v.Add("name", "catalog.validation.too_many_groups", map[string]any{"Max": domain.MaxOptionGroups})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.write(ctx, businessID, func(ctx context.Context) error {
		g.CreatedAt, g.UpdatedAt = s.clock(), s.clock()
		return s.repo.CreateOptionGroup(ctx, businessID, g)
	})
	if err != nil {
		return nil, fmt.Errorf("add option group: %w", err)
	}
	return g, nil
}

// UpdateOptionGroup renames group groupID and changes its limits. Once the
// group has choices, its minimum cannot exceed how many it has.
func (s *ProductOptions) UpdateOptionGroup(ctx context.Context, businessID, productID, groupID int64, in GroupInput) error {
	g, err := s.repo.GetOptionGroup(ctx, businessID, productID, groupID)
	if err != nil {
		return err
	}
	v := &domain.ValidationError{}
	parseGroup(in, g, v)
	if n := len(g.Choices); n > 0 && !v.Has("min_select") && g.MinSelect > n {
		v.Add("min_select", "catalog.validation.min_over_choices", map[string]any{"Count": n})
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, businessID, func(ctx context.Context) error {
		g.UpdatedAt = s.clock()
		return s.repo.UpdateOptionGroup(ctx, businessID, g)
	})
}

// DeleteOptionGroup deletes group groupID and its choices.
func (s *ProductOptions) DeleteOptionGroup(ctx context.Context, businessID, productID, groupID int64) error {
	return s.write(ctx, businessID, func(ctx context.Context) error {
		return s.repo.DeleteOptionGroup(ctx, businessID, productID, groupID)
	})
}

// parseChoice validates a choice form against the product's price: a
// discount may bring the price down to $0, not below.
func parseChoice(in ChoiceInput, g *domain.OptionGroup, exceptID int64, price domain.Money, c *domain.OptionChoice, v *domain.ValidationError) {
	c.Name = optionName(in.Name, v)
	if !v.Has("name") {
		for _, o := range g.Choices {
			if o.ID != exceptID && strings.EqualFold(o.Name, c.Name) {
				v.Add("name", "catalog.validation.choice_taken", nil)
				break
			}
		}
	}
	d, key := parseDelta(in.Delta)
	switch {
	case key != "":
		v.Add("delta", key, map[string]any{"Max": domain.MaxPriceCents.Pesos()})
	case price+d < 0:
		v.Add("delta", "catalog.validation.delta_below_price", map[string]any{"Price": price.Pesos()})
	}
	c.DeltaCents = d
}

// AddOptionChoice adds a choice to group groupID of product productID.
func (s *ProductOptions) AddOptionChoice(ctx context.Context, businessID, productID, groupID int64, in ChoiceInput) (*domain.OptionChoice, error) {
	p, err := s.products.Get(ctx, businessID, productID)
	if err != nil {
		return nil, err
	}
	g, err := s.repo.GetOptionGroup(ctx, businessID, productID, groupID)
	if err != nil {
		return nil, err
	}
	c := &domain.OptionChoice{GroupID: g.ID}
	v := &domain.ValidationError{}
	parseChoice(in, g, 0, p.PriceCents, c, v)
	if len(g.Choices) >= domain.MaxOptionChoices {
		v.Add("name", "catalog.validation.too_many_choices", map[string]any{"Max": domain.MaxOptionChoices})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.write(ctx, businessID, func(ctx context.Context) error {
		c.CreatedAt, c.UpdatedAt = s.clock(), s.clock()
		return s.repo.CreateOptionChoice(ctx, businessID, c)
	})
	if err != nil {
		return nil, fmt.Errorf("add option choice: %w", err)
	}
	return c, nil
}

// UpdateOptionChoice renames choice choiceID and changes its price change.
func (s *ProductOptions) UpdateOptionChoice(ctx context.Context, businessID, productID, groupID, choiceID int64, in ChoiceInput) error {
	p, err := s.products.Get(ctx, businessID, productID)
	if err != nil {
		return err
	}
	g, err := s.repo.GetOptionGroup(ctx, businessID, productID, groupID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(g.Choices, func(c domain.OptionChoice) bool { return c.ID == choiceID })
	if i < 0 {
		return domain.ErrNotFound
	}
	c := g.Choices[i]
	v := &domain.ValidationError{}
	parseChoice(in, g, choiceID, p.PriceCents, &c, v)
	if err := v.Err(); err != nil {
		return err
	}
	return s.write(ctx, businessID, func(ctx context.Context) error {
		c.UpdatedAt = s.clock()
		return s.repo.UpdateOptionChoice(ctx, businessID, &c)
	})
}

// DeleteOptionChoice deletes choice choiceID. It refuses to leave a group
// with fewer choices than its minimum (shoppers could not order), unless
// the group already had too few.
func (s *ProductOptions) DeleteOptionChoice(ctx context.Context, businessID, productID, groupID, choiceID int64) error {
	g, err := s.repo.GetOptionGroup(ctx, businessID, productID, groupID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(g.Choices, func(c domain.OptionChoice) bool { return c.ID == choiceID }) {
		return domain.ErrNotFound
	}
	if n := len(g.Choices); n >= g.MinSelect && n-1 < g.MinSelect {
		v := &domain.ValidationError{}
		v.Add("choice", "catalog.validation.choice_needed", map[string]any{"Min": g.MinSelect})
		return v
	}
	return s.write(ctx, businessID, func(ctx context.Context) error {
		return s.repo.DeleteOptionChoice(ctx, businessID, groupID, choiceID)
	})
}
