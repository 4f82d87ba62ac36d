package testkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"sort"
	"testing"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/qubly/qubly/app"
	"github.com/qubly/qubly/integrations/storage"
)

// S3URLEnv names the S3-compatible server the S3 tests use, as
// http://[KEY:SECRET@]HOST:PORT (CI starts SeaweedFS and sets it). Without
// it those tests skip.
const S3URLEnv = "TEST_S3_URL"

// S3Bucket is a fresh, empty bucket on the TEST_S3_URL server, removed with
// its objects when the test ends.
type S3Bucket struct {
	Name     string
	Endpoint string
	// AccessKeyID and SecretAccessKey sign the requests (SeaweedFS without
	// a config accepts any).
	AccessKeyID, SecretAccessKey string
	// SignedOnly is true when TEST_S3_URL carries the keys: the server
	// then refuses any other (CI's SeaweedFS).
	SignedOnly bool
	client     *minio.Client
	t          testing.TB
}

// S3 creates a bucket for this test, or skips the test when TEST_S3_URL is
// not set.
func S3(t testing.TB) *S3Bucket {
	t.Helper()
	raw := os.Getenv(S3URLEnv)
	if raw == "" {
		t.Skip(S3URLEnv + " is not set: no S3-compatible server to test against (CI's PostgreSQL pass starts SeaweedFS)")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		t.Fatalf("%s=%q: want http://[KEY:SECRET@]HOST:PORT", S3URLEnv, raw)
	}
	b := &S3Bucket{Endpoint: u.Scheme + "://" + u.Host, AccessKeyID: "qubly-test", SecretAccessKey: "qubly-test-secret", t: t}
	if u.User != nil {
		b.AccessKeyID = u.User.Username()
		b.SecretAccessKey, _ = u.User.Password()
		b.SignedOnly = true
	}
	b.client, err = minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(b.AccessKeyID, b.SecretAccessKey, ""),
		Secure:       u.Scheme == "https",
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		t.Fatal(err)
	}
	rnd := make([]byte, 6)
	rand.Read(rnd)
	b.Name = "qubly-test-" + hex.EncodeToString(rnd)
	ctx := context.Background()
	if err := b.client.MakeBucket(ctx, b.Name, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("create bucket on %s: %v", b.Endpoint, err)
	}
	t.Cleanup(func() {
		for obj := range b.client.ListObjects(ctx, b.Name, minio.ListObjectsOptions{Recursive: true}) {
			if obj.Err == nil {
				b.client.RemoveObject(ctx, b.Name, obj.Key, minio.RemoveObjectOptions{})
			}
		}
		b.client.RemoveBucket(ctx, b.Name)
	})
	return b
}

// Storage is the app's S3 adapter on this bucket.
func (b *S3Bucket) Storage() *storage.S3 {
	b.t.Helper()
	s, err := storage.NewS3(storage.S3Config{
		Endpoint: b.Endpoint, Bucket: b.Name, AccessKeyID: b.AccessKeyID, SecretAccessKey: b.SecretAccessKey,
		PathStyle: storage.AddressingPath,
	})
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

// AppOption makes the app keep its images in this bucket, configured the
// way production is: STORAGE_URL plus the key variables.
func (b *S3Bucket) AppOption() AppOption {
	return func(env map[string]string, _ *app.Options) {
		env["STORAGE_URL"] = "s3://" + b.Name + "?endpoint=" + url.QueryEscape(b.Endpoint) + "&path_style=true"
		env["S3_ACCESS_KEY_ID"] = b.AccessKeyID
		env["S3_SECRET_ACCESS_KEY"] = b.SecretAccessKey
	}
}

// Keys lists the bucket's object keys, sorted.
func (b *S3Bucket) Keys() []string {
	b.t.Helper()
	var keys []string
	for obj := range b.client.ListObjects(context.Background(), b.Name, minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			b.t.Fatal(obj.Err)
		}
		keys = append(keys, obj.Key)
	}
	sort.Strings(keys)
	return keys
}

// ContentType is the Content-Type stored with the object under key.
func (b *S3Bucket) ContentType(key string) string {
	b.t.Helper()
	st, err := b.client.StatObject(context.Background(), b.Name, key, minio.StatObjectOptions{})
	if err != nil {
		b.t.Fatalf("stat %s: %v", key, err)
	}
	return st.ContentType
}
