package config

import (
	"maps"
	"strings"
	"testing"
)

var s3Keys = map[string]string{"S3_ACCESS_KEY_ID": "ak", "S3_SECRET_ACCESS_KEY": "sk"}

func with(m map[string]string, kv ...string) map[string]string {
	out := maps.Clone(m)
	if out == nil {
		out = map[string]string{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func TestStorageDefaultsToLocalDisk(t *testing.T) {
	c, err := Load(env(map[string]string{"DATA_DIR": "/var/qubly"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Storage.Backend != StorageLocal || c.Storage.Dir != "/var/qubly/media" {
		t.Fatalf("storage: %+v", c.Storage)
	}
	c, err = Load(env(map[string]string{"STORAGE_URL": "file:/srv/images"}))
	if err != nil || c.Storage.Backend != StorageLocal || c.Storage.Dir != "/srv/images" {
		t.Fatalf("file: URL: %+v %v", c.Storage, err)
	}
	// Keys alone (AWS_* set for something else) do not switch to S3.
	c, err = Load(env(with(s3Keys, "AWS_REGION", "us-east-1")))
	if err != nil || c.Storage.Backend != StorageLocal {
		t.Fatalf("keys without a bucket: %+v %v", c.Storage, err)
	}
}

func TestStorageURL(t *testing.T) {
	c, err := Load(env(with(s3Keys, "STORAGE_URL", "s3://qubly-images?endpoint=https://fly.storage.tigris.dev&region=auto&path_style=false",
		"S3_ENDPOINT", "https://ignored.example", "S3_BUCKET", "ignored")))
	if err != nil {
		t.Fatal(err)
	}
	want := Storage{Backend: StorageS3, Dir: "data/media", Bucket: "qubly-images", Endpoint: "https://fly.storage.tigris.dev",
		Region: "auto", AccessKeyID: "ak", SecretAccessKey: "sk", PathStyle: S3AddressingVirtual}
	if c.Storage != want {
		t.Fatalf("got  %+v\nwant %+v", c.Storage, want)
	}
	// What the URL leaves out comes from S3_*.
	c, err = Load(env(with(s3Keys, "STORAGE_URL", "s3://b12", "S3_ENDPOINT", "http://127.0.0.1:8333/", "S3_PATH_STYLE", "true")))
	if err != nil {
		t.Fatal(err)
	}
	if c.Storage.Endpoint != "http://127.0.0.1:8333" || c.Storage.PathStyle != S3AddressingPath || c.Storage.Region != "" {
		t.Fatalf("S3_* fill the URL: %+v", c.Storage)
	}
}

// Tigris on Fly.io (fly storage create) sets these secrets; they are enough.
func TestStorageFromTigrisSecrets(t *testing.T) {
	c, err := Load(env(map[string]string{
		"BUCKET_NAME": "qubly-media", "AWS_ENDPOINT_URL_S3": "https://fly.storage.tigris.dev", "AWS_REGION": "auto",
		"AWS_ACCESS_KEY_ID": "tid_x", "AWS_SECRET_ACCESS_KEY": "tsec_y",
	}))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Storage
	if s.Backend != StorageS3 || s.Bucket != "qubly-media" || s.Endpoint != "https://fly.storage.tigris.dev" ||
		s.Region != "auto" || s.AccessKeyID != "tid_x" || s.SecretAccessKey != "tsec_y" || s.PathStyle != S3AddressingAuto {
		t.Fatalf("storage: %+v", s)
	}
	// S3_* win over the AWS names.
	c, _ = Load(env(map[string]string{
		"BUCKET_NAME": "from-fly", "S3_BUCKET": "mine", "AWS_ENDPOINT_URL_S3": "https://fly.storage.tigris.dev",
		"AWS_ACCESS_KEY_ID": "aws", "S3_ACCESS_KEY_ID": "s3", "AWS_SECRET_ACCESS_KEY": "x",
	}))
	if c.Storage.Bucket != "mine" || c.Storage.AccessKeyID != "s3" {
		t.Fatalf("precedence: %+v", c.Storage)
	}
	// AWS S3 itself: a region is enough.
	c, err = Load(env(with(s3Keys, "S3_BUCKET", "qubly", "S3_REGION", "us-east-2")))
	if err != nil || c.Storage.Endpoint != "https://s3.us-east-2.amazonaws.com" {
		t.Fatalf("AWS endpoint: %+v %v", c.Storage, err)
	}
}

func TestStorageErrorsAreClear(t *testing.T) {
	tigris := "https://fly.storage.tigris.dev"
	cases := []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"STORAGE_URL": "gs://bucket"}, `STORAGE_URL: must start with "s3://" or "file:"`},
		{map[string]string{"STORAGE_URL": "file:"}, "STORAGE_URL: file: needs a folder"},
		{with(s3Keys, "STORAGE_URL", "s3://"), "STORAGE_URL: s3:// needs a bucket"},
		{with(s3Keys, "STORAGE_URL", "s3://b%zz"), "STORAGE_URL: not a valid URL"},
		{with(s3Keys, "STORAGE_URL", "s3://bucket/images"), "STORAGE_URL: only a bucket"},
		{with(s3Keys, "STORAGE_URL", "s3://bucket?endpont=x"), `STORAGE_URL: unknown parameter "endpont"`},
		{map[string]string{"STORAGE_URL": "s3://ak:sk@bucket?endpoint=" + tigris}, "not in the URL"},
		{with(s3Keys, "S3_BUCKET", "Bad_Bucket", "S3_ENDPOINT", tigris), "S3_BUCKET:"},
		{with(s3Keys, "S3_BUCKET", "b1"), "S3_BUCKET:"},
		{with(s3Keys, "S3_BUCKET", "bucket"), "S3_ENDPOINT: set the S3 API's URL"},
		{with(s3Keys, "S3_BUCKET", "bucket", "S3_ENDPOINT", "fly.storage.tigris.dev"), "S3_ENDPOINT: must be an http(s) URL"},
		{with(s3Keys, "S3_BUCKET", "bucket", "S3_ENDPOINT", tigris+"/bucket"), "S3_ENDPOINT: must be an http(s) URL"},
		{with(s3Keys, "STORAGE_URL", "s3://bucket?endpoint="+tigris+"&path_style=maybe"), "S3_PATH_STYLE: must be true or false"},
		{map[string]string{"S3_BUCKET": "bucket", "S3_ENDPOINT": tigris, "S3_ACCESS_KEY_ID": "ak"}, "S3_SECRET_ACCESS_KEY"},
		{map[string]string{"BUCKET_NAME": "bucket", "AWS_ENDPOINT_URL_S3": tigris}, "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY"},
	}
	for _, tc := range cases {
		_, err := Load(env(tc.vars))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.vars, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "sk@") {
			t.Errorf("secret in the error: %v", err)
		}
	}
}
