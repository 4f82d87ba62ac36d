package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/qubly/qubly/domain"
)

// Path-style choices for S3Config.PathStyle.
const (
	AddressingAuto    = ""        // path-style except on AWS (minio-go's detection)
	AddressingPath    = "path"    // https://endpoint/bucket/key
	AddressingVirtual = "virtual" // https://bucket.endpoint/key
)

// s3PartSize bounds the memory of an upload of unknown length: minio-go
// buffers one part at a time (its default for unknown sizes is ~537 MiB).
const s3PartSize = 16 << 20

// S3Config names an S3-compatible bucket (Tigris, R2, AWS S3, SeaweedFS).
type S3Config struct {
	// Endpoint is the API's absolute URL, e.g. https://fly.storage.tigris.dev.
	Endpoint string
	Bucket   string
	// Region is the signing region; empty lets the client ask the server.
	Region          string
	AccessKeyID     string
	SecretAccessKey string
	// PathStyle is one of the Addressing constants.
	PathStyle string
	// Transport overrides the HTTP transport (tests).
	Transport http.RoundTripper
}

// S3 stores files as objects in one bucket of an S3-compatible service,
// under the same keys and with the same semantics as Local, so many
// instances can share the images.
type S3 struct {
	client *minio.Client
	bucket string
}

// NewS3 returns storage on cfg's bucket. It does not contact the server;
// Check does.
func NewS3(cfg S3Config) (*S3, error) {
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" {
		return nil, fmt.Errorf("storage: S3 endpoint must be an http(s) URL without a path, got %q", cfg.Endpoint)
	}
	if cfg.Bucket == "" {
		return nil, errors.New("storage: S3 bucket is empty")
	}
	lookup := minio.BucketLookupAuto
	switch cfg.PathStyle {
	case AddressingAuto:
	case AddressingPath:
		lookup = minio.BucketLookupPath
	case AddressingVirtual:
		lookup = minio.BucketLookupDNS
	default:
		return nil, fmt.Errorf("storage: unknown S3 addressing %q", cfg.PathStyle)
	}
	client, err := minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKeyID, cfg.SecretAccessKey, ""),
		Secure:       u.Scheme == "https",
		Region:       cfg.Region,
		BucketLookup: lookup,
		Transport:    cfg.Transport,
	})
	if err != nil {
		return nil, fmt.Errorf("storage: S3 client: %w", err)
	}
	return &S3{client: client, bucket: cfg.Bucket}, nil
}

// Bucket is the bucket's name.
func (s *S3) Bucket() string { return s.bucket }

// Check makes sure the bucket exists and the credentials reach it; the app
// calls it at start so a wrong setting fails at once with a clear error.
func (s *S3) Check(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("storage: S3 bucket %q at %s unreachable: %w", s.bucket, s.client.EndpointURL().Host, err)
	}
	if !ok {
		return fmt.Errorf("storage: S3 bucket %q does not exist at %s", s.bucket, s.client.EndpointURL().Host)
	}
	return nil
}

// Put uploads r's bytes under key with contentType, replacing any object
// there. An object appears whole or not at all.
func (s *S3) Put(ctx context.Context, key, contentType string, r io.Reader) error {
	if !ValidKey(key) {
		return fmt.Errorf("%w: %q", ErrBadKey, key)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	size := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		size = int64(l.Len())
	}
	_, err := s.client.PutObject(ctx, s.bucket, key, contextReader{ctx, r}, size, minio.PutObjectOptions{
		ContentType: contentType, PartSize: s3PartSize,
	})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	return nil
}

// Open returns the object stored under key and its size, streamed from the
// bucket; a missing key is domain.ErrNotFound. The caller closes it.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, int64, error) {
	if !ValidKey(key) {
		return nil, 0, domain.ErrNotFound
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, 0, s.openErr(ctx, key, err)
	}
	// Stat sends the GET; the body it starts is what Read returns.
	st, err := obj.Stat()
	if err != nil {
		obj.Close()
		return nil, 0, s.openErr(ctx, key, err)
	}
	return obj, st.Size, nil
}

func (s *S3) openErr(ctx context.Context, key string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if isNotFound(err) {
		return domain.ErrNotFound
	}
	return fmt.Errorf("storage: open %s: %w", key, err)
}

// Delete removes the object under key; a missing object is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return fmt.Errorf("%w: %q", ErrBadKey, key)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil && !isNotFound(err) {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return fmt.Errorf("storage: delete %s: %w", key, err)
	}
	return nil
}

// isNotFound reports a missing object (not a missing bucket: that is a
// setting to fix, so it stays an error).
func isNotFound(err error) bool {
	r := minio.ToErrorResponse(err)
	return r.Code == minio.NoSuchKey || (r.StatusCode == http.StatusNotFound && r.Code != minio.NoSuchBucket)
}
