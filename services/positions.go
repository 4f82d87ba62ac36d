package services

import (
	"context"
	"slices"
	"time"

	"github.com/qubly/qubly/domain"
)

// orderedRepo is what rearrange needs of a repository that keeps a store's
// list in order (categories, products).
type orderedRepo interface {
	Order(ctx context.Context, businessID int64) ([]domain.Placed, error)
	SetPositions(ctx context.Context, businessID int64, positions map[int64]int, at time.Time) error
}

// rearrange reads businessID's list from repo, asks arrange for its IDs in
// their new order, and saves the positions that changed, stamped at.
func rearrange(ctx context.Context, repo orderedRepo, businessID int64, at time.Time,
	arrange func(order []domain.Placed) ([]int64, error)) error {
	order, err := repo.Order(ctx, businessID)
	if err != nil {
		return err
	}
	ids, err := arrange(order)
	if err != nil {
		return err
	}
	return repo.SetPositions(ctx, businessID, changedPositions(order, ids), at)
}

// moved returns the IDs of order with id swapped with its neighbour in dir
// ("up" or "down"). Moving past either end changes nothing.
func moved(order []domain.Placed, id int64, dir string) ([]int64, error) {
	if dir != "up" && dir != "down" {
		return nil, domain.NewFieldError("dir", "catalog.validation.direction")
	}
	ids := make([]int64, len(order))
	for i, p := range order {
		ids[i] = p.ID
	}
	if err := moveID(ids, id, dir == "up"); err != nil {
		return nil, err
	}
	return ids, nil
}

// moveID swaps id with its neighbour before it (up) or after it in ids.
// Moving past either end changes nothing; an id not in ids is ErrNotFound.
func moveID(ids []int64, id int64, up bool) error {
	at := slices.Index(ids, id)
	if at < 0 {
		return domain.ErrNotFound
	}
	to := at + 1
	if up {
		to = at - 1
	}
	if to >= 0 && to < len(ids) {
		ids[at], ids[to] = ids[to], ids[at]
	}
	return nil
}

// reordered places ids, in their new order, into the slots they held in
// order, so a reordered page or filtered list leaves the rest in place.
func reordered(order []domain.Placed, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, domain.NewFieldError("ids", "catalog.validation.ids")
	}
	index := make(map[int64]int, len(order))
	for i, p := range order {
		index[p.ID] = i
	}
	slots := make([]int, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		i, ok := index[id]
		if !ok {
			return nil, domain.ErrNotFound
		}
		if seen[id] {
			return nil, domain.NewFieldError("ids", "catalog.validation.ids")
		}
		seen[id] = true
		slots = append(slots, i)
	}
	slices.Sort(slots)
	next := make([]int64, len(order))
	for i, p := range order {
		next[i] = p.ID
	}
	for k, slot := range slots {
		next[slot] = ids[k]
	}
	return next, nil
}

// changedPositions numbers ids 0…n-1 and keeps only the rows whose stored
// position differs, so a move usually writes two rows.
func changedPositions(order []domain.Placed, ids []int64) map[int64]int {
	cur := make(map[int64]int, len(order))
	for _, p := range order {
		cur[p.ID] = p.Position
	}
	out := map[int64]int{}
	for i, id := range ids {
		if cur[id] != i {
			out[id] = i
		}
	}
	return out
}
