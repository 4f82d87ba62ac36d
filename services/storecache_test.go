package services

import (
	"context"
	"testing"
	"time"
)

func TestStoreCachePurgesOneStore(t *testing.T) {
	c := NewStoreCache(time.Minute)
	c.Set(1, "home", "a")
	c.Set(2, "home", "b")
	c.PurgeStore(context.Background(), 1)
	if _, ok := c.Get(1, "home"); ok {
		t.Fatal("store 1 not purged")
	}
	if v, ok := c.Get(2, "home"); !ok || v != "b" {
		t.Fatal("store 2 purged too")
	}
	c.Set(1, "home", "c")
	if v, _ := c.Get(1, "home"); v != "c" {
		t.Fatal("cache unusable after purge")
	}
}
