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
	img, cleanup, err := s.saveUpload(ctx, businessID, r)
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

// saveUpload checks, re-encodes and writes every variant of an upload and returns
// the image (not yet saved) with a function that deletes what was written.
func (s *Images) saveUpload(ctx context.Context, businessID int64, r io.Reader) (*domain.Image, func(), error) {
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
