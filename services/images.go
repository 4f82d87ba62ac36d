package services

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"sort"
	"strconv"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"

	"github.com/qubly/qubly/domain"
)

// Upload limits. An upload is read only up to MaxImageBytes+1 bytes, and its
// header is checked against MaxImagePixels before the pixels are decoded, so
// a small file claiming a huge size (a decompression bomb) costs nothing.
const (
	MaxImageBytes  = 8 << 20
	MaxImagePixels = 40_000_000
	// JPEGQuality is used for opaque images; images with transparency are
	// stored as PNG.
	JPEGQuality = 82
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
	Tx      Transactor
	Purger  StorePurger
	Log     *slog.Logger
}

// Images accepts uploads (only real JPEG, PNG or WebP bytes within the size
// limits), stores them re-encoded without metadata at every width in
// domain.ImageWidths, and places them on products or as the store's logo and
// cover. A refused or failed upload leaves no file and no row behind.
type Images struct {
	repo    ImageRepo
	storage ImageStorage
	tx      Transactor
	purger  StorePurger
	log     *slog.Logger
	sem     chan struct{}
}

// NewImages returns the images service.
func NewImages(d ImagesDeps) *Images {
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	return &Images{repo: d.Repo, storage: d.Storage, tx: d.Tx, purger: d.Purger, log: log, sem: make(chan struct{}, maxDecodes)}
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
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
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
	s.purger.PurgeStore(ctx, businessID)
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
// encoded by EncodeImage, to the product's photos: it is stored exactly like
// an upload (same variants, files and rows), without a trip through a file.
func (s *Images) AddEncodedProductImage(ctx context.Context, businessID, productID int64, p *ProcessedImage) (*domain.ProductImage, error) {
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
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
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
	s.purger.PurgeStore(ctx, businessID)
	return pi, nil
}

// DeleteProductImage removes an image of the product, with its files.
func (s *Images) DeleteProductImage(ctx context.Context, businessID, productID, imageID int64) error {
	var img *domain.Image
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
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
	s.purger.PurgeStore(ctx, businessID)
	return nil
}

// MoveProductImage moves an image one place earlier (up) or later in the
// product's photos; the first photo is the product's main one.
func (s *Images) MoveProductImage(ctx context.Context, businessID, productID, imageID int64, up bool) error {
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
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
	s.purger.PurgeStore(ctx, businessID)
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
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
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
	s.purger.PurgeStore(ctx, businessID)
	return img, nil
}

// RemoveStoreImage clears the store's logo or cover and deletes the image.
func (s *Images) RemoveStoreImage(ctx context.Context, businessID int64, slot string) error {
	if slot != SlotLogo && slot != SlotCover {
		return domain.ErrNotFound
	}
	var old *domain.Image
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		old, err = s.swapStoreImage(ctx, businessID, slot, nil)
		return err
	})
	if err != nil {
		return err
	}
	s.removeFiles(ctx, old)
	s.purger.PurgeStore(ctx, businessID)
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
func (s *Images) save(ctx context.Context, businessID int64, p *ProcessedImage) (*domain.Image, func(), error) {
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

// ProcessedImage is an upload checked and re-encoded.
type ProcessedImage struct {
	// Format is "jpeg" or "png".
	Format string
	// Width and Height are the original's, upright.
	Width, Height int
	// Variants has one entry per domain.ImageWidths, in that order.
	Variants []ImageVariant
}

// ImageVariant is one stored copy. Width is the name it is stored under;
// PixelWidth is smaller when the original is narrower (never upscaled).
type ImageVariant struct {
	Width, PixelWidth, PixelHeight int
	Data                           []byte
}

// Image formats recognized by their first bytes.
const (
	formatJPEG = "jpeg"
	formatPNG  = "png"
	formatWebP = "webp"
)

// SniffImage names the format of data from its magic numbers: "jpeg", "png",
// "webp", or "" for anything else. The file name and the Content-Type the
// browser sent are never trusted.
func SniffImage(data []byte) string {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return formatJPEG
	case len(data) >= 8 && string(data[:8]) == "\x89PNG\r\n\x1a\n":
		return formatPNG
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return formatWebP
	}
	return ""
}

// ProcessImage reads an upload and returns it re-encoded at every width in
// domain.ImageWidths, or a validation error on the "image" field:
//   - more than MaxImageBytes: too big (at most MaxImageBytes+1 bytes are read);
//   - not JPEG, PNG or WebP by its bytes: wrong type;
//   - zero or more than MaxImagePixels pixels by its header: refused before
//     decoding, so a decompression bomb never allocates its pixels;
//   - a decoding error (truncated, corrupt): damaged.
//
// JPEG EXIF orientation is applied, so phone photos come out upright; the
// re-encoded copies carry no metadata at all (EXIF, GPS, ICC are dropped).
// Opaque images become JPEG (quality JPEGQuality), images with transparency
// PNG. Copies are never upscaled: when the original is narrower than a width,
// that width's copy is the original's size, so every URL stays valid.
func ProcessImage(r io.Reader) (*ProcessedImage, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImageBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if len(data) == 0 {
		return nil, imageError(ImageErrMissing)
	}
	if len(data) > MaxImageBytes {
		return nil, imageError(ImageErrTooBig)
	}
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	format := SniffImage(data)
	switch format {
	case formatJPEG:
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	case formatPNG:
		decodeConfig, decode = png.DecodeConfig, png.Decode
	case formatWebP:
		decodeConfig, decode = webp.DecodeConfig, webp.Decode
	default:
		return nil, imageError(ImageErrType)
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, imageError(ImageErrCorrupt)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, imageError(ImageErrCorrupt)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return nil, imageError(ImageErrTooLarge)
	}
	src, err := decode(bytes.NewReader(data))
	if err != nil {
		return nil, imageError(ImageErrCorrupt)
	}
	b := src.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, imageError(ImageErrCorrupt)
	}
	orientation := 1
	if format == formatJPEG {
		orientation = jpegOrientation(data)
	}
	return encodeVariants(src, orientation)
}

// EncodeImage encodes an image the app drew itself at every width in
// domain.ImageWidths, as ProcessImage does for an upload.
func EncodeImage(img image.Image) (*ProcessedImage, error) {
	return encodeVariants(img, 1)
}

func encodeVariants(src image.Image, orientation int) (*ProcessedImage, error) {
	opaque := isOpaque(src)
	sw, sh := src.Bounds().Dx(), src.Bounds().Dy()
	swap := orientation >= 5 // 90° turns: width and height trade places
	w, h := sw, sh
	if swap {
		w, h = sh, sw
	}
	out := &ProcessedImage{Format: "jpeg", Width: w, Height: h}
	if !opaque {
		out.Format = "png"
	}
	// Largest copy first: each smaller copy is scaled from the previous one,
	// which is much cheaper than from a 40 MP original and looks the same.
	order := make([]int, len(domain.ImageWidths))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return domain.ImageWidths[order[a]] > domain.ImageWidths[order[b]] })
	out.Variants = make([]ImageVariant, len(domain.ImageWidths))
	from := src
	var last *ImageVariant
	for _, i := range order {
		target := domain.ImageWidths[i]
		tw := min(target, w)
		th := max(1, int((int64(h)*int64(tw)+int64(w)/2)/int64(w)))
		if last != nil && last.PixelWidth == tw {
			// Same size as the previous copy: store the same bytes.
			out.Variants[i] = ImageVariant{Width: target, PixelWidth: tw, PixelHeight: th, Data: last.Data}
			continue
		}
		// Scale in the stored orientation, then turn the small result upright.
		dw, dh := tw, th
		if swap {
			dw, dh = th, tw
		}
		scaled := scale(from, dw, dh, opaque)
		from = scaled.image()
		upright := orient(scaled, orientation)
		var buf bytes.Buffer
		var err error
		if opaque {
			err = jpeg.Encode(&buf, upright, &jpeg.Options{Quality: JPEGQuality})
		} else {
			err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, upright)
		}
		if err != nil {
			return nil, fmt.Errorf("encode image: %w", err)
		}
		out.Variants[i] = ImageVariant{Width: target, PixelWidth: tw, PixelHeight: th, Data: buf.Bytes()}
		last = &out.Variants[i]
	}
	return out, nil
}

// isOpaque reports whether every pixel of img is fully opaque. Formats
// without alpha (YCbCr, Gray, CMYK) answer at once.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// pixels is an 8-bit, 4-channel image: *image.RGBA (opaque) or *image.NRGBA.
type pixels struct {
	pix    []byte
	stride int
	rect   image.Rectangle
	nrgba  bool
}

func (p pixels) image() image.Image {
	if p.nrgba {
		return &image.NRGBA{Pix: p.pix, Stride: p.stride, Rect: p.rect}
	}
	return &image.RGBA{Pix: p.pix, Stride: p.stride, Rect: p.rect}
}

// scale resizes src to w×h with Catmull-Rom (a copy when the size is kept).
func scale(src image.Image, w, h int, opaque bool) pixels {
	r := image.Rect(0, 0, w, h)
	var dst draw.Image
	var p pixels
	if opaque {
		d := image.NewRGBA(r)
		dst, p = d, pixels{pix: d.Pix, stride: d.Stride, rect: r}
	} else {
		d := image.NewNRGBA(r)
		dst, p = d, pixels{pix: d.Pix, stride: d.Stride, rect: r, nrgba: true}
	}
	b := src.Bounds()
	if b.Dx() == w && b.Dy() == h {
		draw.Draw(dst, r, src, b.Min, draw.Src)
	} else {
		draw.CatmullRom.Scale(dst, r, src, b, draw.Src, nil)
	}
	return p
}

// orient turns p upright for an EXIF orientation (1–8).
func orient(p pixels, orientation int) image.Image {
	if orientation < 2 || orientation > 8 {
		return p.image()
	}
	w, h := p.rect.Dx(), p.rect.Dy()
	nw, nh := w, h
	if orientation >= 5 {
		nw, nh = h, w
	}
	out := pixels{pix: make([]byte, nw*nh*4), stride: nw * 4, rect: image.Rect(0, 0, nw, nh), nrgba: p.nrgba}
	for y := 0; y < nh; y++ {
		for x := 0; x < nw; x++ {
			var sx, sy int
			switch orientation {
			case 2: // mirrored
				sx, sy = w-1-x, y
			case 3: // upside down
				sx, sy = w-1-x, h-1-y
			case 4: // mirrored upside down
				sx, sy = x, h-1-y
			case 5: // transposed
				sx, sy = y, x
			case 6: // turned 90° counter-clockwise: turn clockwise
				sx, sy = y, h-1-x
			case 7: // transversed
				sx, sy = w-1-y, h-1-x
			case 8: // turned 90° clockwise: turn counter-clockwise
				sx, sy = w-1-y, x
			}
			copy(out.pix[y*out.stride+x*4:y*out.stride+x*4+4], p.pix[sy*p.stride+sx*4:sy*p.stride+sx*4+4])
		}
	}
	return out.image()
}

// jpegOrientation reads the EXIF orientation (1–8) of a JPEG, 1 when it has
// none or it cannot be read.
func jpegOrientation(data []byte) int {
	i := 2 // after SOI
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return 1
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // image data starts: no EXIF before it
			return 1
		}
		if marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8) {
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
			return exifOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// exifOrientation finds tag 0x0112 in IFD0 of a TIFF-structured EXIF block.
func exifOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:]) != 42 {
		return 1
	}
	ifd := int64(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > int64(len(t)) {
		return 1
	}
	n := int64(bo.Uint16(t[ifd:]))
	for k := int64(0); k < n; k++ {
		e := ifd + 2 + 12*k
		if e+12 > int64(len(t)) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 { // SHORT
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}
