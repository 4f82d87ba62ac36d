package storage

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
)

func TestValidKey(t *testing.T) {
	good := []string{"b1/0123456789abcdef-400.jpg", "a", "x/y/z.png", "b12/a_b-c.d"}
	bad := []string{"", "/abs", "../up", "b1/../../etc/passwd", "b1//x", "b1/.hidden", ".", "b1/", "B1/x", `b1\x`, "b1/x y", "b1/x%2f", strings.Repeat("a", MaxKeyLen+1)}
	for _, k := range good {
		if !ValidKey(k) {
			t.Errorf("%q refused", k)
		}
	}
	for _, k := range bad {
		if ValidKey(k) {
			t.Errorf("%q accepted", k)
		}
	}
}

func TestLocalPutOpenDelete(t *testing.T) {
	ctx := context.Background()
	root := filepath.Join(t.TempDir(), "media")
	l := NewLocal(root)
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Fatal("root created before the first write")
	}
	if _, _, err := l.Open(ctx, "b1/x.jpg"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("open before any write: %v", err)
	}
	if err := l.Delete(ctx, "b1/x.jpg"); err != nil {
		t.Fatalf("delete before any write: %v", err)
	}
	if err := l.Put(ctx, "b1/x.jpg", "image/jpeg", strings.NewReader("first")); err != nil {
		t.Fatal(err)
	}
	if err := l.Put(ctx, "b1/x.jpg", "image/jpeg", strings.NewReader("second")); err != nil {
		t.Fatal(err)
	}
	f, size, err := l.Open(ctx, "b1/x.jpg")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != "second" || size != 6 {
		t.Fatalf("read %q (%d)", b, size)
	}
	entries, _ := os.ReadDir(filepath.Join(root, "b1"))
	if len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
	if err := l.Delete(ctx, "b1/x.jpg"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := l.Open(ctx, "b1/x.jpg"); !errors.Is(err, domain.ErrNotFound) {
		t.Fatalf("open after delete: %v", err)
	}
}

func TestLocalRefusesUnsafeKeys(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	l := NewLocal(filepath.Join(dir, "media"))
	for _, k := range []string{"../outside.jpg", "b1/../../outside.jpg", "/tmp/outside.jpg"} {
		if err := l.Put(ctx, k, "image/jpeg", strings.NewReader("x")); !errors.Is(err, ErrBadKey) {
			t.Errorf("put %q: %v", k, err)
		}
		if _, _, err := l.Open(ctx, k); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("open %q: %v", k, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "outside.jpg")); !os.IsNotExist(err) {
		t.Fatal("wrote outside the root")
	}
	// A symlink inside the root cannot lead out of it either.
	os.MkdirAll(filepath.Join(dir, "media"), 0o755)
	os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("secret"), 0o600)
	if err := os.Symlink(filepath.Join(dir, "secret.txt"), filepath.Join(dir, "media", "link.jpg")); err != nil {
		t.Skip(err)
	}
	if f, _, err := l.Open(ctx, "link.jpg"); err == nil {
		f.Close()
		t.Fatal("followed a symlink out of the root")
	}
}

func TestLocalPutFailureLeavesNoTemporaryFile(t *testing.T) {
	root := t.TempDir()
	l := NewLocal(root)
	err := l.Put(context.Background(), "b1/x.jpg", "image/jpeg", io.MultiReader(strings.NewReader("part"), failing{}))
	if err == nil {
		t.Fatal("no error")
	}
	entries, _ := os.ReadDir(filepath.Join(root, "b1"))
	if len(entries) != 0 {
		t.Fatalf("left %v", entries)
	}
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errors.New("connection reset") }
