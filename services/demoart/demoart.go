// Package demoart draws the demo store's product pictures: Twemoji food
// illustrations (CC-BY 4.0, vendored in twemoji/ by scripts/vendor-assets.sh)
// large and centred on a background in the store's colours. It is pure: it
// returns pixels and never stores anything.
package demoart

import (
	"bytes"
	"embed"
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/srwiley/oksvg"
	"github.com/srwiley/rasterx"
)

//go:embed twemoji/*.svg
var emojiFS embed.FS

// Credit is the attribution the Twemoji license (CC-BY 4.0) asks for.
const Credit = "Twemoji © Twitter, Inc and other contributors, CC-BY 4.0"

// Layer is one emoji of a picture: its Twemoji code point file name (as
// "1f32e") and its centre and size as fractions of the picture's side.
type Layer struct {
	Emoji   string
	X, Y    float64
	Size    float64
	OnBadge bool // drawn on a small white disc, for a secondary ingredient
}

// Picture is a product's illustration, layers drawn in order.
type Picture []Layer

// Dish is a single emoji, large and centred.
func Dish(code string) Picture {
	return Picture{{Emoji: code, X: 0.5, Y: 0.5, Size: 0.6}}
}

// DishWith is a main emoji with a smaller ingredient on a badge at the
// lower right, so dishes of the same kind (tacos) tell apart.
func DishWith(code, ingredient string) Picture {
	return Picture{
		{Emoji: code, X: 0.47, Y: 0.47, Size: 0.58},
		{Emoji: ingredient, X: 0.76, Y: 0.76, Size: 0.2, OnBadge: true},
	}
}

// Several is count copies of an emoji in a row that overlaps, for a dish
// that comes by the plate (an order of tacos).
func Several(code string, count int) Picture {
	p := make(Picture, 0, count)
	size := 0.44
	span := 0.5
	for i := 0; i < count; i++ {
		t := 0.5
		if count > 1 {
			t = float64(i) / float64(count-1)
		}
		// A gentle arc: the middle ones sit a little higher.
		y := 0.58 - 0.08*math.Sin(t*math.Pi)
		p = append(p, Layer{Emoji: code, X: 0.5 - span/2 + span*t, Y: y, Size: size})
	}
	return p
}

// Canvas draws pictures on one store's background; the background is
// computed once and copied for every picture.
type Canvas struct {
	bg *image.RGBA
}

// NewCanvas prepares side×side pictures on a background made from the
// store's primary and accent colours ("#rrggbb"; a bad value falls back to
// a warm orange).
func NewCanvas(primary, accent string, side int) (*Canvas, error) {
	if side < 16 || side > 4096 {
		return nil, fmt.Errorf("demoart: side %d out of range", side)
	}
	bg := image.NewRGBA(image.Rect(0, 0, side, side))
	background(bg, parseHex(primary, color.RGBA{180, 83, 9, 255}), parseHex(accent, color.RGBA{245, 158, 11, 255}))
	return &Canvas{bg: bg}, nil
}

// Draw renders p on the canvas's background.
func (c *Canvas) Draw(p Picture) (*image.RGBA, error) {
	img := image.NewRGBA(c.bg.Rect)
	copy(img.Pix, c.bg.Pix)
	for _, l := range p {
		if l.OnBadge {
			disc(img, l.X, l.Y, l.Size*1.3, color.RGBA{255, 255, 255, 255}, 0.92)
		}
		if err := drawEmoji(img, l); err != nil {
			return nil, err
		}
	}
	return img, nil
}

func drawEmoji(img *image.RGBA, l Layer) error {
	data, err := emojiFS.ReadFile("twemoji/" + l.Emoji + ".svg")
	if err != nil {
		return fmt.Errorf("demoart: emoji %s is not vendored (scripts/vendor-assets.sh): %w", l.Emoji, err)
	}
	icon, err := oksvg.ReadIconStream(bytes.NewReader(normalizePaths(data)), oksvg.StrictErrorMode)
	if err != nil {
		return fmt.Errorf("demoart: read emoji %s: %w", l.Emoji, err)
	}
	side := float64(img.Bounds().Dx())
	size := l.Size * side
	icon.SetTarget(l.X*side-size/2, l.Y*side-size/2, size, size)
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	icon.Draw(rasterx.NewDasher(w, h, newBoxScanner(img)), 1)
	return nil
}

// background fills img with a soft diagonal gradient between light tints of
// the primary colour, a pale disc of the accent colour behind the dish and
// a faint light from the top left.
func background(img *image.RGBA, primary, accent color.RGBA) {
	side := img.Bounds().Dx()
	from, to := tint(primary, 0.10), tint(primary, 0.24)
	for y := 0; y < side; y++ {
		for x := 0; x < side; x++ {
			t := (float64(x) + float64(y)) / float64(2*(side-1))
			c := mix(from, to, t)
			// A soft light from the top left, strongest at (0.3, 0.25).
			dx, dy := float64(x)/float64(side)-0.3, float64(y)/float64(side)-0.25
			if glow := 1 - math.Sqrt(dx*dx+dy*dy)/0.9; glow > 0 {
				c = mix(c, color.RGBA{255, 255, 255, 255}, 0.35*glow*glow)
			}
			i := img.PixOffset(x, y)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, 255
		}
	}
	disc(img, 0.5, 0.5, 0.78, tint(accent, 0.30), 1)
	disc(img, 0.5, 0.5, 0.7, tint(accent, 0.16), 1)
}

// disc paints an anti-aliased circle of diameter d (a fraction of the
// side) centred at (cx, cy), with opacity alpha, over what is there.
func disc(img *image.RGBA, cx, cy, d float64, c color.RGBA, alpha float64) {
	side := float64(img.Bounds().Dx())
	r := d * side / 2
	px, py := cx*side, cy*side
	x0, x1 := max(0, int(px-r-1)), min(int(side), int(px+r+2))
	y0, y1 := max(0, int(py-r-1)), min(int(side), int(py+r+2))
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			dist := math.Hypot(float64(x)+0.5-px, float64(y)+0.5-py)
			cover := math.Max(0, math.Min(1, r-dist+0.5)) * alpha
			if cover == 0 {
				continue
			}
			i := img.PixOffset(x, y)
			under := color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], 255}
			m := mix(under, c, cover)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2] = m.R, m.G, m.B
		}
	}
}

// tint is c mixed with white, amount being how much of c is kept.
func tint(c color.RGBA, amount float64) color.RGBA {
	return mix(color.RGBA{255, 255, 255, 255}, c, amount)
}

func mix(a, b color.RGBA, t float64) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 255}
}

func parseHex(s string, fallback color.RGBA) color.RGBA {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) != 6 {
		return fallback
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return fallback
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
}
