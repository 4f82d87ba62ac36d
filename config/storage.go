package config

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
)

// Storage backends.
const (
	StorageLocal = "local"
	StorageS3    = "s3"
)

// S3 addressing styles (S3_PATH_STYLE / ?path_style=).
const (
	S3AddressingAuto    = ""
	S3AddressingPath    = "path"
	S3AddressingVirtual = "virtual"
)

// Storage is where uploaded images live: a folder on the local disk (the
// default, one instance) or an S3-compatible bucket shared by every
// instance (Tigris on Fly.io, Cloudflare R2, AWS S3).
type Storage struct {
	// Backend is StorageLocal or StorageS3.
	Backend string
	// Dir is the local folder (DATA_DIR/media, or STORAGE_URL file:PATH).
	Dir string

	Bucket   string
	Endpoint string
	Region   string
	// AccessKeyID and SecretAccessKey are never read from STORAGE_URL.
	AccessKeyID     string
	SecretAccessKey string
	// PathStyle is one of the S3Addressing constants.
	PathStyle string
}

var bucketRe = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// loadStorage reads STORAGE_URL, then the S3_* variables, then the ones
// Tigris on Fly.io sets (BUCKET_NAME, AWS_ENDPOINT_URL_S3, AWS_REGION,
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY). A value in STORAGE_URL wins
// over S3_*, which wins over the AWS ones. Without a URL nor a bucket,
// images stay on the local disk under DATA_DIR/media.
func loadStorage(get func(k, def string) string, dataDir string) (Storage, error) {
	first := func(keys ...string) string {
		for _, k := range keys {
			if v := get(k, ""); v != "" {
				return v
			}
		}
		return ""
	}
	s := Storage{Backend: StorageLocal, Dir: filepath.Join(dataDir, "media")}
	raw := get("STORAGE_URL", "")
	var q url.Values
	switch {
	case raw == "":
	case strings.HasPrefix(raw, "file:"):
		dir := strings.TrimPrefix(strings.TrimPrefix(raw, "file:"), "//")
		if dir == "" {
			return s, errors.New(`STORAGE_URL: file: needs a folder, e.g. "file:./data/media"`)
		}
		s.Dir = dir
		return s, nil
	case strings.HasPrefix(raw, "s3://"):
		u, err := url.Parse(raw)
		if err != nil {
			return s, fmt.Errorf(`STORAGE_URL: not a valid URL, e.g. "s3://my-bucket?endpoint=https://fly.storage.tigris.dev&region=auto"`)
		}
		if u.User != nil {
			return s, errors.New("STORAGE_URL: put the keys in S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, not in the URL")
		}
		if strings.Trim(u.Path, "/") != "" {
			return s, fmt.Errorf("STORAGE_URL: only a bucket after s3://, got path %q", u.Path)
		}
		q = u.Query()
		for k := range q {
			if k != "endpoint" && k != "region" && k != "path_style" {
				return s, fmt.Errorf("STORAGE_URL: unknown parameter %q (endpoint, region, path_style)", k)
			}
		}
		s.Backend, s.Bucket = StorageS3, u.Host
		if s.Bucket == "" {
			return s, errors.New(`STORAGE_URL: s3:// needs a bucket, e.g. "s3://my-bucket"`)
		}
	default:
		return s, fmt.Errorf(`STORAGE_URL: must start with "s3://" or "file:", got %q`, redact(raw))
	}
	if s.Bucket == "" {
		s.Bucket = first("S3_BUCKET", "BUCKET_NAME")
		if s.Bucket == "" {
			return s, nil
		}
		s.Backend = StorageS3
	}
	s.Endpoint = q.Get("endpoint")
	if s.Endpoint == "" {
		s.Endpoint = first("S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
	}
	s.Region = q.Get("region")
	if s.Region == "" {
		s.Region = first("S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION")
	}
	pathStyle := q.Get("path_style")
	if pathStyle == "" {
		pathStyle = get("S3_PATH_STYLE", "")
	}
	s.AccessKeyID = first("S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID")
	s.SecretAccessKey = first("S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY")
	return s, s.checkS3(pathStyle)
}

func (s *Storage) checkS3(pathStyle string) error {
	if !bucketRe.MatchString(s.Bucket) || strings.Contains(s.Bucket, "..") {
		return fmt.Errorf("S3_BUCKET: %q is not a bucket name (3 to 63 lower-case letters, digits, '.' and '-')", s.Bucket)
	}
	if s.Endpoint == "" {
		if s.Region == "" {
			return errors.New("S3_ENDPOINT: set the S3 API's URL (e.g. https://fly.storage.tigris.dev), or S3_REGION for AWS S3")
		}
		s.Endpoint = "https://s3." + s.Region + ".amazonaws.com"
	}
	u, err := url.Parse(s.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
		return fmt.Errorf("S3_ENDPOINT: must be an http(s) URL without a path, e.g. https://fly.storage.tigris.dev, got %q", s.Endpoint)
	}
	s.Endpoint = strings.TrimRight(s.Endpoint, "/")
	switch strings.ToLower(pathStyle) {
	case "":
		s.PathStyle = S3AddressingAuto
	case "true", "1", "yes", "path":
		s.PathStyle = S3AddressingPath
	case "false", "0", "no", "virtual":
		s.PathStyle = S3AddressingVirtual
	default:
		return fmt.Errorf("S3_PATH_STYLE: must be true or false, got %q", pathStyle)
	}
	if s.AccessKeyID == "" || s.SecretAccessKey == "" {
		return errors.New("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY): both are needed for the S3 bucket")
	}
	return nil
}
