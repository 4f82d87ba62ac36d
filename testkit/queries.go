package testkit

import (
	"fmt"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"
)

var queryCounters atomic.Int64

// CountQueries counts the statements (queries, rows, raw SQL, creates,
// updates, deletes) db runs from now on until the test ends.
func CountQueries(t testing.TB, db *gorm.DB) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	count := func(*gorm.DB) { n.Add(1) }
	name := fmt.Sprintf("testkit:count:%s:%d", t.Name(), queryCounters.Add(1))
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().Before("gorm:query").Register(name, count),
		cb.Row().Before("gorm:row").Register(name, count),
		cb.Raw().Before("gorm:raw").Register(name, count),
		cb.Create().Before("gorm:create").Register(name, count),
		cb.Update().Before("gorm:update").Register(name, count),
		cb.Delete().Before("gorm:delete").Register(name, count),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		cb.Query().Remove(name)
		cb.Row().Remove(name)
		cb.Raw().Remove(name)
		cb.Create().Remove(name)
		cb.Update().Remove(name)
		cb.Delete().Remove(name)
	})
	return &n
}
