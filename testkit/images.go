package testkit

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// NoisyImage is an opaque w×h picture of random pixels (always the same),
// with enough detail that JPEG cannot shrink it to nothing.
func NoisyImage(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = byte(r.IntN(256))
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	return img
}

// EncodeJPEG encodes img as a quality-90 JPEG.
func EncodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// EncodePNG encodes img as a PNG.
func EncodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// JPEG is a w×h NoisyImage encoded as JPEG.
func JPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	return EncodeJPEG(t, NoisyImage(w, h))
}

// PNG is a w×h NoisyImage encoded as PNG.
func PNG(t testing.TB, w, h int) []byte {
	t.Helper()
	return EncodePNG(t, NoisyImage(w, h))
}

// BombPNG is a valid, small PNG (all-black 1-bit grayscale, so it compresses
// to almost nothing) whose header claims w×h pixels: a decompression bomb.
func BombPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		out.WriteString(typ)
		out.Write(data)
		binary.Write(&out, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8] = 1 // 1-bit grayscale
	chunk("IHDR", ihdr)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	row := make([]byte, 1+(w+7)/8)
	for y := 0; y < h; y++ {
		zw.Write(row)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

// WebP is services/testdata/photo.webp, a real WebP photo; it works from
// any package's tests.
func WebP(t testing.TB) []byte {
	t.Helper()
	return ServicesTestdata(t, "photo.webp")
}

// ServicesTestdata reads a file from services/testdata.
func ServicesTestdata(t testing.TB, name string) []byte {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("testkit: cannot locate its own source")
	}
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "services", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
