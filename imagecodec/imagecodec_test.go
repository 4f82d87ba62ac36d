package imagecodec_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"github.com/qubly/qubly/imagecodec"
)

func solid(w, h int, c color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

func TestProcessRefusesWithItsErrors(t *testing.T) {
	var huge bytes.Buffer
	// A PNG header claiming 10,000 × 10,000 pixels: refused before decoding.
	png.Encode(&huge, solid(1, 1, color.NRGBA{A: 255}))
	b := huge.Bytes()
	copy(b[16:24], []byte{0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10})
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29])) // the IHDR chunk's CRC
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"empty", nil, imagecodec.ErrEmpty},
		{"too big", bytes.Repeat([]byte{0xFF}, imagecodec.MaxBytes+1), imagecodec.ErrTooBig},
		{"text", []byte("GIF89a not really"), imagecodec.ErrType},
		{"bomb", b, imagecodec.ErrTooManyPixels},
		{"truncated jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 16}, imagecodec.ErrCorrupt},
	} {
		if _, err := imagecodec.Process(bytes.NewReader(tc.data), []int{400}); !errors.Is(err, tc.want) {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.want)
		}
	}
}

func pngOf(img image.Image) *bytes.Reader {
	var b bytes.Buffer
	png.Encode(&b, img)
	return bytes.NewReader(b.Bytes())
}

func TestProcessWritesEveryWidthWithoutUpscaling(t *testing.T) {
	opaque, err := imagecodec.Process(pngOf(solid(800, 400, color.NRGBA{200, 100, 50, 255})), []int{400, 1200})
	if err != nil {
		t.Fatal(err)
	}
	if opaque.Format != "jpeg" || opaque.Width != 800 || opaque.Height != 400 || len(opaque.Variants) != 2 {
		t.Fatalf("opaque: %s %d×%d, %d variants", opaque.Format, opaque.Width, opaque.Height, len(opaque.Variants))
	}
	for i, want := range [][3]int{{400, 400, 200}, {1200, 800, 400}} {
		v := opaque.Variants[i]
		got, err := jpeg.Decode(bytes.NewReader(v.Data))
		if err != nil || v.Width != want[0] || got.Bounds().Dx() != want[1] || got.Bounds().Dy() != want[2] {
			t.Errorf("variant %d: %d named, %v decoded (%v), want %v", i, v.Width, got.Bounds(), err, want)
		}
	}
	clear, err := imagecodec.Process(pngOf(solid(10, 10, color.NRGBA{0, 0, 0, 100})), []int{400})
	if err != nil || clear.Format != "png" || imagecodec.Sniff(clear.Variants[0].Data) != "png" {
		t.Fatalf("transparent image: %v %+v", err, clear)
	}
}

func TestSniffTrustsOnlyTheBytes(t *testing.T) {
	for data, want := range map[string]string{
		"\xFF\xD8\xFFrest":         "jpeg",
		"\x89PNG\r\n\x1a\nrest":    "png",
		"RIFF\x00\x00\x00\x00WEBP": "webp",
		"<svg>":                    "",
		strings.Repeat("x", 20):    "",
	} {
		if got := imagecodec.Sniff([]byte(data)); got != want {
			t.Errorf("Sniff(%q) = %q, want %q", data, got, want)
		}
	}
}

func TestEncodeDrawnDrawsEveryWidth(t *testing.T) {
	var asked []int
	p, err := imagecodec.EncodeDrawn(func(w int) (image.Image, error) {
		asked = append(asked, w)
		return solid(w, w/2, color.NRGBA{10, 120, 80, 255}), nil
	}, []int{400, 1200})
	if err != nil {
		t.Fatal(err)
	}
	if len(asked) != 2 || asked[0] != 400 || asked[1] != 1200 || p.Format != "jpeg" || p.Width != 1200 || p.Height != 600 {
		t.Fatalf("asked %v, got %s %d×%d", asked, p.Format, p.Width, p.Height)
	}
	for i, w := range []int{400, 1200} {
		v := p.Variants[i]
		img, err := jpeg.Decode(bytes.NewReader(v.Data))
		if err != nil || v.Width != w || v.PixelWidth != w || img.Bounds().Dx() != w || img.Bounds().Dy() != w/2 {
			t.Errorf("variant %d: %+v decoded %v (%v)", i, v.Width, img.Bounds(), err)
		}
	}
}
