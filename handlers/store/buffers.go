package store

import (
	"bytes"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
)

// bufferPool lends the big buffers a page is written into (the page, its
// product cards: ~160 KB each for a 200-product store) and keeps up to its
// capacity of them between renders. Unlike a sync.Pool, which drops what it
// holds over two garbage collections, it keeps them: with 8 pages rendering
// at once, collections came often enough that pooled buffers were dropped
// and grown again from nothing, ~20 % more bytes allocated per render.
type bufferPool struct{ free chan *bytes.Buffer }

// Pooled buffers: enough for the renders a small machine runs at once; a
// buffer grown past maxPooledBuffer (an unusual page) is not kept.
const (
	pooledBuffers   = 8
	maxPooledBuffer = 1 << 20
)

func newBufferPool() *bufferPool {
	return &bufferPool{free: make(chan *bytes.Buffer, pooledBuffers)}
}

// get returns an empty buffer.
func (p *bufferPool) get() *bytes.Buffer {
	select {
	case b := <-p.free:
		b.Reset()
		return b
	default:
		return new(bytes.Buffer)
	}
}

// put gives b back; nothing may use it afterwards.
func (p *bufferPool) put(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	select {
	case p.free <- b:
	default:
	}
}

// pageBuffers are the buffers store pages render into.
var pageBuffers = newBufferPool()

// renderPage is c.Render(name, data, layout) through a pooled buffer: the
// app's views write the page there, and the response gets a copy. The copy
// of a cacheable page is given up to the response (web.SetOwnedBody): the
// page cache keeps it as it is instead of copying it once more.
func renderPage(c *fiber.Ctx, name string, data fiber.Map, layout string) error {
	buf := pageBuffers.get()
	defer pageBuffers.put(buf)
	if err := c.App().Config().Views.Render(buf, name, data, layout); err != nil {
		return fmt.Errorf("failed to render: %w", err)
	}
	c.Response().Header.SetContentType(fiber.MIMETextHTMLCharsetUTF8)
	if c.Locals(web.LocalStoreCacheable) == true {
		web.SetOwnedBody(c, bytes.Clone(buf.Bytes()))
	} else {
		c.Response().SetBody(buf.Bytes())
	}
	return nil
}
