package demoart

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"github.com/srwiley/oksvg"
	"github.com/srwiley/rasterx"
)

func TestNormalizePathDataSpellsOutEveryCommand(t *testing.T) {
	for in, want := range map[string]string{
		// An optimizer's circle: the second arc repeats the command implicitly.
		"M20 12a1 1 0 1 1-2 0 1 1 0 0 1 2 0z": "M20 12a1 1 0 1 1 -2 0a1 1 0 0 1 2 0z",
		// Compact flags and numbers that start with a dot.
		"M0 23a6 6 0 1111.998.002": "M0 23a6 6 0 1 1 11.998 .002",
		// Extra pairs after a moveto are linetos.
		"m1 2 3 4 5 6":      "m1 2l3 4l5 6",
		"M1e-2,3E+1 L.5-.5": "M1e-2 3E+1L.5 -.5",
	} {
		if got, ok := normalizePathData(in); !ok || got != want {
			t.Errorf("normalizePathData(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"12 3", "M1", "X1 2", "M1 2 a1 1 0 2 1 3 4"} {
		if got, ok := normalizePathData(bad); ok {
			t.Errorf("normalizePathData(%q) = %q, want refused", bad, got)
		}
	}
}

// A circle drawn as two arcs, the second one implicit (as in Twemoji's
// taco), is drawn whole.
func TestCircleOfTwoArcsIsDrawnWhole(t *testing.T) {
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36"><path fill="#000" d="M28 18a10 10 0 1 1-20 0 10 10 0 0 1 20 0z"/></svg>`)
	icon, err := oksvg.ReadIconStream(bytes.NewReader(normalizePaths(svg)), oksvg.StrictErrorMode)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 360, 360))
	icon.SetTarget(0, 0, 360, 360)
	icon.Draw(rasterx.NewDasher(360, 360, newBoxScanner(img)), 1)
	for _, p := range []image.Point{{180, 100}, {180, 260}, {100, 180}, {260, 180}} {
		if _, _, _, a := img.At(p.X, p.Y).RGBA(); a == 0 {
			t.Errorf("pixel %v of the circle is not painted", p)
		}
	}
	if _, _, _, a := img.At(10, 10).RGBA(); a != 0 {
		t.Error("a pixel outside the circle is painted")
	}
}

// Every picture drawn is the canvas's size, the background carries the
// primary colour, and an unknown emoji is an error, not a blank picture.
func TestCanvasDraws(t *testing.T) {
	c, err := NewCanvas("#047857", "#f59e0b", 240)
	if err != nil {
		t.Fatal(err)
	}
	img, err := c.Draw(DishWith("1f32e", "1f34d"))
	if err != nil || img.Bounds() != image.Rect(0, 0, 240, 240) {
		t.Fatalf("Draw = %v, %v", img.Bounds(), err)
	}
	corner := img.RGBAAt(2, 2)
	if !(corner.G > corner.R && corner.G > corner.B) {
		t.Errorf("corner %v is not a tint of the primary green", corner)
	}
	centre := img.RGBAAt(110, 110)
	if centre == corner || centre == (color.RGBA{}) {
		t.Errorf("centre %v: no dish drawn", centre)
	}
	if _, err := c.Draw(Dish("0000")); err == nil {
		t.Error("an emoji that is not vendored drew")
	}
	if _, err := NewCanvas("#047857", "#f59e0b", 8); err == nil {
		t.Error("a tiny canvas was accepted")
	}
}
