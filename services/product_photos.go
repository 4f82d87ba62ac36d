package services

import (
	"context"
	"fmt"
	"io"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/imagecodec"
)

// ProductImages returns the product and its images in order.
func (s *Images) ProductImages(ctx context.Context, businessID, productID int64) (*domain.Product, []domain.ProductImage, error) {
	p, err := s.repo.Product(ctx, businessID, productID)
	if err != nil {
		return nil, nil, err
	}
	list, err := s.repo.ListProductImages(ctx, businessID, productID)
	if err != nil {
		return nil, nil, err
	}
	return p, list, nil
}

// AddProductImage uploads an image and appends it to the product's photos,
// refusing more than domain.MaxProductImages.
func (s *Images) AddProductImage(ctx context.Context, businessID, productID int64, r io.Reader) (*domain.ProductImage, error) {
	// Refuse early, before reading the upload, when the product is full.
	_, list, err := s.ProductImages(ctx, businessID, productID)
	if err != nil {
		return nil, err
	}
	if len(list) >= domain.MaxProductImages {
		return nil, imageError(ImageErrLimit)
	}
	img, cleanup, err := s.saveUpload(ctx, businessID, r)
	if err != nil {
		return nil, err
	}
	return s.placeProductImage(ctx, businessID, productID, img, cleanup)
}

// AddEncodedProductImage appends an image the app drew itself, already
// encoded by imagecodec.EncodeDrawn, to the product's photos: it is stored exactly like
// an upload (same variants, files and rows), without a trip through a file.
func (s *Images) AddEncodedProductImage(ctx context.Context, businessID, productID int64, p *imagecodec.Image) (*domain.ProductImage, error) {
	img, cleanup, err := s.save(ctx, businessID, p)
	if err != nil {
		return nil, err
	}
	return s.placeProductImage(ctx, businessID, productID, img, cleanup)
}

// placeProductImage saves img's row and appends it to the product's photos,
// calling cleanup (which deletes its files) when that fails.
func (s *Images) placeProductImage(ctx context.Context, businessID, productID int64, img *domain.Image, cleanup func()) (*domain.ProductImage, error) {
	var pi *domain.ProductImage
	err := s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		// The product row is locked, so two uploads cannot both take the last place.
		list, err := s.lockedPhotos(ctx, businessID, productID)
		if err != nil {
			return err
		}
		if len(list) >= domain.MaxProductImages {
			return imageError(ImageErrLimit)
		}
		if err := s.repo.Create(ctx, businessID, img); err != nil {
			return fmt.Errorf("save image: %w", err)
		}
		pi, err = s.repo.AddProductImage(ctx, businessID, productID, img.ID)
		return err
	})
	if err != nil {
		cleanup()
		return nil, err
	}
	pi.Image = img
	return pi, nil
}

// DeleteProductImage removes an image of the product, with its files.
func (s *Images) DeleteProductImage(ctx context.Context, businessID, productID, imageID int64) error {
	var img *domain.Image
	err := s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		list, err := s.lockedPhotos(ctx, businessID, productID)
		if err != nil {
			return err
		}
		rest := make([]int64, 0, len(list))
		for _, pi := range list {
			if pi.ImageID == imageID {
				img = pi.Image
			} else {
				rest = append(rest, pi.ImageID)
			}
		}
		if img == nil {
			return domain.ErrNotFound
		}
		if err := s.repo.Delete(ctx, businessID, imageID); err != nil {
			return err
		}
		return s.repo.ReorderProductImages(ctx, businessID, productID, rest)
	})
	if err != nil {
		return err
	}
	s.removeFiles(ctx, img)
	return nil
}

// MoveProductImage moves an image one place earlier (up) or later in the
// product's photos; the first photo is the product's main one.
func (s *Images) MoveProductImage(ctx context.Context, businessID, productID, imageID int64, up bool) error {
	return s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		list, err := s.lockedPhotos(ctx, businessID, productID)
		if err != nil {
			return err
		}
		ids := make([]int64, len(list))
		for i, pi := range list {
			ids[i] = pi.ImageID
		}
		if err := moveID(ids, imageID, up); err != nil {
			return err
		}
		return s.repo.ReorderProductImages(ctx, businessID, productID, ids)
	})
}

// lockedPhotos locks the product's row (inside the write's transaction, so
// concurrent changes to its photos queue) and returns its photos in order.
func (s *Images) lockedPhotos(ctx context.Context, businessID, productID int64) ([]domain.ProductImage, error) {
	if _, err := s.repo.Product(ctx, businessID, productID); err != nil {
		return nil, err
	}
	return s.repo.ListProductImages(ctx, businessID, productID)
}
