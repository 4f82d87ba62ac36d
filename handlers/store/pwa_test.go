package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/qubly/qubly/integrations/storage"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

type manifest struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	ShortName       string `json:"short_name"`
	StartURL        string `json:"start_url"`
	Scope           string `json:"scope"`
	Display         string `json:"display"`
	BackgroundColor string `json:"background_color"`
	ThemeColor      string `json:"theme_color"`
	Lang            string `json:"lang"`
	Icons           []struct {
		Src   string `json:"src"`
		Sizes string `json:"sizes"`
		Type  string `json:"type"`
	} `json:"icons"`
}

func getManifest(t *testing.T, c *testkit.Client, slug string) manifest {
	t.Helper()
	r := c.Get("/" + slug + "/manifest.webmanifest")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("manifest: %d\n%s", r.StatusCode, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/manifest+json" {
		t.Fatalf("manifest content type %q", ct)
	}
	var m manifest
	if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
		t.Fatalf("manifest is not JSON: %v\n%s", err, r.Body)
	}
	return m
}

func TestManifest(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("tacos-lupe")
	err := a.DB.Model(o.Business).Updates(map[string]any{"name": "Tacos Doña Lupe de Puebla", "primary_color": "#065f46"}).Error
	if err != nil {
		t.Fatal(err)
	}
	a.Cache.PurgeStore(context.Background(), o.Business.ID)
	c := a.Client()
	m := getManifest(t, c, "tacos-lupe")
	if m.Name != "Tacos Doña Lupe de Puebla" || m.StartURL != "/tacos-lupe" || m.Scope != "/tacos-lupe" ||
		m.ID != "/tacos-lupe" || m.Display != "standalone" || m.ThemeColor != "#065f46" ||
		m.BackgroundColor == "" || m.Lang != "es-MX" {
		t.Fatalf("manifest: %+v", m)
	}
	if n := len([]rune(m.ShortName)); n == 0 || n > 12 || m.ShortName != "Tacos Doña" {
		t.Fatalf("short name %q", m.ShortName)
	}
	sizes := map[string]string{}
	for _, ic := range m.Icons {
		if ic.Type != "image/png" || !strings.HasPrefix(ic.Src, "/tacos-lupe/icon-") {
			t.Fatalf("icon %+v", ic)
		}
		sizes[ic.Sizes] = ic.Src
	}
	if sizes["192x192"] == "" || sizes["512x512"] == "" {
		t.Fatalf("icons %+v", m.Icons)
	}
	// The versioned icon URLs are cached for a long time.
	r := c.Get(sizes["512x512"])
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("icon: %d %q", r.StatusCode, r.Header.Get("Cache-Control"))
	}

	if r := c.Get("/no-such-store/manifest.webmanifest"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown store: %d", r.StatusCode)
	}
	if r := c.Get("/Tacos-Lupe/manifest.webmanifest"); r.StatusCode != http.StatusMovedPermanently ||
		r.Header.Get("Location") != "/tacos-lupe/manifest.webmanifest" {
		t.Fatalf("slug in other case: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
}

func TestShortNameFallsBackToFirstCharacters(t *testing.T) {
	a := testkit.NewApp(t)
	o := a.CreateOwner("panaderia")
	if err := a.DB.Model(o.Business).Update("name", "Panadería-Pastelería").Error; err != nil {
		t.Fatal(err)
	}
	a.Cache.PurgeStore(context.Background(), o.Business.ID)
	if m := getManifest(t, a.Client(), "panaderia"); m.ShortName != "Panadería-Pa" {
		t.Fatalf("short name %q", m.ShortName)
	}
}

func decodeIcon(t *testing.T, c *testkit.Client, path string, size int) (image.Image, *testkit.Response) {
	t.Helper()
	r := c.Get(path)
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("%s: %d %s", path, r.StatusCode, r.Header.Get("Content-Type"))
	}
	img, err := png.Decode(strings.NewReader(r.Body))
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
		t.Fatalf("%s is %dx%d, want %dx%d", path, b.Dx(), b.Dy(), size, size)
	}
	return img, r
}

func rgb(c color.Color) (r, g, b uint8) {
	r32, g32, b32, _ := c.RGBA()
	return uint8(r32 >> 8), uint8(g32 >> 8), uint8(b32 >> 8)
}

func near(c color.Color, r, g, b uint8) bool {
	cr, cg, cb := rgb(c)
	d := func(x, y uint8) int {
		if x > y {
			return int(x - y)
		}
		return int(y - x)
	}
	return d(cr, r) <= 12 && d(cg, g) <= 12 && d(cb, b) <= 12
}

// logoPNG is a white square with a red block in the middle.
func logoPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 300, 300))
	for y := 0; y < 300; y++ {
		for x := 0; x < 300; x++ {
			c := color.RGBA{255, 255, 255, 255}
			if x >= 100 && x < 200 && y >= 100 && y < 200 {
				c = color.RGBA{220, 20, 20, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestStoreIcons(t *testing.T) {
	dir := t.TempDir()
	a := testkit.NewApp(t, testkit.WithEnv("DATA_DIR", dir))
	o := a.CreateOwner("tienda-a")
	c := a.Client()

	// Without a logo: the store's initial on its primary color (#047857).
	for _, size := range []int{192, 512} {
		img, _ := decodeIcon(t, c, "/tienda-a/icon-"+strconv.Itoa(size)+".png", size)
		if !near(img.At(2, 2), 0x04, 0x78, 0x57) {
			t.Fatalf("%d: corner %v, want the primary color", size, img.At(2, 2))
		}
		white := 0
		for y := 0; y < size; y++ {
			for x := 0; x < size; x++ {
				if near(img.At(x, y), 255, 255, 255) {
					white++
				}
			}
		}
		if white < size*size/50 {
			t.Fatalf("%d: no letter drawn (%d white pixels)", size, white)
		}
	}
	_, first := decodeIcon(t, c, "/tienda-a/icon-192.png", 192)
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("icon without ETag")
	}
	req, _ := http.NewRequest(http.MethodGet, "/tienda-a/icon-192.png", nil)
	req.Header.Set("If-None-Match", etag)
	if r := c.Do(req); r.StatusCode != http.StatusNotModified {
		t.Fatalf("revalidation: %d", r.StatusCode)
	}
	before := getManifest(t, c, "tienda-a").Icons[0].Src

	// Upload a logo the way the dashboard does; the icon follows at once.
	images := services.NewImages(services.ImagesDeps{
		Repo: repositories.NewImages(a.DB), Storage: storage.NewLocal(filepath.Join(dir, "media")),
		Writes: services.NewStoreWrites(repositories.NewTransactor(a.DB), a.Cache),
	})
	if _, err := images.SetStoreImage(context.Background(), o.Business.ID, services.SlotLogo, bytes.NewReader(logoPNG(t))); err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{192, 512} {
		img, r := decodeIcon(t, c, "/tienda-a/icon-"+strconv.Itoa(size)+".png", size)
		if r.Header.Get("ETag") == etag {
			t.Fatal("icon unchanged after the logo upload")
		}
		if !near(img.At(2, 2), 255, 255, 255) {
			t.Fatalf("%d: corner %v, want the logo's white", size, img.At(2, 2))
		}
		if cr, cg, cb := rgb(img.At(size/2, size/2)); cr < 180 || cg > 70 || cb > 70 {
			t.Fatalf("%d: center %d,%d,%d, want the logo's red", size, cr, cg, cb)
		}
	}
	if after := getManifest(t, c, "tienda-a").Icons[0].Src; after == before {
		t.Fatalf("icon URL kept its version after the logo changed: %s", after)
	}

	for _, p := range []string{"/tienda-a/icon-100.png", "/tienda-a/icon-x.png", "/nadie-aqui/icon-192.png"} {
		if r := c.Get(p); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, r.StatusCode)
		}
	}
}

func TestServiceWorker(t *testing.T) {
	a := testkit.NewApp(t)
	c := a.Client()
	r := c.Get("/sw.js")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("sw.js: %d", r.StatusCode)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Fatalf("content type %q", ct)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Fatalf("cache control %q", cc)
	}
	src := r.Body
	if strings.Contains(src, "__SW_VERSION__") || strings.Contains(src, "{{") {
		t.Fatal("template not filled in")
	}
	// The cache names carry a version from the asset hashes.
	m := regexp.MustCompile(`const V = "([0-9a-f]{12})";`).FindStringSubmatch(src)
	if m == nil || r.Header.Get("ETag") != `"`+m[1]+`"` {
		t.Fatalf("version %v, ETag %s", m, r.Header.Get("ETag"))
	}
	for _, want := range []string{
		`req.method !== "GET"`, `url.origin !== location.origin`, `"/offline"`, `/static/css/app.css?v=`,
		`p.startsWith("/static/")`, `p.startsWith("/media/")`, `req.mode === "navigate"`, `[MEDIA]: 60`,
	} {
		if !strings.Contains(src, want) {
			t.Errorf("sw.js lacks %s", want)
		}
	}

	// The rule for paths never cached, read from the worker itself.
	never := regexp.MustCompile(`const NEVER = /(.+)/;`).FindStringSubmatch(src)
	if never == nil {
		t.Fatal("no NEVER rule")
	}
	rule := regexp.MustCompile(never[1])
	for _, p := range []string{"/tienda-a/orders", "/tienda-a/catalog.json", "/tienda-a/cart", "/tienda-a/checkout", "/tienda-a/o/AB12CD"} {
		if !rule.MatchString(p) {
			t.Errorf("%s would be cached", p)
		}
	}
	for _, p := range []string{"/tienda-a", "/tienda-a/p/taco", "/tienda-a/reviews", "/tienda-a/p/orders-x"} {
		if rule.MatchString(p) {
			t.Errorf("%s would not be cached", p)
		}
	}
	// App paths are never treated as stores.
	app := regexp.MustCompile(`const APP = new Set\("([^"]*)"`).FindStringSubmatch(src)
	if app == nil {
		t.Fatal("no APP list")
	}
	reserved := " " + app[1] + " "
	for _, s := range []string{"dashboard", "admin", "login", "api", "offline"} {
		if !strings.Contains(reserved, " "+s+" ") {
			t.Errorf("APP lacks %s", s)
		}
	}

	req, _ := http.NewRequest(http.MethodGet, "/sw.js", nil)
	req.Header.Set("If-None-Match", r.Header.Get("ETag"))
	if r := c.Do(req); r.StatusCode != http.StatusNotModified {
		t.Fatalf("revalidation: %d", r.StatusCode)
	}
}

func TestOfflinePage(t *testing.T) {
	a := testkit.NewApp(t)
	c := a.Client()
	r := c.Get("/offline")
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Sin conexión") || !strings.Contains(r.Body, `lang="es-MX"`) {
		t.Fatalf("offline: %d\n%s", r.StatusCode, r.Body)
	}
	if strings.Contains(r.Body, "<script") || strings.Contains(r.Body, "style=") {
		t.Fatal("offline page has inline script or style")
	}
	req, _ := http.NewRequest(http.MethodGet, "/offline", nil)
	req.Header.Set("Accept-Language", "en-US,en;q=0.9")
	if r := a.Client().Do(req); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "Try again") {
		t.Fatalf("offline in English: %d\n%s", r.StatusCode, r.Body)
	}
}

func TestPWAScriptStaysSmall(t *testing.T) {
	a := testkit.NewApp(t)
	c := a.Client()
	for _, p := range []string{"/static/js/pwa.js", "/sw.js"} {
		r := c.Get(p)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p, r.StatusCode)
		}
		if len(r.Body) > 5*1024 {
			t.Errorf("%s is %d bytes, over 5 KB", p, len(r.Body))
		}
	}
	if r := c.Get("/static/js/pwa.js"); !strings.Contains(r.Body, `register("/sw.js", { scope: "/" })`) ||
		!strings.Contains(r.Body, "beforeinstallprompt") || !strings.Contains(r.Body, "localStorage") {
		t.Fatal("pwa.js does not register the worker or offer to install")
	}
}
