package domain

import (
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
	i.appendURL(&b, width)
	return b.String()
}

func (i *Image) appendURL(b *strings.Builder, width int) {
	var num [20]byte
	b.WriteString("/media/")
	b.WriteString(i.Key)
	b.WriteByte('-')
	b.Write(strconv.AppendInt(num[:0], int64(width), 10))
	b.WriteByte('.')
	b.WriteString(i.Ext())
}

// SrcSet lists every stored width for an <img srcset>.
func (i *Image) SrcSet() string {
	var b strings.Builder
	b.Grow(len(ImageWidths) * (len(i.Key) + 30))
	var num [20]byte
	for _, w := range ImageWidths {
		if w <= i.Width || w == ImageWidths[0] {
			if b.Len() > 0 {
				b.WriteString(", ")
			}
			i.appendURL(&b, w)
			b.WriteByte(' ')
			b.Write(strconv.AppendInt(num[:0], int64(w), 10))
			b.WriteByte('w')
		}
	}
	return b.String()
}
