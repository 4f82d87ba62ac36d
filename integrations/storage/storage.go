// Package storage keeps uploaded files (image variants) behind a small
// interface: Put, Open, Delete by key. Local writes under a folder on disk;
// S3 keeps them in an S3-compatible bucket that many instances share, with
// the same semantics (contract_test.go runs one table against both).
//
// Keys are slash-separated relative names such as "b12/3f9a…-400.jpg". Only
// lower-case letters, digits, '-', '_' and '.' are allowed in a segment, no
// segment may start with '.', so a key can never leave the root folder.
package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/qubly/qubly/domain"
)

// ErrBadKey is returned for a key that is not a safe relative name.
var ErrBadKey = errors.New("storage: invalid key")

// MaxKeyLen bounds a key's length.
const MaxKeyLen = 200

// ValidKey reports whether key is a safe relative name (see the package doc).
func ValidKey(key string) bool {
	if key == "" || len(key) > MaxKeyLen {
		return false
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg[0] == '.' {
			return false
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
				return false
			}
		}
	}
	return true
}

// Local stores files under Root on the local disk. Writes are atomic (a
// temporary file in the same folder, synced, then renamed), and every access
// goes through os.Root so even a symlink cannot lead outside Root.
type Local struct {
	root string
}

// NewLocal returns storage under root. The folder is created on first write,
// so building the app never touches the disk.
func NewLocal(root string) *Local { return &Local{root: root} }

// Root is the folder files are written under.
func (l *Local) Root() string { return l.root }

func (l *Local) openRoot(create bool) (*os.Root, error) {
	if create {
		if err := os.MkdirAll(l.root, 0o755); err != nil {
			return nil, fmt.Errorf("storage: create root: %w", err)
		}
	}
	r, err := os.OpenRoot(l.root)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, domain.ErrNotFound
		}
		return nil, fmt.Errorf("storage: open root: %w", err)
	}
	return r, nil
}

// Put writes r's bytes under key, replacing any file there. contentType is
// kept by object stores; on disk the key's extension names the type.
func (l *Local) Put(ctx context.Context, key, contentType string, r io.Reader) (err error) {
	if !ValidKey(key) {
		return fmt.Errorf("%w: %q", ErrBadKey, key)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	root, err := l.openRoot(true)
	if err != nil {
		return err
	}
	defer root.Close()
	dir := path.Dir(key)
	if dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("storage: create folder for %s: %w", key, err)
		}
	}
	rnd := make([]byte, 8)
	rand.Read(rnd)
	tmp := path.Join(dir, ".tmp-"+hex.EncodeToString(rnd))
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("storage: create %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			root.Remove(tmp)
		}
	}()
	if _, err = io.Copy(f, contextReader{ctx, r}); err != nil {
		return fmt.Errorf("storage: write %s: %w", key, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("storage: sync %s: %w", key, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("storage: close %s: %w", key, err)
	}
	if err = root.Rename(tmp, key); err != nil {
		return fmt.Errorf("storage: rename %s: %w", key, err)
	}
	// Make the rename durable; a failure here does not undo the write.
	if d, derr := root.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Open returns the file stored under key and its size; a missing key is
// domain.ErrNotFound. The caller closes the file.
func (l *Local) Open(ctx context.Context, key string) (io.ReadCloser, int64, error) {
	if !ValidKey(key) {
		return nil, 0, domain.ErrNotFound
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	root, err := l.openRoot(false)
	if err != nil {
		return nil, 0, err
	}
	defer root.Close()
	f, err := root.Open(key)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, 0, domain.ErrNotFound
		}
		return nil, 0, fmt.Errorf("storage: open %s: %w", key, err)
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, 0, domain.ErrNotFound
	}
	return f, st.Size(), nil
}

// Delete removes the file under key; a missing file is not an error. A
// done ctx deletes nothing (callers that must clean up pass
// context.WithoutCancel).
func (l *Local) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return fmt.Errorf("%w: %q", ErrBadKey, key)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	root, err := l.openRoot(false)
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	defer root.Close()
	if err := root.Remove(key); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storage: delete %s: %w", key, err)
	}
	return nil
}

// ContentType is the media type of a stored file, from its extension.
func ContentType(key string) string {
	switch path.Ext(key) {
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".webp":
		return "image/webp"
	}
	return "application/octet-stream"
}

// contextReader stops a copy when ctx is done.
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
