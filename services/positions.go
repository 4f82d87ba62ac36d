package services

import (
	"slices"

	"github.com/qubly/qubly/domain"
)

// moved returns the IDs of order with id swapped with its neighbour in dir.
// Moving past either end changes nothing.
func moved(order []domain.Placed, id int64, dir string) ([]int64, error) {
	ids := make([]int64, len(order))
	at := -1
	for i, p := range order {
		ids[i] = p.ID
		if p.ID == id {
			at = i
		}
	}
	if at < 0 {
		return nil, domain.ErrNotFound
	}
	switch dir {
	case "up":
		if at > 0 {
			ids[at-1], ids[at] = ids[at], ids[at-1]
		}
	case "down":
		if at < len(ids)-1 {
			ids[at+1], ids[at] = ids[at], ids[at+1]
		}
	default:
		return nil, domain.NewFieldError("dir", "catalog.validation.direction")
	}
	return ids, nil
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
