package dashboard_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// TestImagesAcrossInstances is the scale-out proof for images: two app
// instances, each with its own data folder, on one PostgreSQL database and
// one bucket. An image uploaded through A is served by B, and deleting it
// through B takes it away from A.
func TestImagesAcrossInstances(t *testing.T) {
	bucket := testkit.S3(t)
	db := testkit.NewDB(t)
	if db.Driver != "postgres" {
		t.Skip("two instances share a PostgreSQL database (TEST_DATABASE_URL)")
	}
	a := testkit.NewAppOn(t, db, testkit.WithEnv("DATA_DIR", t.TempDir()), bucket.AppOption())
	b := testkit.NewAppOn(t, db, testkit.WithEnv("DATA_DIR", t.TempDir()), bucket.AppOption())

	o := a.CreateOwner("dos-instancias")
	p := a.Product(o.Business.ID, "Tamal")
	path := fmt.Sprintf("/dashboard/products/%d/images", p.ID)
	ca := a.Client()
	ca.Login(o.Email, o.Password)
	if r := upload(ca, path, "tamal.jpg", "image/jpeg", testkit.JPEG(t, 640, 480)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload on A: %d\n%s", r.StatusCode, r.Body)
	}
	var img domain.Image
	if err := a.DB.Where("business_id = ?", o.Business.ID).First(&img).Error; err != nil {
		t.Fatal(err)
	}

	fromA := a.Client().Get(img.URL(400))
	fromB := b.Client().Get(img.URL(400))
	if fromA.StatusCode != http.StatusOK || fromB.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: A %d, B %d", img.URL(400), fromA.StatusCode, fromB.StatusCode)
	}
	if fromB.Body != fromA.Body || fromB.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("B serves %d bytes of %s, A %d", len(fromB.Body), fromB.Header.Get("Content-Type"), len(fromA.Body))
	}

	cb := b.Client()
	cb.Login(o.Email, o.Password)
	if r := cb.PostForm(fmt.Sprintf("%s/%d/delete", path, img.ID), nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete on B: %d", r.StatusCode)
	}
	if r := a.Client().Get(img.URL(400)); r.StatusCode != http.StatusNotFound {
		t.Fatalf("A still serves the image deleted on B: %d", r.StatusCode)
	}
	if keys := bucket.Keys(); len(keys) != 0 {
		t.Fatalf("objects left: %v", keys)
	}
}
