package domain

import (
	"errors"
	"slices"
	"testing"
)

func TestNewPagerClamps(t *testing.T) {
	for _, c := range []struct {
		page       int
		total      int64
		size       int
		want       int
		pages, off int
		prev, next bool
	}{
		{page: 1, total: 0, size: 20, want: 1, pages: 1, off: 0},
		{page: 0, total: 45, size: 20, want: 1, pages: 3, off: 0, next: true},
		{page: -3, total: 45, size: 20, want: 1, pages: 3, off: 0, next: true},
		{page: 2, total: 45, size: 20, want: 2, pages: 3, off: 20, prev: true, next: true},
		{page: 3, total: 45, size: 20, want: 3, pages: 3, off: 40, prev: true},
		{page: 4, total: 45, size: 20, want: 3, pages: 3, off: 40, prev: true},          // past the last: the last
		{page: 99, total: 40, size: 20, want: 2, pages: 2, off: 20, prev: true},         // exact multiple
		{page: 99, total: 0, size: 20, want: 1, pages: 1, off: 0},                       // empty list: page 1
		{page: 2, total: 5, size: 0, want: 2, pages: 5, off: 1, prev: true, next: true}, // size < 1 is 1
	} {
		p := NewPager(c.page, c.total, c.size)
		if p.Page != c.want || p.Pages != c.pages || p.Offset() != c.off || p.HasPrev() != c.prev || p.HasNext() != c.next {
			t.Errorf("NewPager(%d, %d, %d) = page %d of %d, offset %d, prev %v, next %v; want page %d of %d, offset %d, prev %v, next %v",
				c.page, c.total, c.size, p.Page, p.Pages, p.Offset(), p.HasPrev(), p.HasNext(), c.want, c.pages, c.off, c.prev, c.next)
		}
		if p.PrevPage() < 1 || p.NextPage() > p.Pages {
			t.Errorf("NewPager(%d, %d, %d): prev %d, next %d out of [1, %d]", c.page, c.total, c.size, p.PrevPage(), p.NextPage(), p.Pages)
		}
	}
}

func TestPaginateLoadsTheLastPagePastTheEnd(t *testing.T) {
	list := []int{1, 2, 3, 4, 5, 6, 7}
	var calls []int
	load := func(limit, offset int) ([]int, int64, error) {
		calls = append(calls, offset)
		end := min(offset+limit, len(list))
		if offset >= len(list) {
			return nil, int64(len(list)), nil
		}
		return list[offset:end], int64(len(list)), nil
	}
	for _, c := range []struct {
		page      int
		want      []int
		shown     int
		callsMade int
	}{
		{page: 1, want: []int{1, 2, 3}, shown: 1, callsMade: 1},
		{page: 3, want: []int{7}, shown: 3, callsMade: 1},
		{page: 4, want: []int{7}, shown: 3, callsMade: 2},
		{page: 0, want: []int{1, 2, 3}, shown: 1, callsMade: 1},
	} {
		calls = nil
		got, p, err := Paginate(c.page, 3, load)
		if err != nil || p.Page != c.shown || p.Pages != 3 || p.Total != 7 || len(calls) != c.callsMade || !slices.Equal(got, c.want) {
			t.Errorf("Paginate(page %d) = %v, page %d of %d (total %d), %d loads, %v; want %v, page %d of 3, %d loads",
				c.page, got, p.Page, p.Pages, p.Total, len(calls), err, c.want, c.shown, c.callsMade)
		}
	}
	boom := errors.New("boom")
	if _, _, err := Paginate(1, 3, func(int, int) ([]int, int64, error) { return nil, 0, boom }); !errors.Is(err, boom) {
		t.Errorf("Paginate error = %v, want boom", err)
	}
}
