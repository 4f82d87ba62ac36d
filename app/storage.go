package app

import (
	"context"
	"io"
	"time"

	"github.com/qubly/qubly/config"
	"github.com/qubly/qubly/integrations/storage"
)

// mediaStorage keeps uploaded images by key: what services.Images,
// services.StoreIcons and handlers/media need (storage.Local or storage.S3).
type mediaStorage interface {
	Put(ctx context.Context, key, contentType string, r io.Reader) error
	Open(ctx context.Context, key string) (io.ReadCloser, int64, error)
	Delete(ctx context.Context, key string) error
}

// storageCheckTimeout bounds the start-up check of an S3 bucket.
const storageCheckTimeout = 15 * time.Second

// newMediaStorage builds the configured image storage. A bucket is checked
// at once, so a wrong endpoint, key or bucket name stops the start with a
// clear error instead of failing the first upload; the local folder is
// created on the first write.
func newMediaStorage(ctx context.Context, cfg config.Storage) (mediaStorage, error) {
	if cfg.Backend != config.StorageS3 {
		return storage.NewLocal(cfg.Dir), nil
	}
	s3, err := storage.NewS3(storage.S3Config{
		Endpoint: cfg.Endpoint, Bucket: cfg.Bucket, Region: cfg.Region,
		AccessKeyID: cfg.AccessKeyID, SecretAccessKey: cfg.SecretAccessKey, PathStyle: cfg.PathStyle,
	})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, storageCheckTimeout)
	defer cancel()
	if err := s3.Check(ctx); err != nil {
		return nil, err
	}
	return s3, nil
}
