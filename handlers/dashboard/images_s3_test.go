package dashboard_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// TestImagesOnS3 runs the upload, serve and delete path with images in an
// S3 bucket (TEST_S3_URL; skips without it): the files go to the bucket, not
// the disk, /media serves them with the same headers, and deleting the
// image removes its objects.
func TestImagesOnS3(t *testing.T) {
	bucket := testkit.S3(t)
	dir := t.TempDir()
	a := testkit.NewApp(t, testkit.WithEnv("DATA_DIR", dir), bucket.AppOption())
	o := a.CreateOwner("tienda-s3")
	p := a.Product(o.Business.ID, "Taco al pastor")
	c := a.Client()
	c.Login(o.Email, o.Password)
	path := fmt.Sprintf("/dashboard/products/%d/images", p.ID)

	data := testkit.JPEG(t, 1280, 400)
	if r := upload(c, path, "foto.jpg", "image/jpeg", data); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", r.StatusCode, r.Body)
	}
	var img domain.Image
	if err := a.DB.Where("business_id = ?", o.Business.ID).First(&img).Error; err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, w := range domain.ImageWidths {
		want = append(want, services.VariantKey(&img, w))
	}
	slices.Sort(want)
	if got := bucket.Keys(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("bucket holds %v, want %v", got, want)
	}
	if ct := bucket.ContentType(want[0]); ct != "image/jpeg" {
		t.Fatalf("object Content-Type %q", ct)
	}
	if _, err := os.Stat(filepath.Join(dir, "media")); !os.IsNotExist(err) {
		t.Fatalf("images written to the local disk too: %v", err)
	}

	anon := a.Client()
	for _, w := range domain.ImageWidths {
		r := anon.Get(img.URL(w))
		if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/jpeg" ||
			r.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || r.Header.Get("Set-Cookie") != "" {
			t.Fatalf("GET %s: %d %v", img.URL(w), r.StatusCode, r.Header)
		}
		f, size, err := bucket.Storage().Open(context.Background(), services.VariantKey(&img, w))
		if err != nil {
			t.Fatal(err)
		}
		stored, _ := io.ReadAll(f)
		f.Close()
		if size == 0 || r.Body != string(stored) || r.Header.Get("Content-Length") != strconv.FormatInt(size, 10) {
			t.Fatalf("GET %s: %d bytes (Content-Length %s), stored %d", img.URL(w), len(r.Body), r.Header.Get("Content-Length"), size)
		}
	}
	if r := anon.Get("/media/" + img.Key + "-9999.jpg"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("a width never stored: %d", r.StatusCode)
	}

	if r := c.PostForm(fmt.Sprintf("%s/%d/delete", path, img.ID), nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	if got := bucket.Keys(); len(got) != 0 {
		t.Fatalf("objects left after delete: %v", got)
	}
	if r := anon.Get(img.URL(400)); r.StatusCode != http.StatusNotFound {
		t.Fatalf("deleted image still served: %d", r.StatusCode)
	}
}
