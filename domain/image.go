package domain

import (
	"io"
	"strconv"
	"strings"
	"time"
)

// Image is an uploaded picture, stored re-encoded (EXIF stripped) at the
// widths in ImageWidths. Key names the files in image storage.
type Image struct {
	ID         int64  `gorm:"primaryKey"`
	BusinessID int64  `gorm:"not null;index"`
	Key        string `gorm:"size:100;not null;uniqueIndex"`
	// Format is the stored encoding: "jpeg" or "png" (kept for transparency).
	Format    string `gorm:"size:10;not null"`
	Width     int    `gorm:"not null"`
	Height    int    `gorm:"not null"`
	Bytes     int64  `gorm:"not null;default:0"`
	CreatedAt time.Time
}

// ImageWidths are the stored widths, for srcset.
var ImageWidths = []int{400, 1200}

// Ext is the file extension of the stored format.
func (i *Image) Ext() string {
	if i.Format == "png" {
		return "png"
	}
	return "jpg"
}

// URL is the public address of the stored copy at width (one of ImageWidths).
func (i *Image) URL(width int) string {
	var b strings.Builder
	b.Grow(len(i.Key) + 20)
	i.WriteURL(&b, width)
	return b.String()
}

// TextWriter is what WriteURL and WriteSrcSet write to: a *strings.Builder
// or a *bytes.Buffer.
type TextWriter interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
}

// WriteURL writes URL(width) to b without building a string of its own.
func (i *Image) WriteURL(b TextWriter, width int) {
	b.WriteString("/media/")
	b.WriteString(i.Key)
	b.WriteByte('-')
	writeInt(b, width)
	b.WriteByte('.')
	b.WriteString(i.Ext())
}

// SrcSet lists every stored width for an <img srcset>.
func (i *Image) SrcSet() string {
	var b strings.Builder
	b.Grow(len(ImageWidths) * (len(i.Key) + 30))
	i.WriteSrcSet(&b)
	return b.String()
}

// WriteSrcSet writes SrcSet() to b without building a string of its own.
func (i *Image) WriteSrcSet(b TextWriter) {
	first := true
	for _, w := range ImageWidths {
		if w <= i.Width || w == ImageWidths[0] {
			if !first {
				b.WriteString(", ")
			}
			first = false
			i.WriteURL(b, w)
			b.WriteByte(' ')
			writeInt(b, w)
			b.WriteByte('w')
		}
	}
}

// writeInt writes n in decimal a byte at a time: a digit buffer handed to
// an interface's Write would be moved to the heap.
func writeInt(b io.ByteWriter, n int) {
	var num [20]byte
	for _, c := range strconv.AppendInt(num[:0], int64(n), 10) {
		b.WriteByte(c)
	}
}
