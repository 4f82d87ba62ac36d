package demoart

import "testing"

func BenchmarkDraw(b *testing.B) {
	c, err := NewCanvas("#047857", "#f59e0b", 1200)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		if _, err := c.Draw(DishWith("1f32e", "1f34d")); err != nil {
			b.Fatal(err)
		}
	}
}
