package services_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/integrations/storage"
	"github.com/qubly/qubly/repositories"
	"github.com/qubly/qubly/services"
	"github.com/qubly/qubly/testkit"
)

// cleanupSet is the known dataset of the cleanup tests: the canonical demo
// store, a Demo-flag copy, a store of an owner at a test domain, an
// unverified sign-up 8 days old and one 2 days old, a verified real store,
// and an unverified 8-day-old sign-up that pays (Stripe subscription).
type cleanupSet struct {
	a     *testkit.App
	media string
	// stores by slug
	stores map[string]*domain.Business
}

// The slugs of the dataset.
const (
	slugCopy        = "copia-demo"
	slugTestDomain  = "tienda-qa"
	slugOldUnverif  = "sin-verificar"
	slugNewUnverif  = "recien-llegada"
	slugReal        = "tacos-reales"
	slugPaidUnverif = "ya-paga"
)

func newCleanupSet(t *testing.T, env string, extra ...testkit.AppOption) *cleanupSet {
	t.Helper()
	dir := t.TempDir()
	opts := append([]testkit.AppOption{testkit.WithEnv("APP_ENV", env), testkit.WithEnv("DATA_DIR", dir)}, extra...)
	a := testkit.NewApp(t, opts...)
	s := &cleanupSet{a: a, media: filepath.Join(dir, "media"), stores: map[string]*domain.Business{}}
	ctx := context.Background()
	if created, err := a.Demo.Seed(ctx, "demo-12345"); err != nil || !created {
		t.Fatalf("seed demo: %v %v", created, err)
	}
	demo, err := a.Repos.Businesses.GetBySlug(ctx, services.DemoSlug)
	if err != nil {
		t.Fatal(err)
	}
	s.stores[services.DemoSlug] = demo

	// Signed up 8 days ago: the old unverified one and the paying one.
	s.signup(t, slugOldUnverif, "viejo@tacos.mx", false)
	s.signup(t, slugPaidUnverif, "paga@tacos.mx", false)
	a.Clock.Advance(6 * 24 * time.Hour)
	s.signup(t, slugNewUnverif, "nueva@tacos.mx", false)
	s.signup(t, slugCopy, "copia@tacos.mx", true)
	s.signup(t, slugTestDomain, "qa@pruebas.test", true)
	s.signup(t, slugReal, "lupe@tacos.mx", true)
	a.Clock.Advance(2 * 24 * time.Hour)

	must(t, a.DB.Model(&domain.Business{}).Where("id = ?", s.stores[slugCopy].ID).Update("demo", true).Error)
	must(t, a.DB.Model(&domain.Business{}).Where("id = ?", s.stores[slugPaidUnverif].ID).
		Update("stripe_subscription_id", "sub_123").Error)
	for slug, b := range s.stores {
		if slug != services.DemoSlug {
			s.fill(t, b)
		}
	}
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// signup creates a store the way an owner does, verified or not.
func (s *cleanupSet) signup(t *testing.T, slug, email string, verified bool) {
	t.Helper()
	ctx := context.Background()
	res, err := s.a.Accounts.Signup(ctx, services.SignupInput{
		OwnerName: "Dueña " + slug, Email: email, Password: "secret-" + slug,
		BusinessName: "Tienda " + slug, Slug: slug, WhatsApp: "55 1234 5678", Lang: "es",
	})
	if err != nil || !res.Created {
		t.Fatalf("sign up %s: %v", slug, err)
	}
	if verified {
		must(t, s.a.Repos.Users.MarkVerified(ctx, res.User.ID, s.a.Clock.Now()))
	}
	u, err := s.a.Repos.Users.Get(ctx, res.User.ID)
	must(t, err)
	b, err := s.a.Repos.Businesses.Get(ctx, *u.BusinessID)
	must(t, err)
	s.stores[slug] = b
}

// fill gives a store a category, a product with options and two photos
// (rows and files), a logo, an order and a review.
func (s *cleanupSet) fill(t *testing.T, b *domain.Business) {
	t.Helper()
	a := s.a
	c := a.Category(b.ID, "Tacos")
	p := a.Product(b.ID, "Taco de pastor", testkit.InCategory(c),
		testkit.OptionGroup("Salsa", 0, 1, testkit.Choice("Verde", 0), testkit.Choice("Roja", 0)))
	for i := range 2 {
		a.Photo(p, s.image(t, b.ID, fmt.Sprintf("b%d/foto%d", b.ID, i)), i)
	}
	logo := s.image(t, b.ID, fmt.Sprintf("b%d/logo", b.ID))
	must(t, a.DB.Model(&domain.Business{}).Where("id = ?", b.ID).Update("logo_image_id", logo.ID).Error)
	a.Order(b.ID, &domain.Order{Code: "C" + b.Slug, Items: []domain.OrderItem{testkit.Item(p, 2, 2550)}})
	a.Review(b.ID, "Ana", 5)
}

// image inserts an image row and writes its files at every width.
func (s *cleanupSet) image(t *testing.T, businessID int64, key string) *domain.Image {
	t.Helper()
	img := s.a.Image(businessID, key, "jpeg", 800, 600)
	files := storage.NewLocal(s.media)
	for _, w := range domain.ImageWidths {
		must(t, files.Put(context.Background(), services.VariantKey(img, w), "image/jpeg", bytes.NewReader([]byte("jpeg"))))
	}
	return img
}

// businessTables are the tables whose rows carry business_id.
var businessTables = []string{
	"categories", "products", "product_images", "option_groups", "option_choices", "images",
	"orders", "order_items", "reviews", "subscription_changes", "users",
}

// rows counts every row of the store (soft-deleted too), by table.
func (s *cleanupSet) rows(t *testing.T, slug string) map[string]int64 {
	t.Helper()
	id := s.stores[slug].ID
	out := map[string]int64{}
	for _, table := range businessTables {
		var n int64
		must(t, s.a.DB.Table(table).Where("business_id = ?", id).Count(&n).Error)
		out[table] = n
	}
	var n int64
	must(t, s.a.DB.Table("businesses").Where("id = ?", id).Count(&n).Error)
	out["businesses"] = n
	return out
}

// files lists the store's image files on disk.
func (s *cleanupSet) files(t *testing.T, slug string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(filepath.Join(s.media, fmt.Sprintf("b%d", s.stores[slug].ID)), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// snapshot is every store's rows and files.
type snapshot map[string]struct {
	rows  map[string]int64
	files []string
}

func (s *cleanupSet) snapshot(t *testing.T) snapshot {
	t.Helper()
	out := snapshot{}
	for slug := range s.stores {
		out[slug] = struct {
			rows  map[string]int64
			files []string
		}{s.rows(t, slug), s.files(t, slug)}
	}
	return out
}

func (s *cleanupSet) auditEntries(t *testing.T) []domain.AuditEntry {
	t.Helper()
	var es []domain.AuditEntry
	must(t, s.a.DB.Where("action = ?", domain.AuditCleanupRun).Find(&es).Error)
	return es
}

// reported is a report's items as "slug reason", sorted.
func reported(r services.CleanupReport) []string {
	var out []string
	for _, it := range r.Items {
		out = append(out, it.Slug+" "+string(it.Reason))
	}
	slices.Sort(out)
	return out
}

func TestCleanupDryRunChangesNothing(t *testing.T) {
	s := newCleanupSet(t, "production")
	before := s.snapshot(t)
	rep, err := s.a.Cleanup.Run(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{slugTestDomain + " test_email", slugCopy + " demo_copy", slugOldUnverif + " unverified"}
	slices.Sort(want)
	if got := reported(rep); !slices.Equal(got, want) {
		t.Fatalf("dry run reports %q, want %q", got, want)
	}
	for _, it := range rep.Items {
		want := domain.CleanupCounts{Users: 1, Categories: 1, Products: 1, Images: 3, Orders: 1, Reviews: 1}
		got := it.Counts
		got.Other = 0
		if got != want || it.OwnerEmail == "" {
			t.Errorf("%s: counts %+v, owner %q; want %+v", it.Slug, it.Counts, it.OwnerEmail, want)
		}
	}
	after := s.snapshot(t)
	for slug, b := range before {
		if fmt.Sprint(after[slug]) != fmt.Sprint(b) {
			t.Errorf("dry run changed %s: %v → %v", slug, b, after[slug])
		}
	}
	if es := s.auditEntries(t); len(es) != 0 {
		t.Errorf("dry run recorded %d audit entries", len(es))
	}
}

func TestCleanupRemovesExactlyTheJunk(t *testing.T) {
	s := newCleanupSet(t, "production")
	before := s.snapshot(t)
	for _, slug := range []string{slugCopy, slugTestDomain, slugOldUnverif} {
		if len(before[slug].files) != 3*len(domain.ImageWidths) {
			t.Fatalf("%s has %d image files before the run", slug, len(before[slug].files))
		}
	}
	rep, err := s.a.Cleanup.Run(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{slugTestDomain + " test_email", slugCopy + " demo_copy", slugOldUnverif + " unverified"}
	slices.Sort(want)
	if got := reported(rep); !slices.Equal(got, want) || rep.Failed != 0 {
		t.Fatalf("run removed %q (%d failed), want %q", got, rep.Failed, want)
	}
	after := s.snapshot(t)
	for slug := range s.stores {
		removed := slug == slugCopy || slug == slugTestDomain || slug == slugOldUnverif
		if !removed {
			// Tenant isolation: the others keep every row and file.
			if fmt.Sprint(after[slug]) != fmt.Sprint(before[slug]) {
				t.Errorf("%s changed: %v → %v", slug, before[slug], after[slug])
			}
			continue
		}
		for table, n := range after[slug].rows {
			if n != 0 {
				t.Errorf("%s: %d rows left in %s", slug, n, table)
			}
		}
		if len(after[slug].files) != 0 {
			t.Errorf("%s: image files left: %v", slug, after[slug].files)
		}
	}
	// The owners can no longer be found, so their addresses are free again.
	for _, email := range []string{"copia@tacos.mx", "qa@pruebas.test", "viejo@tacos.mx"} {
		if _, err := s.a.Repos.Users.GetByEmail(context.Background(), email); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("owner %s still there: %v", email, err)
		}
	}
	// Their emails not sent yet go too; a kept owner's stay.
	pending := func(email string) int64 {
		var n int64
		must(t, s.a.DB.Model(&domain.OutboxEmail{}).Where("to_address = ? AND status = ?", email, domain.OutboxPending).Count(&n).Error)
		return n
	}
	if pending("viejo@tacos.mx") != 0 || pending("nueva@tacos.mx") == 0 {
		t.Errorf("pending emails: removed owner %d, kept owner %d", pending("viejo@tacos.mx"), pending("nueva@tacos.mx"))
	}
	es := s.auditEntries(t)
	if len(es) != 1 || es[0].ActorUserID != nil || !strings.HasPrefix(es[0].Detail, "removed 3 businesses (3 products, 9 images, 3 orders)") {
		t.Fatalf("audit entries: %+v", es)
	}
	for _, slug := range []string{slugCopy, slugTestDomain, slugOldUnverif} {
		if !strings.Contains(es[0].Detail, slug) {
			t.Errorf("audit detail lacks %s: %q", slug, es[0].Detail)
		}
	}

	// A second run finds nothing and records nothing.
	if rep, err := s.a.Cleanup.Run(context.Background(), false); err != nil || len(rep.Items) != 0 {
		t.Fatalf("second run: %v %q", err, reported(rep))
	}
	if n := len(s.auditEntries(t)); n != 1 {
		t.Fatalf("%d audit entries after a run that removed nothing, want 1", n)
	}
}

// An unverified sign-up that referred a real store is kept while that
// store lives: removing it would take the referral (and the store's
// first-month discount) with it. Once the store is deleted, it goes.
func TestCleanupKeepsTheReferrerOfALiveStore(t *testing.T) {
	s := newCleanupSet(t, "production")
	ctx := context.Background()
	ref := &domain.Referral{ReferrerID: s.stores[slugOldUnverif].ID, ReferredID: s.stores[slugReal].ID, Status: domain.ReferralPending}
	must(t, s.a.DB.Create(ref).Error)
	want := []string{slugTestDomain + " test_email", slugCopy + " demo_copy"}
	slices.Sort(want)
	for _, dry := range []bool{true, false} {
		rep, err := s.a.Cleanup.Run(ctx, dry)
		if err != nil {
			t.Fatal(err)
		}
		if got := reported(rep); !slices.Equal(got, want) {
			t.Fatalf("dry run %v removed %q, want %q", dry, got, want)
		}
	}
	var n int64
	must(t, s.a.DB.Model(&domain.Referral{}).Where("id = ?", ref.ID).Count(&n).Error)
	if n != 1 {
		t.Fatal("the live store's referral was removed")
	}

	must(t, s.a.DB.Delete(&domain.Business{}, s.stores[slugReal].ID).Error) // the owner closed the store
	rep, err := s.a.Cleanup.Run(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := reported(rep); !slices.Equal(got, []string{slugOldUnverif + " unverified"}) {
		t.Fatalf("after the referred store is gone, the run removed %q", got)
	}
}

func TestCleanupInDevelopmentKeepsTestAndDemoStores(t *testing.T) {
	s := newCleanupSet(t, "development")
	before := s.snapshot(t)
	rep, err := s.a.Cleanup.Run(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	if got := reported(rep); !slices.Equal(got, []string{slugOldUnverif + " unverified"}) {
		t.Fatalf("development run removed %q, want only the stale unverified sign-up", got)
	}
	after := s.snapshot(t)
	for slug := range s.stores {
		if slug != slugOldUnverif && fmt.Sprint(after[slug]) != fmt.Sprint(before[slug]) {
			t.Errorf("%s changed in development", slug)
		}
	}
}

func TestCleanupUnverifiedDaysZeroKeepsUnverified(t *testing.T) {
	s := newCleanupSet(t, "development", testkit.WithEnv("CLEANUP_UNVERIFIED_DAYS", "0"))
	if rep, err := s.a.Cleanup.Run(context.Background(), false); err != nil || len(rep.Items) != 0 {
		t.Fatalf("run with CLEANUP_UNVERIFIED_DAYS=0: %v %q", err, reported(rep))
	}
}

func TestIsTestEmail(t *testing.T) {
	for email, want := range map[string]bool{
		"a@example.com": true, "a@shop.example.org": true, "A@EXAMPLE.NET": true, "a@tienda.test": true,
		"a@x.example": true, "a@foo.invalid": true, "a@localhost": true, "a@dev.localhost.": true,
		"a@gmail.com": false, "a@example.com.mx": false, "a@notexample.com": false, "a@testing.mx": false,
		"example.com@gmail.com": false, "sin-arroba": false,
	} {
		if got := services.IsTestEmail(email); got != want {
			t.Errorf("IsTestEmail(%q) = %v, want %v", email, got, want)
		}
	}
}

// verifyingRepo is the cleanup repository, except that right after the
// run lists its candidates the owner of slugOldUnverif verifies their email.
type verifyingRepo struct {
	*repositories.Cleanup
	verify func()
	once   sync.Once
}

func (r *verifyingRepo) Candidates(ctx context.Context, q domain.CleanupQuery) ([]domain.CleanupCandidate, error) {
	cands, err := r.Cleanup.Candidates(ctx, q)
	if q.BusinessID == 0 {
		r.once.Do(r.verify)
	}
	return cands, err
}

// noFiles records the images whose files would be deleted.
type noFiles struct{ removed []int64 }

func (f *noFiles) RemoveFiles(_ context.Context, img *domain.Image) {
	f.removed = append(f.removed, img.ID)
}

func TestCleanupSparesAnOwnerWhoVerifiesMeanwhile(t *testing.T) {
	s := newCleanupSet(t, "development")
	a := s.a
	before := s.snapshot(t)
	repo := &verifyingRepo{Cleanup: repositories.NewCleanup(a.DB), verify: func() {
		must(t, a.DB.Model(&domain.User{}).Where("business_id = ?", s.stores[slugOldUnverif].ID).
			Update("email_verified_at", a.Clock.Now()).Error)
	}}
	files := &noFiles{}
	c := services.NewCleanup(services.CleanupDeps{
		Repo: repo, Files: files, Writes: (&testkit.Purges{}).Writes(a.DB),
		Audit: services.NewAudit(a.Repos.AuditLog, a.Clock.Now), Clock: a.Clock.Now, Log: testkit.Logger(t),
		UnverifiedDays: 7,
	})
	rep, err := c.Run(context.Background(), false)
	if err != nil || len(rep.Items) != 0 || len(files.removed) != 0 {
		t.Fatalf("run: %v, removed %q, files of images %v", err, reported(rep), files.removed)
	}
	if got := s.rows(t, slugOldUnverif); fmt.Sprint(got) != fmt.Sprint(before[slugOldUnverif].rows) {
		t.Fatalf("the owner who verified lost rows: %v → %v", before[slugOldUnverif].rows, got)
	}
	if n := len(s.auditEntries(t)); n != 0 {
		t.Fatalf("%d audit entries for a run that removed nothing", n)
	}
}
