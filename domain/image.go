package domain

import "time"

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
