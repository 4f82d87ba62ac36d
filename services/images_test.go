package services_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/imagecodec"
	"github.com/qubly/qubly/integrations/storage"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// --- test images -----------------------------------------------------------

// transparentPNG is a w×h PNG whose left half is see-through.
func transparentPNG(t testing.TB, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := uint8(255)
			if x < w/2 {
				a = 0
			}
			img.SetNRGBA(x, y, color.NRGBA{200, 30, 30, a})
		}
	}
	return testkit.EncodePNG(t, img)
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withOrientation inserts an EXIF block with the orientation tag after SOI.
func withOrientation(jpg []byte, orientation uint16) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint16(tiff[18:], orientation)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// --- ProcessImage ------------------------------------------------------------

func decodeVariant(t *testing.T, v imagecodec.Variant) image.Image {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(v.Data))
	if err != nil {
		t.Fatalf("variant %d does not decode: %v", v.Width, err)
	}
	if img.Bounds().Dx() != v.PixelWidth || img.Bounds().Dy() != v.PixelHeight {
		t.Fatalf("variant %d: %v, want %dx%d", v.Width, img.Bounds(), v.PixelWidth, v.PixelHeight)
	}
	return img
}

func TestProcessImageAcceptsRealImages(t *testing.T) {
	cases := []struct {
		name       string
		data       []byte
		format     string
		w, h       int
		variantsWH [][2]int
	}{
		{"large jpeg", testkit.JPEG(t, 1280, 320), "jpeg", 1280, 320, [][2]int{{400, 100}, {1200, 300}}},
		{"medium jpeg", testkit.JPEG(t, 600, 300), "jpeg", 600, 300, [][2]int{{400, 200}, {600, 300}}},
		{"opaque png", testkit.PNG(t, 500, 250), "jpeg", 500, 250, [][2]int{{400, 200}, {500, 250}}},
		{"transparent png", transparentPNG(t, 300, 200), "png", 300, 200, [][2]int{{300, 200}, {300, 200}}},
		{"lossy webp", readTestdata(t, "photo.webp"), "jpeg", 150, 100, [][2]int{{150, 100}, {150, 100}}},
		{"webp with alpha", readTestdata(t, "alpha.webp"), "png", 75, 100, [][2]int{{75, 100}, {75, 100}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := services.ProcessImage(bytes.NewReader(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if p.Format != tc.format || p.Width != tc.w || p.Height != tc.h {
				t.Fatalf("got %s %dx%d", p.Format, p.Width, p.Height)
			}
			if len(p.Variants) != len(domain.ImageWidths) {
				t.Fatalf("%d variants", len(p.Variants))
			}
			for i, v := range p.Variants {
				if v.Width != domain.ImageWidths[i] || v.PixelWidth != tc.variantsWH[i][0] || v.PixelHeight != tc.variantsWH[i][1] {
					t.Fatalf("variant %d: %+v", i, v)
				}
				img := decodeVariant(t, v)
				wantJPEG := tc.format == "jpeg"
				if got := imagecodec.Sniff(v.Data) == "jpeg"; got != wantJPEG {
					t.Fatalf("variant %d encoded wrongly", i)
				}
				if tc.format == "png" {
					if _, _, _, a := img.At(0, img.Bounds().Dy()/2).RGBA(); tc.name == "transparent png" && a != 0 {
						t.Fatal("transparency lost")
					}
				}
			}
		})
	}
}

func TestProcessImageStripsEXIFAndAppliesOrientation(t *testing.T) {
	// Stored sideways as 200×100: left half red, right half blue. Orientation 6
	// says "turn clockwise to view": upright it is 100×200, red on top.
	src := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for y := 0; y < 100; y++ {
		for x := 0; x < 200; x++ {
			c := color.RGBA{220, 0, 0, 255}
			if x >= 100 {
				c = color.RGBA{0, 0, 220, 255}
			}
			src.SetRGBA(x, y, c)
		}
	}
	data := withOrientation(testkit.EncodeJPEG(t, src), 6)
	if !bytes.Contains(data, []byte("Exif")) {
		t.Fatal("test image has no EXIF")
	}
	p, err := services.ProcessImage(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if p.Width != 100 || p.Height != 200 {
		t.Fatalf("upright size %dx%d, want 100x200", p.Width, p.Height)
	}
	for _, v := range p.Variants {
		if bytes.Contains(v.Data, []byte("Exif")) {
			t.Fatal("EXIF kept")
		}
		img := decodeVariant(t, v)
		top, bottom := img.At(50, 20), img.At(50, 180)
		if r, _, b, _ := top.RGBA(); r < b {
			t.Fatalf("top is not red: %v", top)
		}
		if r, _, b, _ := bottom.RGBA(); b < r {
			t.Fatalf("bottom is not blue: %v", bottom)
		}
	}
}

func fieldKey(err error) string {
	var v *domain.ValidationError
	if errors.As(err, &v) && len(v.Fields) == 1 && v.Fields[0].Field == "image" {
		return v.Fields[0].Key
	}
	return ""
}

// rejected are uploads that must be refused, with the reason.
func rejected(t *testing.T) map[string]struct {
	data []byte
	key  string
} {
	jpg := testkit.JPEG(t, 400, 300)
	oversize := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, services.MaxImageBytes)...)
	return map[string]struct {
		data []byte
		key  string
	}{
		"renamed text":        {[]byte("hello"), services.ImageErrType},
		"html":                {[]byte("<!doctype html><script>alert(1)</script>"), services.ImageErrType},
		"gif":                 {[]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), services.ImageErrType},
		"truncated jpeg":      {jpg[:len(jpg)/2], services.ImageErrCorrupt},
		"header only jpeg":    {jpg[:20], services.ImageErrCorrupt},
		"oversize":            {oversize, services.ImageErrTooBig},
		"decompression bomb":  {testkit.BombPNG(t, 10000, 10000), services.ImageErrTooLarge},
		"empty":               {nil, services.ImageErrMissing},
		"png with bad pixels": {corruptPNG(t), services.ImageErrCorrupt},
	}
}

// corruptPNG keeps a PNG's header but garbles its compressed pixels.
func corruptPNG(t *testing.T) []byte {
	b := testkit.PNG(t, 64, 64)
	i := bytes.Index(b, []byte("IDAT"))
	for j := i + 10; j < i+200 && j < len(b); j++ {
		b[j] ^= 0x5A
	}
	return b
}

func TestProcessImageRejects(t *testing.T) {
	for name, tc := range rejected(t) {
		t.Run(name, func(t *testing.T) {
			_, err := services.ProcessImage(bytes.NewReader(tc.data))
			if got := fieldKey(err); got != tc.key {
				t.Fatalf("error %v (key %q), want %q", err, got, tc.key)
			}
		})
	}
}

func TestProcessImageReadsAtMostLimitPlusOne(t *testing.T) {
	r := &countingReader{r: io.MultiReader(bytes.NewReader([]byte{0xFF, 0xD8, 0xFF}), zeros{})}
	_, err := services.ProcessImage(r)
	if fieldKey(err) != services.ImageErrTooBig {
		t.Fatalf("err %v", err)
	}
	if r.n > services.MaxImageBytes+1 {
		t.Fatalf("read %d bytes", r.n)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// --- the Images service on a real database and disk --------------------------

// flakyStorage fails the Put after okPuts successful ones.
type flakyStorage struct {
	*storage.Local
	okPuts int
}

func (f *flakyStorage) Put(ctx context.Context, key, ct string, r io.Reader) error {
	if f.okPuts == 0 {
		return errors.New("disk full")
	}
	f.okPuts--
	return f.Local.Put(ctx, key, ct, r)
}

// failingRepo fails to save image rows.
type failingRepo struct{ *repositories.Images }

func (failingRepo) Create(context.Context, int64, *domain.Image) error { return errors.New("db down") }

type imagesEnv struct {
	db      *testkit.TestDB
	root    string
	repo    *repositories.Images
	local   *storage.Local
	purger  *testkit.Purges
	images  *services.Images
	biz     *domain.Business
	product *domain.Product
}

func newImagesEnv(t *testing.T) *imagesEnv {
	t.Helper()
	db := testkit.NewDB(t)
	root := filepath.Join(t.TempDir(), "media")
	e := &imagesEnv{db: db, root: root, repo: repositories.NewImages(db.DB), local: storage.NewLocal(root), purger: &testkit.Purges{}}
	e.images = e.with(e.repo, e.local)
	e.biz = db.Business(t, "Tienda", "tienda")
	e.product = db.Rows(t).Product(e.biz.ID, "Taco")
	return e
}

func (e *imagesEnv) with(repo services.ImageRepo, st services.ImageStorage) *services.Images {
	return services.NewImages(services.ImagesDeps{
		Repo: repo, Storage: st, Writes: e.purger.Writes(e.db.DB),
	})
}

func (e *imagesEnv) files(t *testing.T) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(e.root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(e.root, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

func (e *imagesEnv) rows(t *testing.T) (images, productImages int64) {
	t.Helper()
	if err := e.db.Model(&domain.Image{}).Count(&images).Error; err != nil {
		t.Fatal(err)
	}
	if err := e.db.Model(&domain.ProductImage{}).Count(&productImages).Error; err != nil {
		t.Fatal(err)
	}
	return
}

func (e *imagesEnv) assertEmpty(t *testing.T) {
	t.Helper()
	if f := e.files(t); len(f) > 0 {
		t.Fatalf("files left behind: %v", f)
	}
	if i, p := e.rows(t); i != 0 || p != 0 {
		t.Fatalf("rows left behind: %d images, %d product images", i, p)
	}
}

func TestImagesUploadStoresEveryWidth(t *testing.T) {
	e := newImagesEnv(t)
	ctx := context.Background()
	pi, err := e.images.AddProductImage(ctx, e.biz.ID, e.product.ID, bytes.NewReader(testkit.JPEG(t, 1280, 400)))
	if err != nil {
		t.Fatal(err)
	}
	img := pi.Image
	if img.ID == 0 || img.BusinessID != e.biz.ID || img.Format != "jpeg" || img.Width != 1280 || img.Height != 400 || img.Bytes == 0 {
		t.Fatalf("image %+v", img)
	}
	want := map[string]bool{}
	for _, w := range domain.ImageWidths {
		want[img.URL(w)[len("/media/"):]] = true
	}
	files := e.files(t)
	if len(files) != len(want) {
		t.Fatalf("files %v, want %v", files, want)
	}
	for _, f := range files {
		if !want[f] {
			t.Fatalf("unexpected file %s (want %v)", f, want)
		}
	}
	if e.purger.Count(e.biz.ID) != 1 {
		t.Fatalf("purged %d times", e.purger.Count(e.biz.ID))
	}
}

func TestImagesRejectedUploadStoresNothing(t *testing.T) {
	for name, tc := range rejected(t) {
		t.Run(name, func(t *testing.T) {
			e := newImagesEnv(t)
			ctx := context.Background()
			_, err := e.images.AddProductImage(ctx, e.biz.ID, e.product.ID, bytes.NewReader(tc.data))
			if fieldKey(err) != tc.key {
				t.Fatalf("err %v", err)
			}
			_, err = e.images.SetStoreImage(ctx, e.biz.ID, services.SlotLogo, bytes.NewReader(tc.data))
			if fieldKey(err) != tc.key {
				t.Fatalf("logo err %v", err)
			}
			e.assertEmpty(t)
			if e.purger.Count(e.biz.ID) != 0 {
				t.Fatal("purged without a change")
			}
		})
	}
}

func TestImagesFailedWriteLeavesNothing(t *testing.T) {
	ctx := context.Background()
	jpg := testkit.JPEG(t, 1250, 300)
	t.Run("storage fails on the second width", func(t *testing.T) {
		e := newImagesEnv(t)
		s := e.with(e.repo, &flakyStorage{Local: e.local, okPuts: 1})
		if _, err := s.AddProductImage(ctx, e.biz.ID, e.product.ID, bytes.NewReader(jpg)); err == nil {
			t.Fatal("no error")
		}
		e.assertEmpty(t)
	})
	t.Run("database fails after the files are written", func(t *testing.T) {
		e := newImagesEnv(t)
		s := e.with(failingRepo{e.repo}, e.local)
		if _, err := s.AddProductImage(ctx, e.biz.ID, e.product.ID, bytes.NewReader(jpg)); err == nil {
			t.Fatal("no error")
		}
		if _, err := s.SetStoreImage(ctx, e.biz.ID, services.SlotCover, bytes.NewReader(jpg)); err == nil {
			t.Fatal("no error")
		}
		if _, err := s.Upload(ctx, e.biz.ID, bytes.NewReader(jpg)); err == nil {
			t.Fatal("no error")
		}
		e.assertEmpty(t)
	})
}

func TestImagesProductLimitOrderAndDelete(t *testing.T) {
	e := newImagesEnv(t)
	ctx := context.Background()
	small := testkit.PNG(t, 40, 30)
	var ids []int64
	for i := 0; i < domain.MaxProductImages; i++ {
		pi, err := e.images.AddProductImage(ctx, e.biz.ID, e.product.ID, bytes.NewReader(small))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, pi.ImageID)
	}
	_, err := e.images.AddProductImage(ctx, e.biz.ID, e.product.ID, bytes.NewReader(small))
	if fieldKey(err) != services.ImageErrLimit {
		t.Fatalf("6th image: %v", err)
	}
	if n := len(e.files(t)); n != domain.MaxProductImages*len(domain.ImageWidths) {
		t.Fatalf("%d files", n)
	}
	order := func() []int64 {
		_, list, err := e.images.ProductImages(ctx, e.biz.ID, e.product.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]int64, len(list))
		for i, pi := range list {
			out[i] = pi.ImageID
		}
		return out
	}
	if err := e.images.MoveProductImage(ctx, e.biz.ID, e.product.ID, ids[2], true); err != nil {
		t.Fatal(err)
	}
	if err := e.images.MoveProductImage(ctx, e.biz.ID, e.product.ID, ids[0], false); err != nil {
		t.Fatal(err)
	}
	// Moving the first one up is a no-op.
	if err := e.images.MoveProductImage(ctx, e.biz.ID, e.product.ID, ids[2], true); err != nil {
		t.Fatal(err)
	}
	got := order()
	want := []int64{ids[2], ids[0], ids[1], ids[3], ids[4]}
	if len(got) != len(want) {
		t.Fatalf("order %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
	if err := e.images.DeleteProductImage(ctx, e.biz.ID, e.product.ID, ids[0]); err != nil {
		t.Fatal(err)
	}
	if n := len(e.files(t)); n != 4*len(domain.ImageWidths) {
		t.Fatalf("%d files after delete", n)
	}
	if _, err := e.repo.Get(ctx, e.biz.ID, ids[0]); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("row kept: %v", err)
	}
	if got := order(); len(got) != 4 || got[0] != ids[2] || got[1] != ids[1] {
		t.Fatalf("order after delete %v", got)
	}
	// Another store sees none of it.
	other := e.db.Business(t, "Otra", "otra")
	if _, _, err := e.images.ProductImages(ctx, other.ID, e.product.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("other store: %v", err)
	}
	if err := e.images.DeleteProductImage(ctx, other.ID, e.product.ID, ids[1]); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("other store delete: %v", err)
	}
	if err := e.images.Delete(ctx, other.ID, ids[1]); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("other store delete: %v", err)
	}
	if _, err := e.images.AddProductImage(ctx, other.ID, e.product.ID, bytes.NewReader(small)); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("other store upload: %v", err)
	}
	if n := len(e.files(t)); n != 4*len(domain.ImageWidths) {
		t.Fatalf("%d files after other store's attempts", n)
	}
}

func TestImagesStoreLogoReplacesAndRemoves(t *testing.T) {
	e := newImagesEnv(t)
	ctx := context.Background()
	businesses := repositories.NewBusinesses(e.db.DB)
	first, err := e.images.SetStoreImage(ctx, e.biz.ID, services.SlotLogo, bytes.NewReader(transparentPNG(t, 256, 256)))
	if err != nil {
		t.Fatal(err)
	}
	if first.Format != "png" {
		t.Fatalf("logo with transparency stored as %s", first.Format)
	}
	cover, err := e.images.SetStoreImage(ctx, e.biz.ID, services.SlotCover, bytes.NewReader(testkit.JPEG(t, 600, 200)))
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.images.SetStoreImage(ctx, e.biz.ID, services.SlotLogo, bytes.NewReader(testkit.JPEG(t, 300, 300)))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := businesses.Get(ctx, e.biz.ID)
	if b.LogoImageID == nil || *b.LogoImageID != second.ID || b.CoverImageID == nil || *b.CoverImageID != cover.ID {
		t.Fatalf("logo %v cover %v", b.LogoImageID, b.CoverImageID)
	}
	if _, err := e.repo.Get(ctx, e.biz.ID, first.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Fatal("replaced logo kept")
	}
	if n := len(e.files(t)); n != 2*len(domain.ImageWidths) {
		t.Fatalf("%d files", n)
	}
	if err := e.images.RemoveStoreImage(ctx, e.biz.ID, services.SlotLogo); err != nil {
		t.Fatal(err)
	}
	if err := e.images.RemoveStoreImage(ctx, e.biz.ID, services.SlotLogo); err != nil {
		t.Fatalf("removing again: %v", err)
	}
	b, _ = businesses.Get(ctx, e.biz.ID)
	if b.LogoImageID != nil || b.CoverImageID == nil {
		t.Fatalf("logo %v cover %v", b.LogoImageID, b.CoverImageID)
	}
	// Deleting the cover image directly clears the store's reference too.
	if err := e.images.Delete(ctx, e.biz.ID, cover.ID); err != nil {
		t.Fatal(err)
	}
	b, _ = businesses.Get(ctx, e.biz.ID)
	if b.CoverImageID != nil {
		t.Fatal("cover reference kept")
	}
	e.assertEmpty(t)
}

// BenchmarkProcessImage measures a 24 MP phone photo through the whole
// pipeline (decode, two Catmull-Rom downscales, two JPEG encodes).
func BenchmarkProcessImage(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 6000, 4000))
	for y := 0; y < 4000; y++ {
		for x := 0; x < 6000; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	data := testkit.EncodeJPEG(b, img)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := services.ProcessImage(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
