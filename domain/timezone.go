package domain

import (
	"sync"
	"time"
)

// locations caches loaded zones: time.LoadLocation reads and parses the
// zone file on every call.
var locations sync.Map

// Location is the store's time zone, Mexico City when it is unset or unknown.
func (b *Business) Location() *time.Location {
	name := b.TimeZone
	if name == "" {
		name = DefaultTimeZone
	}
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		if name == DefaultTimeZone {
			return time.UTC
		}
		return (&Business{}).Location()
	}
	locations.Store(name, loc)
	return loc
}
