package services

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/qubly/qubly/domain"
)

// SetStoreImage uploads the store's logo or cover (slot), replacing and
// deleting the previous one.
func (s *Images) SetStoreImage(ctx context.Context, businessID int64, slot string, r io.Reader) (*domain.Image, error) {
	if slot != SlotLogo && slot != SlotCover {
		return nil, domain.ErrNotFound
	}
	img, cleanup, err := s.saveUpload(ctx, businessID, r)
	if err != nil {
		return nil, err
	}
	var old *domain.Image
	err = s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		if err := s.repo.Create(ctx, businessID, img); err != nil {
			return fmt.Errorf("save image: %w", err)
		}
		var err error
		old, err = s.swapStoreImage(ctx, businessID, slot, &img.ID)
		return err
	})
	if err != nil {
		cleanup()
		return nil, err
	}
	s.removeFiles(ctx, old)
	return img, nil
}

// RemoveStoreImage clears the store's logo or cover and deletes the image.
func (s *Images) RemoveStoreImage(ctx context.Context, businessID int64, slot string) error {
	if slot != SlotLogo && slot != SlotCover {
		return domain.ErrNotFound
	}
	var old *domain.Image
	err := s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		var err error
		old, err = s.swapStoreImage(ctx, businessID, slot, nil)
		return err
	})
	if err != nil {
		return err
	}
	s.removeFiles(ctx, old)
	return nil
}

// swapStoreImage sets the slot and deletes the previous image's row,
// returning it so its files can go once the transaction commits.
func (s *Images) swapStoreImage(ctx context.Context, businessID int64, slot string, imageID *int64) (*domain.Image, error) {
	prev, err := s.repo.SetBusinessImage(ctx, businessID, slot, imageID)
	if err != nil || prev == nil || (imageID != nil && *prev == *imageID) {
		return nil, err
	}
	old, err := s.repo.Get(ctx, businessID, *prev)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return old, s.repo.Delete(ctx, businessID, old.ID)
}
