package dashboard_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // image.DecodeConfig of the stored files
	_ "image/png"
	"io"
	"io/fs"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/textproto"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// --- test images -----------------------------------------------------------

// bomb is a small valid PNG whose header claims 10000×10000 pixels.
func bomb(t *testing.T) []byte {
	t.Helper()
	b := testkit.BombPNG(t, 10000, 10000)
	if len(b) > 100<<10 {
		t.Fatalf("bomb is %d bytes", len(b))
	}
	return b
}

// --- helpers -----------------------------------------------------------------

// upload posts a multipart form with the file in field "image", as a
// browser does, with the CSRF token.
func upload(c *testkit.Client, path, filename, contentType string, data []byte) *testkit.Response {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", c.CSRF())
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="image"; filename=%q`, filename))
	h.Set("Content-Type", contentType)
	part, _ := w.CreatePart(h)
	part.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, testkit.BaseURL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

type imagesSetup struct {
	a       *testkit.App
	owner   *testkit.Owner
	c       *testkit.Client
	media   string
	product *domain.Product
}

func newImagesSetup(t *testing.T) *imagesSetup {
	t.Helper()
	dir := t.TempDir()
	a := testkit.NewApp(t, testkit.WithEnv("DATA_DIR", dir))
	o := a.CreateOwner("tienda-a")
	p := a.Product(o.Business.ID, "Taco al pastor")
	c := a.Client()
	c.Login(o.Email, o.Password)
	return &imagesSetup{a: a, owner: o, c: c, media: filepath.Join(dir, "media"), product: p}
}

func (s *imagesSetup) path() string {
	return fmt.Sprintf("/dashboard/products/%d/images", s.product.ID)
}

func (s *imagesSetup) files(t *testing.T) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(s.media, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(s.media, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out
}

func (s *imagesSetup) imageRows(t *testing.T) []domain.Image {
	t.Helper()
	var imgs []domain.Image
	if err := s.a.DB.Order("id").Find(&imgs).Error; err != nil {
		t.Fatal(err)
	}
	return imgs
}

func (s *imagesSetup) productImages(t *testing.T) []domain.ProductImage {
	t.Helper()
	var pis []domain.ProductImage
	if err := s.a.DB.Where("product_id = ?", s.product.ID).Order("position, id").Find(&pis).Error; err != nil {
		t.Fatal(err)
	}
	return pis
}

func (s *imagesSetup) assertNothingStored(t *testing.T) {
	t.Helper()
	if f := s.files(t); len(f) > 0 {
		t.Fatalf("files stored: %v", f)
	}
	if rows := s.imageRows(t); len(rows) > 0 {
		t.Fatalf("image rows: %+v", rows)
	}
	var n int64
	if err := s.a.DB.Model(&domain.ProductImage{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n > 0 {
		t.Fatalf("%d product image rows", n)
	}
}

// --- tests -------------------------------------------------------------------

func TestImageUploadAcceptsJPEGPNGWebP(t *testing.T) {
	s := newImagesSetup(t)
	uploads := []struct {
		name, ct string
		data     []byte
	}{
		{"foto.jpg", "image/jpeg", testkit.JPEG(t, 1280, 400)},
		{"captura.png", "image/png", testkit.PNG(t, 640, 480)},
		// The browser's name and type do not matter, only the bytes.
		{"sin-extension", "application/octet-stream", testkit.WebP(t)},
	}
	for _, u := range uploads {
		r := upload(s.c, s.path(), u.name, u.ct, u.data)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != s.path() {
			t.Fatalf("%s: status %d %s\n%s", u.name, r.StatusCode, r.Header.Get("Location"), r.Body)
		}
	}
	imgs := s.imageRows(t)
	if len(imgs) != 3 || len(s.productImages(t)) != 3 {
		t.Fatalf("%d images", len(imgs))
	}
	if n := len(s.files(t)); n != 3*len(domain.ImageWidths) {
		t.Fatalf("%d files: %v", n, s.files(t))
	}
	if imgs[0].Width != 1280 || imgs[0].Height != 400 || imgs[1].Width != 640 || imgs[2].Width != 150 {
		t.Fatalf("sizes %+v", imgs)
	}

	page := s.c.Get(s.path())
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Cambios guardados") {
		t.Fatalf("list: %d", page.StatusCode)
	}
	for _, img := range imgs {
		if !strings.Contains(page.Body, `src="`+img.URL(400)+`"`) || !strings.Contains(page.Body, `srcset="`+img.SrcSet()+`"`) {
			t.Fatalf("image %d not shown with srcset:\n%s", img.ID, page.Body)
		}
	}
	if !strings.Contains(page.Body, `width="400" height="125"`) || !strings.Contains(page.Body, `loading="lazy"`) {
		t.Fatal("thumbnail size missing")
	}
	if !strings.Contains(page.Body, "3 de 5 fotos") {
		t.Fatal("count missing")
	}

	// Every stored width is served with its type and long-lived caching.
	anon := s.a.Client()
	for _, img := range imgs {
		for _, w := range domain.ImageWidths {
			r := anon.Get(img.URL(w))
			if r.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %d", img.URL(w), r.StatusCode)
			}
			if ct := r.Header.Get("Content-Type"); ct != "image/jpeg" {
				t.Fatalf("%s: Content-Type %q", img.URL(w), ct)
			}
			if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
				t.Fatalf("Cache-Control %q", cc)
			}
			if r.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Fatal("no nosniff")
			}
			got, _, err := image.DecodeConfig(strings.NewReader(r.Body))
			if err != nil {
				t.Fatalf("%s: %v", img.URL(w), err)
			}
			if want := min(w, img.Width); got.Width != want {
				t.Fatalf("%s is %d wide, want %d", img.URL(w), got.Width, want)
			}
		}
	}
	for _, bad := range []string{"/media/../data/qubly.db", "/media/b1/..%2f..%2fqubly.db", "/media/x.jpg", "/media/" + imgs[0].Key + "-400.gif"} {
		if r := anon.Get(bad); r.StatusCode != http.StatusNotFound {
			t.Fatalf("GET %s: %d", bad, r.StatusCode)
		}
	}
}

func TestImageUploadRejectsAndStoresNothing(t *testing.T) {
	s := newImagesSetup(t)
	jpg := testkit.JPEG(t, 400, 300)
	// Between the 8 MB limit and Fiber's 10 MB body limit: our own message.
	oversize := append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 9<<20)...)
	rand.NewChaCha8([32]byte{7}).Read(oversize[4:])
	cases := []struct {
		name, filename, ct string
		data               []byte
		message            string
	}{
		{"renamed text", "photo.jpg", "image/jpeg", []byte("hello"), "no es una imagen JPG, PNG o WebP"},
		{"truncated", "foto.jpg", "image/jpeg", jpg[:len(jpg)/2], "parece dañada o incompleta"},
		{"oversize", "grande.jpg", "image/jpeg", oversize, "pesa más de 8 MB"},
		{"decompression bomb", "bomba.png", "image/png", bomb(t), "más de 40 megapíxeles"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := upload(s.c, s.path(), tc.filename, tc.ct, tc.data)
			if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, tc.message) {
				t.Fatalf("status %d, want 400 with %q\n%s", r.StatusCode, tc.message, r.Body)
			}
			if !strings.Contains(r.Body, `aria-invalid="true"`) {
				t.Fatal("field not marked invalid")
			}
			r = upload(s.c, "/dashboard/settings/logo", tc.filename, tc.ct, tc.data)
			if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, tc.message) {
				t.Fatalf("logo: status %d, want 400 with %q", r.StatusCode, tc.message)
			}
			s.assertNothingStored(t)
		})
	}

	t.Run("no file", func(t *testing.T) {
		r := s.c.PostForm(s.path(), nil)
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "Elige una imagen") {
			t.Fatalf("status %d", r.StatusCode)
		}
		s.assertNothingStored(t)
	})

	t.Run("in English", func(t *testing.T) {
		s.c.PostForm("/lang", url.Values{"lang": {"en"}, "next": {"/dashboard"}})
		r := upload(s.c, s.path(), "photo.jpg", "image/jpeg", []byte("hello"))
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "is not a JPG, PNG or WebP image") {
			t.Fatalf("status %d\n%s", r.StatusCode, r.Body)
		}
		s.assertNothingStored(t)
	})

	t.Run("over the 10 MB body limit", func(t *testing.T) {
		// The server refuses it from the headers, reads and drops the rest
		// (so the connection is not reset under the browser) and sends the
		// owner back to the form (TestUploadOverTheBodyLimitReturnsToTheForm
		// follows the redirect).
		resp, _ := postOverTheBodyLimit(t, s.a, s.path())
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != s.path() {
			t.Fatalf("status %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		s.assertNothingStored(t)
	})

	t.Run("over the 10 MB body limit, not a dashboard page", func(t *testing.T) {
		resp, body := postOverTheBodyLimit(t, s.a, "/signup")
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", resp.StatusCode)
		}
		// Refused before any middleware ran, and still translated.
		if !strings.Contains(string(body), "El archivo es demasiado grande") {
			t.Fatalf("413 page: %.500s", body)
		}
	})
}

// postOverTheBodyLimit posts an 11 MB multipart body to path and returns
// the answer with its body. Fiber refuses such a body before any handler
// runs, which app.Test reports as an error, so it goes through a real
// listener.
func postOverTheBodyLimit(t *testing.T, a *testkit.App, path string) (*http.Response, []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go a.Fiber.Listener(ln)
	t.Cleanup(func() { a.Fiber.Shutdown() })
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: qubly.test\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n--x\r\n", path, 11<<20)
	go conn.Write(make([]byte, 11<<20-5))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func TestImageUploadRefusesASixthImage(t *testing.T) {
	s := newImagesSetup(t)
	small := testkit.PNG(t, 60, 40)
	for i := 0; i < domain.MaxProductImages; i++ {
		if r := upload(s.c, s.path(), "p.png", "image/png", small); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload %d: %d", i+1, r.StatusCode)
		}
	}
	page := s.c.Get(s.path())
	if strings.Contains(page.Body, `type="file"`) || !strings.Contains(page.Body, "ya tiene 5 fotos") {
		t.Fatal("full product still offers the upload form")
	}
	r := upload(s.c, s.path(), "p.png", "image/png", small)
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "hasta 5 fotos") {
		t.Fatalf("6th: status %d\n%s", r.StatusCode, r.Body)
	}
	if n := len(s.imageRows(t)); n != domain.MaxProductImages {
		t.Fatalf("%d images", n)
	}
	if n := len(s.files(t)); n != domain.MaxProductImages*len(domain.ImageWidths) {
		t.Fatalf("%d files", n)
	}
}

func TestImageMoveAndDelete(t *testing.T) {
	s := newImagesSetup(t)
	for i := 0; i < 3; i++ {
		if r := upload(s.c, s.path(), "p.jpg", "image/jpeg", testkit.JPEG(t, 100+i, 80)); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d", r.StatusCode)
		}
	}
	before := s.productImages(t)
	ids := []int64{before[0].ImageID, before[1].ImageID, before[2].ImageID}

	move := func(id int64, dir string) *testkit.Response {
		return s.c.PostForm(fmt.Sprintf("%s/%d/move", s.path(), id), url.Values{"dir": {dir}})
	}
	if r := move(ids[2], "up"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != s.path() {
		t.Fatalf("move: %d", r.StatusCode)
	}
	if r := move(ids[0], "down"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("move: %d", r.StatusCode)
	}
	if r := move(ids[0], "sideways"); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad dir: %d", r.StatusCode)
	}
	got := s.productImages(t)
	if got[0].ImageID != ids[2] || got[1].ImageID != ids[0] || got[2].ImageID != ids[1] {
		t.Fatalf("order %v", got)
	}
	// The page shows them in that order.
	page := s.c.Get(s.path()).Body
	var shown []string
	for _, m := range regexp.MustCompile(`action="[^"]*/images/(\d+)/delete"`).FindAllStringSubmatch(page, -1) {
		shown = append(shown, m[1])
	}
	if strings.Join(shown, ",") != fmt.Sprintf("%d,%d,%d", ids[2], ids[0], ids[1]) {
		t.Fatalf("shown order %v", shown)
	}

	var deleted domain.Image
	s.a.DB.First(&deleted, ids[0])
	if r := s.c.PostForm(fmt.Sprintf("%s/%d/delete", s.path(), ids[0]), nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	if n := len(s.imageRows(t)); n != 2 {
		t.Fatalf("%d image rows", n)
	}
	if n := len(s.files(t)); n != 2*len(domain.ImageWidths) {
		t.Fatalf("%d files", n)
	}
	if r := s.a.Client().Get(deleted.URL(400)); r.StatusCode != http.StatusNotFound {
		t.Fatalf("deleted image still served: %d", r.StatusCode)
	}
	if r := s.c.PostForm(fmt.Sprintf("%s/%d/delete", s.path(), ids[0]), nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("delete again: %d", r.StatusCode)
	}
}

func TestImageUploadPurgesTheStoreCache(t *testing.T) {
	s := newImagesSetup(t)
	biz := s.owner.Business.ID
	check := func(what string, do func() *testkit.Response) {
		t.Helper()
		s.a.Cache.Set(biz, "home", "cached")
		if r := do(); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", what, r.StatusCode, r.Body)
		}
		if _, ok := s.a.Cache.Get(biz, "home"); ok {
			t.Fatalf("%s did not purge the store cache", what)
		}
	}
	jpg := testkit.JPEG(t, 500, 300)
	check("upload", func() *testkit.Response { return upload(s.c, s.path(), "a.jpg", "image/jpeg", jpg) })
	check("upload", func() *testkit.Response { return upload(s.c, s.path(), "b.jpg", "image/jpeg", jpg) })
	pis := s.productImages(t)
	check("move", func() *testkit.Response {
		return s.c.PostForm(fmt.Sprintf("%s/%d/move", s.path(), pis[1].ImageID), url.Values{"dir": {"up"}})
	})
	check("delete", func() *testkit.Response {
		return s.c.PostForm(fmt.Sprintf("%s/%d/delete", s.path(), pis[1].ImageID), nil)
	})
	check("logo", func() *testkit.Response { return upload(s.c, "/dashboard/settings/logo", "l.jpg", "image/jpeg", jpg) })
	check("logo delete", func() *testkit.Response { return s.c.PostForm("/dashboard/settings/logo/delete", nil) })
}

func TestStoreLogoAndCover(t *testing.T) {
	s := newImagesSetup(t)
	ctx := context.Background()
	for _, slot := range []string{"logo", "cover"} {
		r := upload(s.c, "/dashboard/settings/"+slot, "x.png", "image/png", testkit.PNG(t, 450, 150))
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/dashboard/settings" {
			t.Fatalf("%s: %d %s", slot, r.StatusCode, r.Header.Get("Location"))
		}
	}
	b, _ := s.a.Repos.Businesses.Get(ctx, s.owner.Business.ID)
	if b.LogoImageID == nil || b.CoverImageID == nil || *b.LogoImageID == *b.CoverImageID {
		t.Fatalf("logo %v cover %v", b.LogoImageID, b.CoverImageID)
	}
	firstLogo := *b.LogoImageID
	page := s.c.Get("/dashboard/settings/logo")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, fmt.Sprintf("/media/b%d/", b.ID)) {
		t.Fatalf("logo page: %d", page.StatusCode)
	}

	// A new logo replaces the old one, whose files go.
	if r := upload(s.c, "/dashboard/settings/logo", "y.jpg", "image/jpeg", testkit.JPEG(t, 300, 300)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("replace: %d", r.StatusCode)
	}
	b, _ = s.a.Repos.Businesses.Get(ctx, s.owner.Business.ID)
	if *b.LogoImageID == firstLogo || len(s.imageRows(t)) != 2 || len(s.files(t)) != 2*len(domain.ImageWidths) {
		t.Fatalf("replace kept the old logo: %d rows, %v", len(s.imageRows(t)), s.files(t))
	}

	for _, slot := range []string{"logo", "cover"} {
		if r := s.c.PostForm("/dashboard/settings/"+slot+"/delete", nil); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/dashboard/settings" {
			t.Fatalf("delete %s: %d", slot, r.StatusCode)
		}
	}
	b, _ = s.a.Repos.Businesses.Get(ctx, s.owner.Business.ID)
	if b.LogoImageID != nil || b.CoverImageID != nil {
		t.Fatal("references kept")
	}
	s.assertNothingStored(t)
}

func TestImagePagesOfAnotherStoreAreNotFound(t *testing.T) {
	s := newImagesSetup(t)
	if r := upload(s.c, s.path(), "a.jpg", "image/jpeg", testkit.JPEG(t, 200, 100)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", r.StatusCode)
	}
	img := s.imageRows(t)[0]
	other := s.a.CreateOwner("tienda-b")
	c := s.a.Client()
	c.Login(other.Email, other.Password)
	if r := c.Get(s.path()); r.StatusCode != http.StatusNotFound {
		t.Fatalf("list: %d", r.StatusCode)
	}
	if r := upload(c, s.path(), "a.jpg", "image/jpeg", testkit.JPEG(t, 200, 100)); r.StatusCode != http.StatusNotFound {
		t.Fatalf("upload: %d", r.StatusCode)
	}
	for _, action := range []string{"delete", "move"} {
		r := c.PostForm(fmt.Sprintf("%s/%d/%s", s.path(), img.ID, action), url.Values{"dir": {"up"}})
		if r.StatusCode != http.StatusNotFound {
			t.Fatalf("%s: %d", action, r.StatusCode)
		}
	}
	if n := len(s.files(t)); n != len(domain.ImageWidths) || len(s.imageRows(t)) != 1 {
		t.Fatalf("other store changed A's images: %d files", n)
	}
}
