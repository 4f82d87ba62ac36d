package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
)

// MaxFormIDs caps every list of IDs one form may send (bulk actions,
// reordering): far above what a page shows, far below what a database takes
// as query parameters (SQLite 32,766, PostgreSQL 65,535).
const MaxFormIDs = 1000

// ListTooLongError is a form list over its cap. The error handler answers it
// with 400 and a message naming the cap; nothing was changed.
type ListTooLongError struct {
	Field string
	Max   int
}

func (e *ListTooLongError) Error() string {
	return fmt.Sprintf("form list %q over %d values", e.Field, e.Max)
}

// FormIDs reads the IDs posted as name or name[] (repeated, or separated by
// commas), from a urlencoded or multipart body, in order. More than
// MaxFormIDs values is a *ListTooLongError, read no further; a value that is
// not a positive integer is domain.ErrNotFound.
func FormIDs(c *fiber.Ctx, name string) ([]int64, error) {
	var ids []int64
	add := func(v string) error {
		for _, s := range strings.Split(v, ",") {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			if len(ids) == MaxFormIDs {
				return &ListTooLongError{Field: name, Max: MaxFormIDs}
			}
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				return domain.ErrNotFound
			}
			ids = append(ids, id)
		}
		return nil
	}
	keys := []string{name, name + "[]"}
	var err error
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if err == nil && (string(k) == keys[0] || string(k) == keys[1]) {
			err = add(string(v))
		}
	})
	if err != nil {
		return nil, err
	}
	if form, ferr := c.MultipartForm(); ferr == nil && form != nil {
		for _, k := range keys {
			for _, v := range form.Value[k] {
				if err := add(v); err != nil {
					return nil, err
				}
			}
		}
	}
	return ids, nil
}
