package web

import (
	"io"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"
	"github.com/klauspost/compress/gzip"
	"github.com/valyala/fasthttp"
)

// compressor is a gzip or brotli writer that can be reused.
type compressor interface {
	io.WriteCloser
	Reset(w io.Writer)
}

// keptCompressors lends compressors and keeps up to its capacity of them
// between uses. Unlike the sync.Pool of the compress middleware (fasthttp's),
// which drops what it holds over two garbage collections, it keeps them: a
// gzip compressor costs some 580 KB to make, and with 8 pages rendering at
// once collections came often enough that about one miss in ten made one.
type keptCompressors struct {
	free      chan compressor
	newWriter func() compressor
}

// keptCompressorsCap is how many compressors of a kind are kept: enough for
// the misses a small machine renders at once.
const keptCompressorsCap = 8

func newKeptCompressors(newWriter func() compressor) *keptCompressors {
	return &keptCompressors{free: make(chan compressor, keptCompressorsCap), newWriter: newWriter}
}

// compress writes src, compressed, to dst.
func (k *keptCompressors) compress(dst io.Writer, src []byte) error {
	var w compressor
	select {
	case w = <-k.free:
	default:
		w = k.newWriter()
	}
	w.Reset(dst)
	_, err := w.Write(src)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	w.Reset(io.Discard) // drop dst
	select {
	case k.free <- w:
	default:
	}
	return err
}

// The compressors of cacheable misses, at the compress middleware's levels
// (app.useMiddleware: best speed), so a miss is encoded as before.
var (
	missGzip = newKeptCompressors(func() compressor {
		w, _ := gzip.NewWriterLevel(nil, fasthttp.CompressBestSpeed) // a valid level: no error
		return w
	})
	missBrotli = newKeptCompressors(func() compressor {
		return brotli.NewWriterLevel(nil, fasthttp.CompressBrotliBestSpeed)
	})
)

// compressMiss replaces the uncompressed body of a cacheable miss by its
// brotli or gzip form when the request accepts one (acceptedEncoding, as a
// hit), the work the compress middleware would do, with kept compressors.
// body is the cached page's copy of the response body, which stays
// untouched. Any other request is left to the compress middleware.
func compressMiss(c *fiber.Ctx, body []byte) {
	if len(body) < minCompressBytes {
		return
	}
	k, enc := missGzip, "gzip"
	switch acceptedEncoding(c.Get(fiber.HeaderAcceptEncoding)) {
	case "br":
		k, enc = missBrotli, "br"
	case "gzip":
	default:
		return
	}
	resp := c.Response()
	resp.ResetBody()
	if err := k.compress(resp.BodyWriter(), body); err != nil {
		resp.SetBodyRaw(body) // the cached bytes are never written to
		return
	}
	resp.Header.SetContentEncoding(enc)
}
