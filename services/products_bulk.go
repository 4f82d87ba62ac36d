package services

import (
	"context"
	"slices"

	"github.com/qubly/qubly/domain"
)

// BulkCount checks a bulk action without doing it and returns how many
// products it would change (each ID once): the confirmation of a bulk delete
// names that number. Errors are Bulk's.
func (s *Products) BulkCount(ctx context.Context, businessID int64, action string, ids []int64) (int, error) {
	uniq, err := bulkTargets(action, ids)
	if err != nil {
		return 0, err
	}
	if err := s.ownProducts(ctx, businessID, uniq); err != nil {
		return 0, err
	}
	return len(uniq), nil
}

// Bulk hides, shows or deletes products ids and returns how many it changed
// (each ID once). Every ID must be one of the store's products, else nothing
// changes and the answer is domain.ErrNotFound.
func (s *Products) Bulk(ctx context.Context, businessID int64, action string, ids []int64) (int, error) {
	uniq, err := bulkTargets(action, ids)
	if err != nil {
		return 0, err
	}
	err = s.write(ctx, businessID, func(ctx context.Context) error {
		if err := s.ownProducts(ctx, businessID, uniq); err != nil {
			return err
		}
		switch action {
		case BulkHide, BulkShow:
			return s.repo.SetActive(ctx, businessID, uniq, action == BulkShow, s.clock())
		default:
			return s.repo.Delete(ctx, businessID, uniq)
		}
	})
	if err != nil {
		return 0, err
	}
	return len(uniq), nil
}

// bulkTargets checks a bulk action and returns its IDs sorted, each once.
func bulkTargets(action string, ids []int64) ([]int64, error) {
	if action != BulkHide && action != BulkShow && action != BulkDelete {
		return nil, domain.NewFieldError("action", "catalog.validation.bulk_action")
	}
	uniq := slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(uniq) == 0 {
		return nil, domain.NewFieldError("ids", "catalog.validation.bulk_none")
	}
	return uniq, nil
}

// ownProducts is domain.ErrNotFound unless every one of ids is a product of
// businessID.
func (s *Products) ownProducts(ctx context.Context, businessID int64, ids []int64) error {
	n, err := s.repo.Count(ctx, businessID, ids)
	if err != nil {
		return err
	}
	if n != int64(len(ids)) {
		return domain.ErrNotFound
	}
	return nil
}
