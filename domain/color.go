package domain

import (
	"math"
	"regexp"
	"strconv"
)

// ContrastRatio is the WCAG contrast ratio of two "#rrggbb" colors (1 to 21).
func ContrastRatio(a, b string) float64 {
	la, lb := Luminance(a), Luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Luminance is the WCAG relative luminance of "#rrggbb" (0 black, 1 white);
// anything else counts as black.
func Luminance(hex string) float64 {
	if len(hex) != 7 || hex[0] != '#' {
		return 0
	}
	ch := func(s string) float64 {
		n, _ := strconv.ParseUint(s, 16, 8)
		c := float64(n) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(hex[1:3]) + 0.7152*ch(hex[3:5]) + 0.0722*ch(hex[5:7])
}

// TextOn picks white or near-black text, whichever reads better on bg.
func TextOn(bg string) string {
	const dark = "#111827"
	if ContrastRatio(bg, "#ffffff") >= ContrastRatio(bg, dark) {
		return "#ffffff"
	}
	return dark
}

var hexColorPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// IsHexColor reports whether s is a "#rrggbb" color.
func IsHexColor(s string) bool { return hexColorPattern.MatchString(s) }
