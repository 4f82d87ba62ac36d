package demoart

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/srwiley/rasterx"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// boxScanner is a rasterx.Scanner like rasterx.ScannerGV, except that each
// path is rasterized only over its own bounding box instead of the whole
// image: a 1200 px picture of a few dozen small paths draws in milliseconds
// instead of seconds.
type boxScanner struct {
	dest   *image.RGBA
	src    image.Image
	points []pathPoint
	minX   fixed.Int26_6
	minY   fixed.Int26_6
	maxX   fixed.Int26_6
	maxY   fixed.Int26_6
	r      vector.Rasterizer
}

type pathPoint struct {
	p     fixed.Point26_6
	start bool
}

func newBoxScanner(dest *image.RGBA) *boxScanner {
	s := &boxScanner{dest: dest, src: image.NewUniform(color.Black)}
	s.Clear()
	return s
}

var _ rasterx.Scanner = (*boxScanner)(nil)

func (s *boxScanner) grow(a fixed.Point26_6) {
	s.minX, s.maxX = min(s.minX, a.X), max(s.maxX, a.X)
	s.minY, s.maxY = min(s.minY, a.Y), max(s.maxY, a.Y)
}

// Start begins a new curve at a.
func (s *boxScanner) Start(a fixed.Point26_6) {
	s.grow(a)
	s.points = append(s.points, pathPoint{a, true})
}

// Line adds a straight segment to b.
func (s *boxScanner) Line(b fixed.Point26_6) {
	s.grow(b)
	s.points = append(s.points, pathPoint{b, false})
}

// Draw paints the path gathered since Clear with the current colour.
func (s *boxScanner) Draw() {
	if len(s.points) == 0 {
		return
	}
	box := image.Rect(s.minX.Floor(), s.minY.Floor(), s.maxX.Ceil()+1, s.maxY.Ceil()+1).Intersect(s.dest.Rect)
	if box.Empty() {
		return
	}
	s.r.Reset(box.Dx(), box.Dy())
	ox, oy := float32(box.Min.X), float32(box.Min.Y)
	for _, pt := range s.points {
		x, y := float32(pt.p.X)/64-ox, float32(pt.p.Y)/64-oy
		if pt.start {
			s.r.MoveTo(x, y)
		} else {
			s.r.LineTo(x, y)
		}
	}
	s.r.ClosePath()
	// A view of dest whose origin is the box's corner, so the mask (which
	// starts at 0,0) lands where the path is.
	view := &image.RGBA{Pix: s.dest.Pix[s.dest.PixOffset(box.Min.X, box.Min.Y):], Stride: s.dest.Stride, Rect: image.Rect(0, 0, box.Dx(), box.Dy())}
	src := s.src
	if f, ok := src.(colorFuncImage); ok {
		f.dx, f.dy = box.Min.X, box.Min.Y
		src = f
	}
	s.r.DrawOp = draw.Over
	s.r.Draw(view, view.Rect, src, image.Point{})
}

// GetPathExtent is the bounding box of the current path.
func (s *boxScanner) GetPathExtent() fixed.Rectangle26_6 {
	return fixed.Rectangle26_6{Min: fixed.Point26_6{X: s.minX, Y: s.minY}, Max: fixed.Point26_6{X: s.maxX, Y: s.maxY}}
}

// SetBounds does nothing: the destination's bounds are used.
func (s *boxScanner) SetBounds(w, h int) {}

// SetColor sets the paint: a color.Color or a rasterx.ColorFunc (gradients).
func (s *boxScanner) SetColor(c interface{}) {
	switch c := c.(type) {
	case color.Color:
		s.src = image.NewUniform(c)
	case rasterx.ColorFunc:
		s.src = colorFuncImage{f: c}
	}
}

// SetWinding does nothing: the vector rasterizer only knows non-zero.
func (s *boxScanner) SetWinding(bool) {}

// Clear forgets the current path.
func (s *boxScanner) Clear() {
	s.points = s.points[:0]
	s.minX, s.minY = math.MaxInt32, math.MaxInt32
	s.maxX, s.maxY = -math.MaxInt32, -math.MaxInt32
}

// SetClip is not supported; the destination's bounds clip.
func (s *boxScanner) SetClip(image.Rectangle) {}

// colorFuncImage paints a gradient in destination coordinates, shifted by
// the box the path is drawn in.
type colorFuncImage struct {
	f      rasterx.ColorFunc
	dx, dy int
}

func (c colorFuncImage) ColorModel() color.Model { return color.RGBAModel }
func (c colorFuncImage) Bounds() image.Rectangle {
	return image.Rect(-1e9, -1e9, 1e9, 1e9)
}
func (c colorFuncImage) At(x, y int) color.Color { return c.f(x+c.dx, y+c.dy) }
