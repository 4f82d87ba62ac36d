package services

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/imagecodec"
)

// StoreIconSizes are the square sizes of a store's app icons (PWA manifest).
var StoreIconSizes = []int{192, 512}

// IconFiles opens stored image files by key (integrations/storage).
type IconFiles interface {
	Open(ctx context.Context, key string) (io.ReadCloser, int64, error)
}

// IconImageRepo loads a store's image rows.
type IconImageRepo interface {
	Get(ctx context.Context, businessID, imageID int64) (*domain.Image, error)
}

// IconCache keeps generated icons per store until the store changes
// (*StoreCache).
type IconCache interface {
	Get(businessID int64, key string) (any, bool)
	Set(businessID int64, key string, v any)
}

// StoreIcon is a generated PNG icon.
type StoreIcon struct {
	PNG  []byte
	ETag string
}

// StoreIcons draws a store's square app icons: its logo centered on a
// background that suits it, or, without a logo, the store's initial on its
// primary color. Icons are cached per store; the cache is purged when the
// logo, name or colors change.
type StoreIcons struct {
	images IconImageRepo
	files  IconFiles
	cache  IconCache
	face   *opentype.Font
}

// NewStoreIcons returns the icon maker.
func NewStoreIcons(images IconImageRepo, files IconFiles, cache IconCache) *StoreIcons {
	f, err := opentype.Parse(gobold.TTF)
	if err != nil {
		panic(fmt.Sprintf("parse embedded Go Bold font: %v", err)) // a build problem, not a runtime one
	}
	return &StoreIcons{images: images, files: files, cache: cache, face: f}
}

// IconVersion changes whenever what the icon is drawn from changes, so icon
// URLs carrying it can be cached for a year.
func IconVersion(b *domain.Business) string {
	logo := int64(0)
	if b.LogoImageID != nil {
		logo = *b.LogoImageID
	}
	sum := sha256.Sum256([]byte(strconv.FormatInt(logo, 10) + "|" + b.PrimaryColor + "|" + storeInitial(b)))
	return hex.EncodeToString(sum[:])[:10]
}

// Icon returns the store's size×size PNG icon; size must be one of
// StoreIconSizes.
func (s *StoreIcons) Icon(ctx context.Context, b *domain.Business, size int) (*StoreIcon, error) {
	ok := false
	for _, v := range StoreIconSizes {
		ok = ok || v == size
	}
	if !ok {
		return nil, domain.ErrNotFound
	}
	key := "pwa-icon:" + strconv.Itoa(size) + ":" + IconVersion(b)
	if v, ok := s.cache.Get(b.ID, key); ok {
		return v.(*StoreIcon), nil
	}
	logo, err := s.logo(ctx, b, size)
	if err != nil {
		return nil, err
	}
	var img image.Image
	if logo != nil {
		img = logoIcon(logo, size, parseHexColor(b.PrimaryColor))
	} else {
		img = s.initialIcon(storeInitial(b), size, parseHexColor(b.PrimaryColor))
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode icon: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	icon := &StoreIcon{PNG: buf.Bytes(), ETag: `"` + hex.EncodeToString(sum[:])[:20] + `"`}
	s.cache.Set(b.ID, key, icon)
	return icon, nil
}

// logo decodes the store's logo from the smallest stored copy that covers
// size, or returns nil when the store has none (or its file is gone).
func (s *StoreIcons) logo(ctx context.Context, b *domain.Business, size int) (image.Image, error) {
	if b.LogoImageID == nil {
		return nil, nil
	}
	img, err := s.images.Get(ctx, b.ID, *b.LogoImageID)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	width := domain.ImageWidths[len(domain.ImageWidths)-1]
	for _, w := range domain.ImageWidths {
		if w >= size {
			width = w
			break
		}
	}
	f, _, err := s.files.Open(ctx, VariantKey(img, width))
	if errors.Is(err, domain.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var decoded image.Image
	if img.Format == "png" {
		decoded, err = png.Decode(f)
	} else {
		decoded, err = jpeg.Decode(f)
	}
	if err != nil {
		return nil, fmt.Errorf("decode logo %s: %w", img.Key, err)
	}
	return decoded, nil
}

// logoIcon centers the logo, scaled to fit 80% of the square, on a
// background that suits it: an opaque logo's own edge color (so it blends
// in), white behind a transparent dark logo, the primary color behind a
// transparent light one.
func logoIcon(logo image.Image, size int, primary color.RGBA) image.Image {
	bg := color.RGBA{255, 255, 255, 255}
	if imagecodec.IsOpaque(logo) {
		bg = edgeColor(logo)
	} else if lightInk(logo) {
		bg = primary
		if rgbLuminance(primary) > 0.6 {
			bg = color.RGBA{31, 41, 55, 255}
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, size, size))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	lb := logo.Bounds()
	box := size * 8 / 10
	w, h := box, box
	if lb.Dx() >= lb.Dy() {
		h = max(1, lb.Dy()*box/lb.Dx())
	} else {
		w = max(1, lb.Dx()*box/lb.Dy())
	}
	at := image.Rect((size-w)/2, (size-h)/2, (size-w)/2+w, (size-h)/2+h)
	draw.CatmullRom.Scale(dst, at, logo, lb, draw.Over, nil)
	return dst
}

// initialIcon draws letter centered on the primary color, in white or dark
// gray, whichever reads better.
func (s *StoreIcons) initialIcon(letter string, size int, primary color.RGBA) image.Image {
	dst := image.NewRGBA(image.Rect(0, 0, size, size))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(primary), image.Point{}, draw.Src)
	ink := color.RGBA{255, 255, 255, 255}
	if rgbLuminance(primary) > 0.6 {
		ink = color.RGBA{31, 41, 55, 255}
	}
	face, err := opentype.NewFace(s.face, &opentype.FaceOptions{Size: float64(size) * 0.55, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return dst
	}
	defer face.Close()
	d := &font.Drawer{Dst: dst, Src: image.NewUniform(ink), Face: face}
	bounds, _ := d.BoundString(letter)
	// Center the glyph's ink box, not its advance box.
	inkW, inkH := bounds.Max.X-bounds.Min.X, bounds.Max.Y-bounds.Min.Y
	half := fixed.I(size) / 2
	d.Dot = fixed.Point26_6{X: half - inkW/2 - bounds.Min.X, Y: half - inkH/2 - bounds.Min.Y}
	d.DrawString(letter)
	return dst
}

// storeInitial is the first letter or digit of the store's name, upper-cased
// ("Q" when the name has none the font can draw).
func storeInitial(b *domain.Business) string {
	for _, r := range b.Name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if r < 0x250 { // Latin scripts, which the Go font covers
				return strings.ToUpper(string(r))
			}
			break
		}
	}
	for _, r := range b.Slug {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return strings.ToUpper(string(r))
		}
	}
	return "Q"
}

// parseHexColor reads "#rrggbb"; anything else is Qubly green.
func parseHexColor(s string) color.RGBA {
	if len(s) == 7 && s[0] == '#' {
		if v, err := strconv.ParseUint(s[1:], 16, 32); err == nil {
			return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
		}
	}
	return color.RGBA{4, 120, 87, 255}
}

// rgbLuminance is the relative luminance (0 black … 1 white) of c, roughly.
func rgbLuminance(c color.RGBA) float64 {
	return (0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)) / 255
}

// edgeColor averages the border pixels of img.
func edgeColor(img image.Image) color.RGBA {
	b := img.Bounds()
	var r, g, bl, n uint64
	add := func(x, y int) {
		cr, cg, cb, _ := img.At(x, y).RGBA()
		r, g, bl, n = r+uint64(cr>>8), g+uint64(cg>>8), bl+uint64(cb>>8), n+1
	}
	for x := b.Min.X; x < b.Max.X; x++ {
		add(x, b.Min.Y)
		add(x, b.Max.Y-1)
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		add(b.Min.X, y)
		add(b.Max.X-1, y)
	}
	if n == 0 {
		return color.RGBA{255, 255, 255, 255}
	}
	return color.RGBA{uint8(r / n), uint8(g / n), uint8(bl / n), 255}
}

// lightInk reports whether the visible pixels of a transparent image are
// mostly light (a white logo would vanish on a white background).
func lightInk(img image.Image) bool {
	b := img.Bounds()
	step := max(1, b.Dx()/64)
	var sum, weight float64
	for y := b.Min.Y; y < b.Max.Y; y += step {
		for x := b.Min.X; x < b.Max.X; x += step {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if c.A < 128 {
				continue
			}
			sum += rgbLuminance(color.RGBA{c.R, c.G, c.B, 255})
			weight++
		}
	}
	return weight > 0 && sum/weight > 0.75
}
