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

func TestStoreCacheSetSinceRefusesValuesOlderThanAPurge(t *testing.T) {
	c := NewStoreCache(time.Minute)
	since := c.Seq()
	c.PurgeStore(context.Background(), 1) // an edit lands while the value is computed
	if c.SetSince(1, since, "page", "old", 0) {
		t.Fatal("value computed before the purge was stored")
	}
	if _, ok := c.Get(1, "page"); ok {
		t.Fatal("stale value visible")
	}
	// Another store's purge does not matter.
	since = c.Seq()
	c.PurgeStore(context.Background(), 2)
	if !c.SetSince(1, since, "page", "new", 0) {
		t.Fatal("value refused for another store's purge")
	}
	if v, _ := c.Get(1, "page"); v != "new" {
		t.Fatalf("got %v", v)
	}
}

func TestStoreCacheSlugsAndPurgeAll(t *testing.T) {
	c := NewStoreCache(time.Minute)
	since := c.Seq()
	c.RememberSlug("tacos", 1, since)
	c.RememberSlug("pan", 2, since)
	c.Set(2, "home", "x")
	if id, ok := c.StoreID("tacos"); !ok || id != 1 {
		t.Fatalf("StoreID: %d %v", id, ok)
	}
	c.PurgeLocal(1) // e.g. the store was renamed
	if _, ok := c.StoreID("tacos"); ok {
		t.Fatal("slug of a purged store still resolves")
	}
	if id, ok := c.StoreID("pan"); !ok || id != 2 {
		t.Fatal("other store's slug forgotten")
	}
	if c.RememberSlug("tacos", 1, since) {
		t.Fatal("slug remembered from before the purge")
	}
	c.PurgeAll()
	if _, ok := c.StoreID("pan"); ok {
		t.Fatal("PurgeAll kept a slug")
	}
	if _, ok := c.Get(2, "home"); ok {
		t.Fatal("PurgeAll kept a value")
	}
}

func TestStoreCachePublishesPurges(t *testing.T) {
	c := NewStoreCache(time.Minute)
	var got []int64
	c.SetPublisher(func(_ context.Context, id int64) { got = append(got, id) })
	c.Set(3, "home", "x")
	c.PurgeStore(context.Background(), 3)
	c.PurgeLocal(4) // what a listener calls: not published again
	if len(got) != 1 || got[0] != 3 {
		t.Fatalf("published %v", got)
	}
	if _, ok := c.Get(3, "home"); ok {
		t.Fatal("not purged locally")
	}
}
