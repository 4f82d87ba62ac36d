package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/integrations/storage"
	"github.com/qubly/qubly/testkit"
)

// store is what every backend implements.
type store interface {
	Put(ctx context.Context, key, contentType string, r io.Reader) error
	Open(ctx context.Context, key string) (io.ReadCloser, int64, error)
	Delete(ctx context.Context, key string) error
}

// backend is one storage under test and how to read the content type it
// kept for a key.
type backend struct {
	name string
	new  func(t *testing.T) (store, func(key string) string)
}

var backends = []backend{
	{name: "local", new: func(t *testing.T) (store, func(string) string) {
		return storage.NewLocal(filepath.Join(t.TempDir(), "media")), storage.ContentType
	}},
	{name: "s3", new: func(t *testing.T) (store, func(string) string) {
		b := testkit.S3(t)
		return b.Storage(), b.ContentType
	}},
}

// contract is the behaviour both backends share, one case each.
var contract = []struct {
	name string
	run  func(t *testing.T, s store, contentType func(string) string)
}{
	{"put, open, delete", func(t *testing.T, s store, _ func(string) string) {
		ctx := context.Background()
		put(t, s, "b1/0123456789abcdef-400.jpg", "image/jpeg", "hello")
		if got, size := read(t, s, "b1/0123456789abcdef-400.jpg"); got != "hello" || size != 5 {
			t.Fatalf("read %q, size %d", got, size)
		}
		if err := s.Delete(ctx, "b1/0123456789abcdef-400.jpg"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Open(ctx, "b1/0123456789abcdef-400.jpg"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("open after delete: %v", err)
		}
	}},
	{"overwrite replaces the bytes", func(t *testing.T, s store, _ func(string) string) {
		put(t, s, "b1/x-400.jpg", "image/jpeg", "first, longer")
		put(t, s, "b1/x-400.jpg", "image/jpeg", "second")
		if got, size := read(t, s, "b1/x-400.jpg"); got != "second" || size != 6 {
			t.Fatalf("read %q, size %d", got, size)
		}
	}},
	{"missing key is domain.ErrNotFound, deleting it is fine", func(t *testing.T, s store, _ func(string) string) {
		ctx := context.Background()
		if _, _, err := s.Open(ctx, "b1/never-400.jpg"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("open: %v", err)
		}
		if err := s.Delete(ctx, "b1/never-400.jpg"); err != nil {
			t.Fatalf("delete: %v", err)
		}
		// A prefix of a stored key is not a file either.
		put(t, s, "b1/y-400.jpg", "image/jpeg", "y")
		if _, _, err := s.Open(ctx, "b1"); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("open a folder: %v", err)
		}
	}},
	{"bad keys are refused", func(t *testing.T, s store, _ func(string) string) {
		ctx := context.Background()
		for _, k := range []string{"", "../up.jpg", "b1/../../x.jpg", "/abs.jpg", "b1//x.jpg", "b1/.hidden", "B1/X.JPG", "b1/x y.jpg", strings.Repeat("a", storage.MaxKeyLen+1)} {
			if err := s.Put(ctx, k, "image/jpeg", strings.NewReader("x")); !errors.Is(err, storage.ErrBadKey) {
				t.Errorf("put %q: %v", k, err)
			}
			if _, _, err := s.Open(ctx, k); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("open %q: %v", k, err)
			}
			if err := s.Delete(ctx, k); !errors.Is(err, storage.ErrBadKey) {
				t.Errorf("delete %q: %v", k, err)
			}
		}
	}},
	{"content type is kept", func(t *testing.T, s store, contentType func(string) string) {
		put(t, s, "b1/p-800.png", "image/png", "png bytes")
		put(t, s, "b1/j-800.jpg", "image/jpeg", "jpeg bytes")
		if got := contentType("b1/p-800.png"); got != "image/png" {
			t.Errorf("png: %q", got)
		}
		if got := contentType("b1/j-800.jpg"); got != "image/jpeg" {
			t.Errorf("jpeg: %q", got)
		}
	}},
	{"a done context does nothing", func(t *testing.T, s store, _ func(string) string) {
		put(t, s, "b1/kept-400.jpg", "image/jpeg", "kept")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := s.Put(ctx, "b1/new-400.jpg", "image/jpeg", strings.NewReader("x")); !errors.Is(err, context.Canceled) {
			t.Errorf("put: %v", err)
		}
		if _, _, err := s.Open(context.Background(), "b1/new-400.jpg"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("cancelled put stored something: %v", err)
		}
		if _, _, err := s.Open(ctx, "b1/kept-400.jpg"); !errors.Is(err, context.Canceled) {
			t.Errorf("open: %v", err)
		}
		if err := s.Delete(ctx, "b1/kept-400.jpg"); !errors.Is(err, context.Canceled) {
			t.Errorf("delete: %v", err)
		}
		if got, _ := read(t, s, "b1/kept-400.jpg"); got != "kept" {
			t.Errorf("cancelled delete removed it: %q", got)
		}
	}},
	{"a context cancelled mid-upload stores nothing", func(t *testing.T, s store, _ func(string) string) {
		ctx, cancel := context.WithCancel(context.Background())
		// The upload's reader cancels after its first chunk, like a client
		// going away; a reader of unknown length is streamed.
		r := io.MultiReader(strings.NewReader("part one "), cancelOnRead{cancel}, strings.NewReader("part two"))
		if err := s.Put(ctx, "b1/half-400.jpg", "image/jpeg", r); !errors.Is(err, context.Canceled) {
			t.Errorf("put: %v", err)
		}
		if _, _, err := s.Open(context.Background(), "b1/half-400.jpg"); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("half an upload is stored: %v", err)
		}
	}},
	{"a large file streams whole", func(t *testing.T, s store, _ func(string) string) {
		big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
		if err := s.Put(context.Background(), "b1/big-1600.jpg", "image/jpeg", io.MultiReader(bytes.NewReader(big))); err != nil {
			t.Fatal(err)
		}
		got, size := read(t, s, "b1/big-1600.jpg")
		if size != int64(len(big)) || got != string(big) {
			t.Fatalf("read %d bytes, size %d", len(got), size)
		}
	}},
}

// TestStorageContract runs every case on every backend: Local always, S3
// when TEST_S3_URL names a server (CI's PostgreSQL pass, SeaweedFS).
func TestStorageContract(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			for _, c := range contract {
				t.Run(c.name, func(t *testing.T) {
					s, contentType := b.new(t)
					c.run(t, s, contentType)
				})
			}
		})
	}
}

func put(t *testing.T, s store, key, contentType, body string) {
	t.Helper()
	if err := s.Put(context.Background(), key, contentType, strings.NewReader(body)); err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

func read(t *testing.T, s store, key string) (string, int64) {
	t.Helper()
	f, size, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("open %s: %v", key, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return string(b), size
}

// cancelOnRead cancels the upload's context when read, and reads nothing.
type cancelOnRead struct{ cancel context.CancelFunc }

func (c cancelOnRead) Read([]byte) (int, error) {
	c.cancel()
	return 0, io.EOF
}

// TestS3CheckNamesTheProblem: the start-up check refuses a bucket that does
// not exist and, on a server that checks signatures, a wrong secret.
func TestS3CheckNamesTheProblem(t *testing.T) {
	b := testkit.S3(t)
	ctx := context.Background()
	if err := b.Storage().Check(ctx); err != nil {
		t.Fatalf("the test bucket: %v", err)
	}
	missing, err := storage.NewS3(storage.S3Config{
		Endpoint: b.Endpoint, Bucket: b.Name + "-missing", AccessKeyID: b.AccessKeyID, SecretAccessKey: b.SecretAccessKey,
		PathStyle: storage.AddressingPath,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := missing.Check(ctx); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("missing bucket: %v", err)
	}
	if !b.SignedOnly {
		return
	}
	wrong, _ := storage.NewS3(storage.S3Config{
		Endpoint: b.Endpoint, Bucket: b.Name, AccessKeyID: b.AccessKeyID, SecretAccessKey: "not-the-secret",
		PathStyle: storage.AddressingPath,
	})
	if err := wrong.Check(ctx); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("wrong secret: %v", err)
	}
}

func TestNewS3RefusesABadEndpoint(t *testing.T) {
	for _, e := range []string{"", "fly.storage.tigris.dev", "ftp://x.test", "https://x.test/bucket"} {
		if _, err := storage.NewS3(storage.S3Config{Endpoint: e, Bucket: "b12"}); err == nil {
			t.Errorf("%q accepted", e)
		}
	}
	if _, err := storage.NewS3(storage.S3Config{Endpoint: "https://x.test", Bucket: "b12", PathStyle: "sideways"}); err == nil {
		t.Error("unknown addressing accepted")
	}
}

// TestS3KeepsTheGivenContentType: the object's type is the one Put was
// given, not one guessed from the key (the server would guess right for
// the contract's keys).
func TestS3KeepsTheGivenContentType(t *testing.T) {
	b := testkit.S3(t)
	put(t, b.Storage(), "b1/x-400.png", "image/webp", "webp bytes")
	if got := b.ContentType("b1/x-400.png"); got != "image/webp" {
		t.Fatalf("Content-Type %q", got)
	}
}
