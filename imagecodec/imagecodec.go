// Package imagecodec checks and re-encodes images: it sniffs JPEG, PNG and
// WebP by their bytes, refuses decompression bombs before decoding, applies
// the JPEG EXIF orientation, drops all metadata and writes copies at several
// widths (JPEG when opaque, PNG with transparency). It does no I/O beyond
// the reader it is given.
package imagecodec

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"sort"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// Limits. An image is read only up to MaxBytes+1 bytes, and its header is
// checked against MaxPixels before the pixels are decoded, so a small file
// claiming a huge size (a decompression bomb) costs nothing.
const (
	MaxBytes  = 8 << 20
	MaxPixels = 40_000_000
	// JPEGQuality is used for opaque images; images with transparency are
	// stored as PNG.
	JPEGQuality = 82
)

// Reasons an image is refused.
var (
	ErrEmpty         = errors.New("imagecodec: no image")
	ErrTooBig        = errors.New("imagecodec: file too big")
	ErrType          = errors.New("imagecodec: not a JPEG, PNG or WebP image")
	ErrTooManyPixels = errors.New("imagecodec: too many pixels")
	ErrCorrupt       = errors.New("imagecodec: damaged image")
)

// Image is an image checked and re-encoded at several widths.
type Image struct {
	// Format is "jpeg" or "png".
	Format string
	// Width and Height are the original's, upright.
	Width, Height int
	// Variants has one entry per requested width, in that order.
	Variants []Variant
}

// Variant is one stored copy. Width is the name it is stored under;
// PixelWidth is smaller when the original is narrower (never upscaled).
type Variant struct {
	Width, PixelWidth, PixelHeight int
	Data                           []byte
}

// Image formats recognized by their first bytes.
const (
	formatJPEG = "jpeg"
	formatPNG  = "png"
	formatWebP = "webp"
)

// Sniff names the format of data from its magic numbers: "jpeg", "png",
// "webp", or "" for anything else. The file name and the Content-Type the
// browser sent are never trusted.
func Sniff(data []byte) string {
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

// Process reads an encoded image and returns it re-encoded at each of
// widths, or one of the errors above:
//   - more than MaxBytes: ErrTooBig (at most MaxBytes+1 bytes are read);
//   - nothing read: ErrEmpty;
//   - not JPEG, PNG or WebP by its bytes: ErrType;
//   - zero or more than MaxPixels pixels by its header: refused before
//     decoding (ErrTooManyPixels, ErrCorrupt), so a decompression bomb never
//     allocates its pixels;
//   - a decoding error (truncated, corrupt): ErrCorrupt.
//
// JPEG EXIF orientation is applied, so phone photos come out upright; the
// re-encoded copies carry no metadata at all (EXIF, GPS, ICC are dropped).
// Opaque images become JPEG (quality JPEGQuality), images with transparency
// PNG. Copies are never upscaled: when the original is narrower than a width,
// that width's copy is the original's size, so every URL stays valid.
func Process(r io.Reader, widths []int) (*Image, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read image: %w", err)
	}
	if len(data) == 0 {
		return nil, ErrEmpty
	}
	if len(data) > MaxBytes {
		return nil, ErrTooBig
	}
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	format := Sniff(data)
	switch format {
	case formatJPEG:
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	case formatPNG:
		decodeConfig, decode = png.DecodeConfig, png.Decode
	case formatWebP:
		decodeConfig, decode = webp.DecodeConfig, webp.Decode
	default:
		return nil, ErrType
	}
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, ErrCorrupt
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, ErrTooManyPixels
	}
	src, err := decode(bytes.NewReader(data))
	if err != nil {
		return nil, ErrCorrupt
	}
	b := src.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, ErrCorrupt
	}
	orientation := 1
	if format == formatJPEG {
		orientation = jpegOrientation(data)
	}
	return encodeVariants(src, orientation, widths)
}

func encodeVariants(src image.Image, orientation int, widths []int) (*Image, error) {
	opaque := IsOpaque(src)
	sw, sh := src.Bounds().Dx(), src.Bounds().Dy()
	swap := orientation >= 5 // 90° turns: width and height trade places
	w, h := sw, sh
	if swap {
		w, h = sh, sw
	}
	out := &Image{Format: "jpeg", Width: w, Height: h}
	if !opaque {
		out.Format = "png"
	}
	// Largest copy first: each smaller copy is scaled from the previous one,
	// which is much cheaper than from a 40 MP original and looks the same.
	order := make([]int, len(widths))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return widths[order[a]] > widths[order[b]] })
	out.Variants = make([]Variant, len(widths))
	from := src
	var last *Variant
	for _, i := range order {
		target := widths[i]
		tw := min(target, w)
		th := max(1, int((int64(h)*int64(tw)+int64(w)/2)/int64(w)))
		if last != nil && last.PixelWidth == tw {
			// Same size as the previous copy: store the same bytes.
			out.Variants[i] = Variant{Width: target, PixelWidth: tw, PixelHeight: th, Data: last.Data}
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
		data, err := encode(upright, opaque)
		if err != nil {
			return nil, err
		}
		out.Variants[i] = Variant{Width: target, PixelWidth: tw, PixelHeight: th, Data: data}
		last = &out.Variants[i]
	}
	return out, nil
}

// EncodeDrawn encodes a picture the app draws itself, drawing it anew at
// each of widths: sharper, and much cheaper, than scaling one large drawing
// down. draw returns the picture width pixels wide; the largest sets the
// Image's size. Opaque drawings become JPEG, others PNG.
func EncodeDrawn(draw func(width int) (image.Image, error), widths []int) (*Image, error) {
	out := &Image{Format: "jpeg", Variants: make([]Variant, len(widths))}
	for i, w := range widths {
		img, err := draw(w)
		if err != nil {
			return nil, err
		}
		b := img.Bounds()
		opaque := IsOpaque(img)
		if !opaque {
			out.Format = "png"
		}
		data, err := encode(img, opaque)
		if err != nil {
			return nil, err
		}
		out.Variants[i] = Variant{Width: w, PixelWidth: b.Dx(), PixelHeight: b.Dy(), Data: data}
		if b.Dx() > out.Width {
			out.Width, out.Height = b.Dx(), b.Dy()
		}
	}
	return out, nil
}

// encode writes img as JPEG (quality JPEGQuality) when opaque, else as PNG.
func encode(img image.Image, opaque bool) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if opaque {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: JPEGQuality})
	} else {
		err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img)
	}
	if err != nil {
		return nil, fmt.Errorf("encode image: %w", err)
	}
	return buf.Bytes(), nil
}

// IsOpaque reports whether every pixel of img is fully opaque. Formats
// without alpha (YCbCr, Gray, CMYK) answer at once.
func IsOpaque(img image.Image) bool {
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
