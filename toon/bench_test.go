package toon

import (
	"encoding/json"
	"strconv"
	"testing"
)

// catalog is a store context the size of a large menu: store facts and
// 500 products, which encode as one table.
func catalog(n int) Object {
	cats := []string{"Tacos", "Bebidas", "Postres", "Combos"}
	products := make([]any, n)
	for i := range products {
		products[i] = Object{
			{"name", "Producto " + strconv.Itoa(i) + " al pastor"},
			{"category", cats[i%len(cats)]},
			{"price", json.Number(strconv.Itoa(20+i%90) + ".50")},
			{"description", "Tortilla de maíz, cebolla, cilantro y salsa verde, hecha al momento…"},
			{"rating", float64(i%50) / 10},
			{"available", i%7 != 0},
		}
	}
	return Object{
		{"store", Object{
			{"name", "Tacos Doña Lupe"},
			{"hours", "Mon-Sat 09:00-22:00"},
			{"open_now", true},
			{"delivery_fee", json.Number("35")},
			{"minimum_order", json.Number("120.00")},
			{"payment", []any{"cash", "card", "transfer"}},
		}},
		{"products", products},
	}
}

func BenchmarkEncodeCatalog500(b *testing.B) {
	v := catalog(500)
	out, _ := AppendEncode(nil, v, Options{})
	b.SetBytes(int64(len(out)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(v, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendEncodeCatalog500(b *testing.B) {
	v := catalog(500)
	buf, _ := AppendEncode(nil, v, Options{})
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = AppendEncode(buf[:0], v, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCatalogIsTabular(t *testing.T) {
	out := mustEncode(t, catalog(2))
	want := `store:
  name: Tacos Doña Lupe
  hours: "Mon-Sat 09:00-22:00"
  open_now: true
  delivery_fee: 35
  minimum_order: 120
  payment[3]: cash,card,transfer
products[2]{name,category,price,description,rating,available}:
  Producto 0 al pastor,Tacos,20.5,"Tortilla de maíz, cebolla, cilantro y salsa verde, hecha al momento…",0,false
  Producto 1 al pastor,Bebidas,21.5,"Tortilla de maíz, cebolla, cilantro y salsa verde, hecha al momento…",0.1,true`
	if out != want {
		t.Errorf("got\n%s", out)
	}
}
