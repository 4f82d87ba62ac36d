package store

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"
	"unsafe"

	"github.com/qubly/qubly/domain"
)

// A product grid is written here rather than by a template: executing a
// partial per card costs about a hundred allocations (html/template calls
// its escapers through reflection), half of a 200-product page. The markup
// and its escaping are exactly what html/template made of the card partial;
// grid_test.go renders that partial and checks the two agree.

// grid is product cards rendered as the <li> items of a grid, and how many.
type grid struct {
	HTML template.HTML
	Len  int
}

// cardWidth is the CSS width (and stored image width) of a card photo.
const cardWidth = 400

// cardGrids writes a page's grids into one pooled buffer and lends it to
// the page until it is rendered: a grid's HTML points into the buffer rather
// than being copied out (a 200-product page's cards weigh ~160 KB). Call
// release once the page is rendered (its bytes copied into the response),
// and keep no grid after that.
type cardGrids struct {
	buf     *bytes.Buffer
	scratch bytes.Buffer // one URL or srcset at a time
}

// gridBuffers are the buffers cardGrids lends.
var gridBuffers = newBufferPool()

// cardBytes is room for one card, so that a grid grows its buffer at most
// once (a card takes ~800 bytes).
const cardBytes = 1024

// grid renders ps as grid cards; the first *eager cards with a photo load
// it eagerly (and count *eager down).
func (g *cardGrids) grid(biz *domain.Business, ps []*domain.Product, soldOut string, eager *int) grid {
	if g.buf == nil {
		g.buf = gridBuffers.get()
	}
	b := g.buf
	// Growing moves what follows to a new array; grids already lent keep
	// pointing into the old one, which nothing writes to any more.
	b.Grow(len(ps) * cardBytes)
	start := b.Len()
	for _, p := range ps {
		g.writeCard(b, biz, p, soldOut, eager)
	}
	return grid{HTML: template.HTML(borrowString(b.Bytes()[start:])), Len: len(ps)}
}

// release gives the buffer back: the grids made so far are invalid.
func (g *cardGrids) release() {
	if g.buf != nil {
		gridBuffers.put(g.buf)
		g.buf = nil
	}
}

// borrowString is b as a string without a copy: b must not change while the
// string is in use.
func borrowString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// urlText is what g.scratch holds, borrowed as a string until the next use.
func (g *cardGrids) urlText() string { return borrowString(g.scratch.Bytes()) }

func (g *cardGrids) writeCard(b *bytes.Buffer, biz *domain.Business, p *domain.Product, soldOut string, eager *int) {
	var num [20]byte
	b.WriteString(`<li><a href="`)
	g.scratch.Reset()
	g.scratch.WriteByte('/')
	g.scratch.WriteString(biz.Slug)
	g.scratch.WriteString("/p/")
	g.scratch.WriteString(p.Slug) // productPath
	writeURLAttr(b, g.urlText())
	b.WriteString(`" class="block h-full overflow-hidden rounded-xl border border-gray-200 bg-white text-gray-900 no-underline hover:no-underline hover:shadow-md">`)
	var img *domain.Image
	loading := "lazy"
	if len(p.Images) > 0 {
		img = p.Images[0].Image
		if *eager > 0 {
			loading = "eager"
			*eager--
		}
	}
	if img != nil {
		b.WriteString(`<img src="`)
		g.scratch.Reset()
		img.WriteURL(&g.scratch, cardWidth)
		writeURLAttr(b, g.urlText())
		b.WriteString(`" srcset="`)
		g.scratch.Reset()
		img.WriteSrcSet(&g.scratch)
		writeSrcsetAttr(b, g.urlText())
		b.WriteString(`" sizes="(min-width:1024px) 240px,(min-width:640px) 33vw,50vw" width="`)
		b.Write(strconv.AppendInt(num[:0], cardWidth, 10))
		b.WriteString(`" height="`)
		b.Write(strconv.AppendInt(num[:0], int64(picHeight(img, cardWidth)), 10))
		b.WriteString(`" alt="`)
		writeEscaped(b, p.Name)
		b.WriteString(`" loading="`)
		b.WriteString(loading)
		b.WriteString(`" decoding="async" class="aspect-square w-full bg-gray-100 object-cover">`)
	} else {
		b.WriteString(`<div class="aspect-square bg-gray-100"></div>`)
	}
	writeCardText(b, p, soldOut)
}

// writeCardText writes the card's name, price and sold-out badge, and closes it.
func writeCardText(b *bytes.Buffer, p *domain.Product, soldOut string) {
	b.WriteString(`<div class="p-3"><h3 class="line-clamp-2 text-sm font-semibold">`)
	writeEscaped(b, p.Name)
	b.WriteString(`</h3><p class="mt-1 text-sm"><b>`)
	writeEscaped(b, p.PriceCents.Pesos())
	b.WriteString(`</b>`)
	if p.CompareAtCents != nil && *p.CompareAtCents > p.PriceCents {
		b.WriteString(` <s class="text-gray-500">`)
		writeEscaped(b, p.CompareAtCents.Pesos())
		b.WriteString(`</s>`)
	}
	b.WriteString(`</p>`)
	if !p.Available() && soldOut != "" {
		b.WriteString(`<span class="badge mt-2" data-sold-out>`)
		writeEscaped(b, soldOut)
		b.WriteString(`</span>`)
	}
	b.WriteString(`</div></a></li>`)
}

// writeEscaped writes s as html/template escapes text and quoted attribute
// values (its htmlReplacementTable).
func writeEscaped(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// failsafe replaces an unsafe URL, as html/template does.
const failsafe = "#ZgotmplZ"

// writeURLAttr writes s as html/template writes a URL attribute value:
// filtered (only http, https, mailto or relative), normalized, escaped.
func writeURLAttr(b *bytes.Buffer, s string) {
	if !isSafeURL(s) {
		s = failsafe
	}
	writeNormalizedURL(b, s)
}

// isSafeURL is html/template's: a scheme, if any, is http, https or mailto.
func isSafeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			return false
		}
	}
	return true
}

// writeNormalizedURL percent-encodes what html/template's URL normalizer
// encodes, then escapes the result for an attribute (only & and + remain to
// escape).
func writeNormalizedURL(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			b.WriteString("&amp;")
		case c == '+':
			b.WriteString("&#43;")
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("!#$*,/:;=?@[]-._~", c) >= 0,
			c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// writeSrcsetAttr writes s as html/template writes a srcset attribute value:
// each comma-separated candidate's URL filtered and normalized, its
// descriptor kept if only spaces and letters or digits.
func writeSrcsetAttr(b *bytes.Buffer, s string) {
	left := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != ',' {
			continue
		}
		writeSrcsetCandidate(b, s[left:i])
		if i < len(s) {
			b.WriteByte(',')
		}
		left = i + 1
	}
}

func writeSrcsetCandidate(b *bytes.Buffer, e string) {
	start := 0
	for start < len(e) && isHTMLSpace(e[start]) {
		start++
	}
	end := len(e)
	for i := start; i < len(e); i++ {
		if isHTMLSpace(e[i]) {
			end = i
			break
		}
	}
	url, meta := e[start:end], e[end:]
	metaOK := true
	for i := 0; i < len(meta); i++ {
		if c := meta[i]; !isHTMLSpace(c) && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			metaOK = false
			break
		}
	}
	if !isSafeURL(url) || !metaOK {
		b.WriteString(failsafe)
		return
	}
	b.WriteString(e[:start])
	writeNormalizedURL(b, url)
	b.WriteString(meta)
}

// isHTMLSpace is ASCII whitespace as HTML defines it.
func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}
