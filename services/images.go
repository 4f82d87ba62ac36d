package services

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/imagecodec"
)

// Upload limits (see imagecodec.Process).
const (
	MaxImageBytes  = imagecodec.MaxBytes
	MaxImagePixels = imagecodec.MaxPixels
	// maxDecodes bounds how many uploads are processed at once per instance:
	// a 24 MP photo takes about 1.7 s and 210 MB (decoded pixels plus the
	// scaler's buffers), a 40 MP one about 350 MB. Others wait their turn.
	maxDecodes = 1
)

// Store image slots.
const (
	SlotLogo  = "logo"
	SlotCover = "cover"
)

// ImageField is the form field that carries an upload; validation errors
// name it.
const ImageField = "image"

// Reasons an upload is refused, as i18n keys of the "image" field error.
const (
	ImageErrMissing  = "images.error.missing"
	ImageErrType     = "images.error.type"
	ImageErrTooBig   = "images.error.too_big"
	ImageErrTooLarge = "images.error.too_many_pixels"
	ImageErrCorrupt  = "images.error.corrupt"
	ImageErrLimit    = "images.error.limit"
)

func imageError(key string) error {
	v := &domain.ValidationError{}
	v.Add(ImageField, key, map[string]any{
		"MaxMB": MaxImageBytes >> 20, "MaxMP": MaxImagePixels / 1_000_000, "Max": domain.MaxProductImages,
	})
	return v
}

// ImageStorage keeps image files by key (integrations/storage).
type ImageStorage interface {
	Put(ctx context.Context, key, contentType string, r io.Reader) error
	Delete(ctx context.Context, key string) error
}

// ImageRepo is what Images needs of the images repository. Every method is
// scoped by the business; another tenant's rows are domain.ErrNotFound.
type ImageRepo interface {
	Create(ctx context.Context, businessID int64, img *domain.Image) error
	Get(ctx context.Context, businessID, imageID int64) (*domain.Image, error)
	// Delete removes the image row and every reference to it (product
	// images, the store's logo or cover).
	Delete(ctx context.Context, businessID, imageID int64) error
	// Product returns the product, locked for update inside a transaction.
	Product(ctx context.Context, businessID, productID int64) (*domain.Product, error)
	ListProductImages(ctx context.Context, businessID, productID int64) ([]domain.ProductImage, error)
	AddProductImage(ctx context.Context, businessID, productID, imageID int64) (*domain.ProductImage, error)
	ReorderProductImages(ctx context.Context, businessID, productID int64, imageIDs []int64) error
	// SetBusinessImage points the store's slot ("logo", "cover") at imageID
	// (nil clears it) and returns the previous image ID.
	SetBusinessImage(ctx context.Context, businessID int64, slot string, imageID *int64) (*int64, error)
}

// ImagesDeps are what Images needs.
type ImagesDeps struct {
	Repo    ImageRepo
	Storage ImageStorage
	Writes  *StoreWrites
	Log     *slog.Logger
}

// Images accepts uploads (only real JPEG, PNG or WebP bytes within the size
// limits), stores them re-encoded without metadata at every width in
// domain.ImageWidths, and places them on products or as the store's logo and
// cover. A refused or failed upload leaves no file and no row behind.
type Images struct {
	repo    ImageRepo
	storage ImageStorage
	writes  *StoreWrites
	log     *slog.Logger
	sem     chan struct{}
}

// NewImages returns the images service.
func NewImages(d ImagesDeps) *Images {
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	return &Images{repo: d.Repo, storage: d.Storage, writes: d.Writes, log: log, sem: make(chan struct{}, maxDecodes)}
}

// Get returns one of the business's images.
func (s *Images) Get(ctx context.Context, businessID, imageID int64) (*domain.Image, error) {
	return s.repo.Get(ctx, businessID, imageID)
}

// Upload stores an image for the business, not yet placed anywhere.
func (s *Images) Upload(ctx context.Context, businessID int64, r io.Reader) (*domain.Image, error) {
	img, cleanup, err := s.store(ctx, businessID, r)
	if err != nil {
		return nil, err
	}
	if err := s.repo.Create(ctx, businessID, img); err != nil {
		cleanup()
		return nil, fmt.Errorf("save image: %w", err)
	}
	return img, nil
}

// Delete removes one of the business's images, its references and its files.
func (s *Images) Delete(ctx context.Context, businessID, imageID int64) error {
	var img *domain.Image
	err := s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		var err error
		if img, err = s.repo.Get(ctx, businessID, imageID); err != nil {
			return err
		}
		return s.repo.Delete(ctx, businessID, imageID)
	})
	if err != nil {
		return err
	}
	s.removeFiles(ctx, img)
	return nil
}

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
	img, cleanup, err := s.store(ctx, businessID, r)
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
		if _, err := s.repo.Product(ctx, businessID, productID); err != nil {
			return err
		}
		list, err := s.repo.ListProductImages(ctx, businessID, productID)
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
		if _, err := s.repo.Product(ctx, businessID, productID); err != nil {
			return err
		}
		list, err := s.repo.ListProductImages(ctx, businessID, productID)
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
	err := s.writes.Write(ctx, businessID, func(ctx context.Context) error {
		if _, err := s.repo.Product(ctx, businessID, productID); err != nil {
			return err
		}
		list, err := s.repo.ListProductImages(ctx, businessID, productID)
		if err != nil {
			return err
		}
		ids := make([]int64, len(list))
		at := -1
		for i, pi := range list {
			ids[i] = pi.ImageID
			if pi.ImageID == imageID {
				at = i
			}
		}
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
		return s.repo.ReorderProductImages(ctx, businessID, productID, ids)
	})
	if err != nil {
		return err
	}
	return nil
}

// SetStoreImage uploads the store's logo or cover (slot), replacing and
// deleting the previous one.
func (s *Images) SetStoreImage(ctx context.Context, businessID int64, slot string, r io.Reader) (*domain.Image, error) {
	if slot != SlotLogo && slot != SlotCover {
		return nil, domain.ErrNotFound
	}
	img, cleanup, err := s.store(ctx, businessID, r)
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

// store checks, re-encodes and writes every variant of an upload and returns
// the image (not yet saved) with a function that deletes what was written.
func (s *Images) store(ctx context.Context, businessID int64, r io.Reader) (*domain.Image, func(), error) {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	p, err := ProcessImage(r)
	<-s.sem
	if err != nil {
		return nil, nil, err
	}
	return s.save(ctx, businessID, p)
}

// save writes every variant of a processed image and returns the image
// (not yet saved) with a function that deletes what was written.
func (s *Images) save(ctx context.Context, businessID int64, p *imagecodec.Image) (*domain.Image, func(), error) {
	rnd := make([]byte, 8)
	if _, err := rand.Read(rnd); err != nil {
		return nil, nil, err
	}
	img := &domain.Image{
		BusinessID: businessID, Key: "b" + strconv.FormatInt(businessID, 10) + "/" + hex.EncodeToString(rnd),
		Format: p.Format, Width: p.Width, Height: p.Height,
	}
	contentType := "image/jpeg"
	if p.Format == "png" {
		contentType = "image/png"
	}
	var written []string
	cleanup := func() {
		// The request may be gone; the files must go anyway.
		ctx := context.WithoutCancel(ctx)
		for _, k := range written {
			if err := s.storage.Delete(ctx, k); err != nil {
				s.log.Error("delete image file", "key", k, "err", err)
			}
		}
	}
	for _, v := range p.Variants {
		k := VariantKey(img, v.Width)
		written = append(written, k)
		if err := s.storage.Put(ctx, k, contentType, bytes.NewReader(v.Data)); err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("store image %s: %w", k, err)
		}
		img.Bytes += int64(len(v.Data))
	}
	return img, cleanup, nil
}

// RemoveFiles deletes the files of an image whose row was never committed
// (a caller's transaction around AddProductImage failed).
func (s *Images) RemoveFiles(ctx context.Context, img *domain.Image) { s.removeFiles(ctx, img) }

// removeFiles deletes an image's files after its row is gone. A failure is
// logged: the row is already deleted, so at worst a file is left unused.
func (s *Images) removeFiles(ctx context.Context, img *domain.Image) {
	if img == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	for _, w := range domain.ImageWidths {
		k := VariantKey(img, w)
		if err := s.storage.Delete(ctx, k); err != nil {
			s.log.Error("delete image file", "key", k, "err", err)
		}
	}
}

// VariantKey is the storage key of img's copy at width; img.URL(width) is
// "/media/" + VariantKey(img, width).
func VariantKey(img *domain.Image, width int) string {
	return img.Key + "-" + strconv.Itoa(width) + "." + img.Ext()
}

// ProcessImage checks an upload and re-encodes it at every width in
// domain.ImageWidths (see imagecodec.Process); a refused upload is a
// validation error on the "image" field.
func ProcessImage(r io.Reader) (*imagecodec.Image, error) {
	p, err := imagecodec.Process(r, domain.ImageWidths)
	switch {
	case errors.Is(err, imagecodec.ErrEmpty):
		return nil, imageError(ImageErrMissing)
	case errors.Is(err, imagecodec.ErrTooBig):
		return nil, imageError(ImageErrTooBig)
	case errors.Is(err, imagecodec.ErrType):
		return nil, imageError(ImageErrType)
	case errors.Is(err, imagecodec.ErrTooManyPixels):
		return nil, imageError(ImageErrTooLarge)
	case errors.Is(err, imagecodec.ErrCorrupt):
		return nil, imageError(ImageErrCorrupt)
	}
	return p, err
}
