package domain

// Pager places one page in a list: pages count from 1, a page number below 1
// is the first page and one past the last page is the last page, so every
// list answers a stale or hand-typed ?page= with real rows.
type Pager struct {
	// Page is the page shown, in [1, Pages].
	Page int
	// Pages is how many pages the list takes; an empty list has one.
	Pages int
	// Total is how many items the list holds.
	Total int64
	// Size is how many items a page holds.
	Size int
}

// NewPager places page in a list of total items, size a page (size < 1 is
// taken as 1), clamped to [1, last page].
func NewPager(page int, total int64, size int) Pager {
	size = max(size, 1)
	pages := max(int((max(total, 0)+int64(size)-1)/int64(size)), 1)
	return Pager{Page: min(max(page, 1), pages), Pages: pages, Total: total, Size: size}
}

// Offset is how many items come before the page.
func (p Pager) Offset() int { return (p.Page - 1) * p.Size }

// HasPrev reports whether an earlier page exists.
func (p Pager) HasPrev() bool { return p.Page > 1 }

// HasNext reports whether a later page exists.
func (p Pager) HasNext() bool { return p.Page < p.Pages }

// PrevPage is the number of the previous page (1 on the first).
func (p Pager) PrevPage() int { return max(p.Page-1, 1) }

// NextPage is the number of the next page (the last on the last).
func (p Pager) NextPage() int { return min(p.Page+1, p.Pages) }

// Paginate loads page of a list whose loader returns limit items from offset
// and the list's total. The page is placed as NewPager does: asked past the
// last page, it loads the last page (a second call, only then).
func Paginate[T any](page, size int, load func(limit, offset int) ([]T, int64, error)) ([]T, Pager, error) {
	want, size := max(page, 1), max(size, 1)
	items, total, err := load(size, (want-1)*size)
	if err != nil {
		return nil, Pager{}, err
	}
	p := NewPager(want, total, size)
	if p.Page != want {
		if items, total, err = load(p.Size, p.Offset()); err != nil {
			return nil, Pager{}, err
		}
		p.Total = total
	}
	return items, p, nil
}
