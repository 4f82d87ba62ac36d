package toon

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The fixtures are a copy of toon-spec's fixtures/encode (testdata/fixtures/VERSION).
func TestFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/fixtures/encode/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	passed := 0
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := DecodeJSON(strings.NewReader(string(raw)))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		tests, _ := doc.(Object).Get("tests")
		for _, tc := range tests.([]any) {
			tc := tc.(Object)
			name, _ := tc.Get("name")
			in, _ := tc.Get("input")
			want, _ := tc.Get("expected")
			opts := fixtureOptions(t, tc)
			t.Run(filepath.Base(file)+"/"+name.(string), func(t *testing.T) {
				got, err := Encode(in, opts)
				if shouldErr, _ := tc.Get("shouldError"); shouldErr == true {
					if err == nil {
						t.Fatalf("want an error, got %q", got)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got != want.(string) {
					t.Fatalf("got\n%s\nwant\n%s", got, want)
				}
				passed++
			})
		}
	}
	t.Logf("%d fixtures passed", passed)
}

func fixtureOptions(t *testing.T, tc Object) Options {
	var opts Options
	o, ok := tc.Get("options")
	if !ok {
		return opts
	}
	for _, kv := range o.(Object) {
		switch kv.Key {
		case "delimiter":
			opts.Delimiter = kv.Value.(string)[0]
		case "indentSize":
			n, _ := kv.Value.(json.Number).Int64()
			opts.Indent = int(n)
		default:
			t.Fatalf("unknown option %q", kv.Key)
		}
	}
	return opts
}

func TestGoValues(t *testing.T) {
	type product struct {
		Name  string `json:"name"`
		Price int    `json:"price"`
	}
	cases := []struct {
		in   any
		want string
	}{
		{map[string]any{"b": 1, "a": []string{"x", "y"}}, "a[2]: x,y\nb: 1"},
		{Object{{"n", math.NaN()}, {"i", math.Inf(-1)}, {"z", math.Copysign(0, -1)}}, "n: null\ni: null\nz: 0"},
		{[]any{1.5, float32(0.1), 1e21, 1e-7, 123456789.125, int8(-3), uint64(1 << 63)}, "[7]: 1.5,0.1,1e+21,1e-7,123456789.125,-3,9223372036854775808"},
		{[]any{json.Number("1.50"), json.Number("-0.0"), json.Number("1E+2"), json.Number("12345678901234567890123"), json.Number("0.0000001234")},
			"[5]: 1.5,0,100,1.2345678901234567890123e+22,1.234e-7"},
		{Object{{"t", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}}, `t: "2026-01-02T03:04:05Z"`},
		{[]product{{"Taco", 25}, {"Agua", 15}}, "[2]{name,price}:\n  Taco,25\n  Agua,15"},
		{Object{{"a", Object{{"x", 1}}}, {"b", Object{{"x", 2}}}}, "[2:]{x}:\n  a: 1\n  b: 2"},
		{Object{{"s", Object{{"a", Object{{"x", 1}, {"y", "p|q"}}}, {"b", Object{{"y", 3}, {"x", 2}}}}}}, "s[2:]{x,y}:\n  a: 1,p|q\n  b: 2,3"},
		{[]any{Object{{"a", 1}, {"a", 2}}, Object{{"a", 1}, {"a", 2}}}, "[2]:\n  - a: 1\n    a: 2\n  - a: 1\n    a: 2"},
	}
	for _, c := range cases {
		got, err := Encode(c.in, Options{})
		if err != nil || got != c.want {
			t.Errorf("Encode(%#v) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestOptionsAndErrors(t *testing.T) {
	v := Object{{"rows", []any{Object{{"a", "x|y"}, {"b", "t\tu"}}}}, {"note", "p|q"}}
	got, _ := Encode(v, Options{Delimiter: Pipe, Indent: 4})
	if want := "rows[1|]{a|b}:\n    \"x|y\"|\"t\\tu\"\nnote: \"p|q\""; got != want {
		t.Errorf("pipe: got %q want %q", got, want)
	}
	got, _ = Encode([]any{"a b", "c,d"}, Options{Delimiter: Tab})
	if want := "[2\t]: a b\tc,d"; got != want {
		t.Errorf("tab: got %q want %q", got, want)
	}
	if _, err := Encode(1, Options{Delimiter: ';'}); err != ErrOptions {
		t.Errorf("bad delimiter: %v", err)
	}
	if _, err := Encode(json.Number("1x"), Options{}); err == nil {
		t.Error("invalid json.Number accepted")
	}
	if _, err := Encode(Object{{"c", make(chan int)}}, Options{}); err == nil {
		t.Error("channel accepted")
	}
	b, _ := AppendEncode([]byte("prefix\n"), Object{{"a", 1}, {"b", 2}}, Options{})
	if string(b) != "prefix\na: 1\nb: 2" {
		t.Errorf("AppendEncode: %q", b)
	}
}

func TestDecodeJSON(t *testing.T) {
	for _, bad := range []string{"", "{", `{"a":}`, "[1,]", "{} {}", "1 x"} {
		if _, err := DecodeJSON(strings.NewReader(bad)); err == nil {
			t.Errorf("DecodeJSON(%q) accepted", bad)
		}
	}
	v, err := DecodeJSON(strings.NewReader(`{"z":1.10,"a":[true,null,"s"],"z":{"y":"last"}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := Object{{"z", Object{{"y", "last"}}}, {"a", []any{true, nil, "s"}}}
	if g, w := mustEncode(t, v), mustEncode(t, want); g != w || len(v.(Object)) != 2 || v.(Object)[0].Key != "z" {
		t.Errorf("got %#v", v)
	}
}

func mustEncode(t *testing.T, v any) string {
	t.Helper()
	s, err := Encode(v, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDecodeJSONManyKeys(t *testing.T) {
	var sb strings.Builder
	sb.WriteByte('{')
	for i := range 40 {
		fmt.Fprintf(&sb, `"k%d":%d,`, i%30, i)
	}
	sb.WriteString(`"end":true}`)
	v, err := DecodeJSON(strings.NewReader(sb.String()))
	if err != nil {
		t.Fatal(err)
	}
	obj := v.(Object)
	if len(obj) != 31 || obj[0].Key != "k0" || obj[0].Value != json.Number("30") || obj[29].Value != json.Number("29") || obj[30].Key != "end" {
		t.Errorf("got %v", obj)
	}
}
