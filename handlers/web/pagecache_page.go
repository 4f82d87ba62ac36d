package web

import (
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// cachedPage is a cached response: the body as rendered, and its compressed
// forms, made on first use.
type cachedPage struct {
	body         []byte
	contentType  string
	cacheControl string
	etag         string
	// etagHeader and cacheControlHeader are etag and cacheControl as
	// header values, for ResponseHeader.SetCanonical.
	etagHeader, cacheControlHeader []byte

	brOnce, gzOnce sync.Once
	br, gz         []byte
}

// newCachedPage keeps body, which nothing may write to afterwards. A
// handler's Cache-Control that lets browsers keep the response (e.g. a
// versioned stylesheet, "public, max-age=31536000, immutable") is kept;
// otherwise ("", no-cache, no-store) it becomes PageCacheControl.
func newCachedPage(body []byte, contentType, cacheControl string) *cachedPage {
	sum := sha256.Sum256(body)
	if !strings.Contains(cacheControl, "public") || strings.Contains(cacheControl, "no-store") {
		cacheControl = PageCacheControl
	}
	etag := `W/"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	return &cachedPage{
		body:               body,
		contentType:        contentType,
		cacheControl:       cacheControl,
		etag:               etag,
		etagHeader:         []byte(etag),
		cacheControlHeader: []byte(cacheControl),
	}
}

// Compression levels of cached pages: compressed once, served many times,
// so they may cost more CPU than the compress middleware's best speed.
const (
	cachedBrotliLevel = 6
	cachedGzipLevel   = 6
	minCompressBytes  = 256
)

func (p *cachedPage) brotli() []byte {
	p.brOnce.Do(func() { p.br = fasthttp.AppendBrotliBytesLevel(nil, p.body, cachedBrotliLevel) })
	return p.br
}

func (p *cachedPage) gzip() []byte {
	p.gzOnce.Do(func() { p.gz = fasthttp.AppendGzipBytesLevel(nil, p.body, cachedGzipLevel) })
	return p.gz
}

// The headers a cached page sets, prepared for SetCanonical (see
// canonicalHeaders): a hit sets them without normalizing their names.
var (
	pageHeaders       = canonicalHeaders(HeaderPageCache, "hit", fiber.HeaderETag, "", fiber.HeaderCacheControl, "", fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	hdrPageCache      = pageHeaders[0]
	valueHit          = pageHeaders[1]
	hdrETag           = pageHeaders[2]
	hdrCacheControl   = pageHeaders[4]
	hdrVary           = pageHeaders[6]
	valueAcceptEncode = pageHeaders[7]
)

// setHeaders sets the page's validators and caching headers on a response
// a handler may have set headers on already.
func (p *cachedPage) setHeaders(c *fiber.Ctx) {
	h := &c.Response().Header
	h.SetCanonical(hdrETag, p.etagHeader)
	h.SetCanonical(hdrCacheControl, p.cacheControlHeader)
	h.Del(fiber.HeaderExpires)
	h.Del(fiber.HeaderPragma)
	c.Vary(fiber.HeaderAcceptEncoding)
}

// serve answers the request from the cached page; how ("hit", "stale") goes
// in X-Cache.
func (p *cachedPage) serve(c *fiber.Ctx, how string) error {
	c.Response().Header.SetCanonical(hdrPageCache, []byte(how))
	p.setHeaders(c)
	return p.send(c)
}

// serveHit is serve(c, "hit") for a response that has nothing but the
// security headers yet (PageCacheHits runs right after them).
func (p *cachedPage) serveHit(c *fiber.Ctx) error {
	p.writeHit(c.Context())
	return nil
}

// writeHit answers ctx, whose response has nothing but the security headers
// yet, from the page: nothing to delete nor to merge, so the headers are set
// in the same order as serve sets them, directly.
func (p *cachedPage) writeHit(ctx *fasthttp.RequestCtx) {
	h := &ctx.Response.Header
	h.SetCanonical(hdrPageCache, valueHit)
	h.SetCanonical(hdrETag, p.etagHeader)
	h.SetCanonical(hdrCacheControl, p.cacheControlHeader)
	h.SetCanonical(hdrVary, valueAcceptEncode)
	p.write(ctx)
}

// send writes the page, or 304 when the request's If-None-Match matches.
func (p *cachedPage) send(c *fiber.Ctx) error {
	p.write(c.Context())
	return nil
}

// write is send on the request's fasthttp context.
func (p *cachedPage) write(ctx *fasthttp.RequestCtx) {
	resp := &ctx.Response
	if notModifiedBy(peekString(&ctx.Request.Header, fiber.HeaderIfNoneMatch), p.etag) {
		resp.SetStatusCode(fiber.StatusNotModified)
		resp.ResetBody()
		return
	}
	resp.SetStatusCode(fiber.StatusOK)
	resp.Header.SetContentType(p.contentType)
	body := p.body
	if len(p.body) >= minCompressBytes {
		switch acceptedEncoding(peekString(&ctx.Request.Header, fiber.HeaderAcceptEncoding)) {
		case "br":
			body = p.brotli()
			resp.Header.SetContentEncoding("br")
		case "gzip":
			body = p.gzip()
			resp.Header.SetContentEncoding("gzip")
		}
	}
	// The cached bytes are never written to: share them.
	resp.SetBodyRaw(body)
}

// peekString is the request header's value, valid during the request (as
// fiber.Ctx.Get's).
func peekString(h *fasthttp.RequestHeader, key string) string {
	v := h.Peek(key)
	return unsafe.String(unsafe.SliceData(v), len(v))
}

// acceptedEncoding picks br, then gzip, from an Accept-Encoding header, or "".
func acceptedEncoding(header string) string {
	br, gz := false, false
	for header != "" {
		var part string
		part, header, _ = strings.Cut(header, ",")
		name, params, _ := strings.Cut(part, ";")
		if q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
			if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
				continue
			}
		}
		name = strings.TrimSpace(name)
		switch {
		case strings.EqualFold(name, "br"):
			br = true
		case strings.EqualFold(name, "gzip"), strings.EqualFold(name, "x-gzip"):
			gz = true
		}
	}
	switch {
	case br:
		return "br"
	case gz:
		return "gzip"
	}
	return ""
}

// notModified reports whether the request's If-None-Match matches etag
// (weak comparison, as RFC 9110 asks for If-None-Match).
func notModified(c *fiber.Ctx, etag string) bool {
	return notModifiedBy(c.Get(fiber.HeaderIfNoneMatch), etag)
}

// notModifiedBy reports whether the If-None-Match header inm matches etag.
func notModifiedBy(inm, etag string) bool {
	if inm == "" {
		return false
	}
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(inm, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}
