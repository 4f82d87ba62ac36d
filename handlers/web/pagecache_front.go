package web

import (
	"bytes"
	"unsafe"

	"github.com/valyala/fasthttp"
)

// PageCacheFront wraps next, the server's request handler (the Fiber app's),
// to answer page-cache hits before Fiber does: the requests PageCacheHits
// would answer, with the same response (SecurityHeaders' headers, then the
// page's), but without Fiber's context, router and middleware chain, which
// cost a hit about as much as the rest of the server's work. Every other
// request goes to next untouched, as do requests whose target is not a
// plain path (absolute form, "//", a fragment), which Fiber reads its own
// way. The server keeps its timeouts: they are the server's, not Fiber's.
//
// Install it on the Fiber app's server (app.Server().Handler) once the
// routes are registered; PageCacheHits stays in the middleware chain for
// what calls the app's handler directly (tests). stats, when not nil,
// counts the hits.
func PageCacheFront(cache PageCacheBackend, stats *PageCacheStats, production bool, next fasthttp.RequestHandler) fasthttp.RequestHandler {
	security := securityHeaders(production)
	return func(ctx *fasthttp.RequestCtx) {
		if p := frontHit(cache, ctx); p != nil && serveFront(ctx, security, p) {
			stats.hit()
			return
		}
		next(ctx)
	}
}

// frontHit is PageCacheHits' lookup on the raw request: the cached page
// for ctx, or nil.
func frontHit(cache PageCacheBackend, ctx *fasthttp.RequestCtx) *cachedPage {
	if !ctx.IsGet() && !ctx.IsHead() {
		return nil
	}
	// Fiber's c.Path() is the URI's original path: the request target up
	// to "?", for a target that starts with a single "/" and has no "#".
	uri := ctx.Request.Header.RequestURI()
	if len(uri) == 0 || uri[0] != '/' || bytes.HasPrefix(uri, []byte("//")) || bytes.IndexByte(uri, '#') >= 0 {
		return nil
	}
	rawPath, query := uri, []byte(nil)
	if i := bytes.IndexByte(uri, '?'); i >= 0 {
		rawPath, query = uri[:i], uri[i+1:]
	}
	// Valid during the request, like c.Path(); lookupHit keeps no reference.
	path := unsafe.String(unsafe.SliceData(rawPath), len(rawPath))
	slug := storeSlug(path)
	if slug == "" || len(query) > 512 || len(ctx.Request.Header.Cookie(flashCookie)) > 0 {
		return nil
	}
	return lookupHit(cache, slug, path, query)
}

// serveFront answers ctx from p with the security headers first, as the
// middleware chain would. Should it panic (Fiber's recover middleware is
// not in front), the response is reset and false returned, for next to
// answer instead.
func serveFront(ctx *fasthttp.RequestCtx, security [][]byte, p *cachedPage) (ok bool) {
	defer func() {
		if recover() != nil {
			ctx.Response.Reset()
			ok = false
		}
	}()
	setHeaders(&ctx.Response.Header, security)
	p.writeHit(ctx)
	return true
}
