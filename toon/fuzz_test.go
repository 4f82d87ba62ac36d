package toon

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// FuzzEncode checks that encoding arbitrary JSON never panics nor fails and
// never leaves trailing white space, and that a table built from the input's
// primitives and the two fuzzed strings round-trips through decodeTable.
func FuzzEncode(f *testing.F) {
	files, _ := filepath.Glob("testdata/fixtures/encode/*.json")
	for _, file := range files {
		raw, _ := os.ReadFile(file)
		doc, _ := DecodeJSON(strings.NewReader(string(raw)))
		tests, _ := doc.(Object).Get("tests")
		for _, tc := range tests.([]any) {
			in, _ := tc.(Object).Get("input")
			js, _ := json.Marshal(jsonOf(in))
			f.Add(string(js), "id", "name")
		}
	}
	f.Add(`[1e400, -0.0, 1E-7, "a\u0000b"]`, " ", "-")
	f.Add(`{"x":{"a":{"p":1},"b":{"p":2}}}`, `"q"`, "a,b|c\td")
	f.Fuzz(func(t *testing.T, js, a, b string) {
		var leaves []any
		if v, err := DecodeJSON(strings.NewReader(js)); err == nil {
			for _, d := range []byte{Comma, Tab, Pipe} {
				out, err := Encode(v, Options{Delimiter: d})
				if err != nil && !errors.Is(err, errNumberRange) {
					t.Fatalf("Encode: %v", err)
				}
				checkLines(t, out)
			}
			leaves = primitivesOf(v, leaves)
		}
		table, fields := tableOf(a, b, leaves)
		for _, d := range []byte{Comma, Tab, Pipe} {
			out, err := Encode(Object{{b, table}}, Options{Delimiter: d, Indent: 3})
			if errors.Is(err, errNumberRange) {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			key, gotFields, rows, err := decodeTable(out, 3)
			if err != nil {
				t.Fatalf("decode %q: %v", out, err)
			}
			if key != b || fmt.Sprint(gotFields) != fmt.Sprint(fields) || len(rows) != len(table) {
				t.Fatalf("header of %q: %q %q, %d rows", out, key, gotFields, len(rows))
			}
			for i, row := range rows {
				for j, cell := range row {
					if want := cellOf(table[i].(Object)[j].Value); cell != want {
						t.Fatalf("%q row %d cell %d: got %#v want %#v", out, i, j, cell, want)
					}
				}
			}
		}
	})
}

func checkLines(t *testing.T, out string) {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasSuffix(l, " ") || (l == "" && out != "") {
			t.Fatalf("blank line or trailing space in %q", out)
		}
	}
}

// jsonOf turns an Object tree into values encoding/json writes in order.
func jsonOf(v any) any {
	switch x := v.(type) {
	case Object:
		var sb strings.Builder
		sb.WriteByte('{')
		for i, kv := range x {
			if i > 0 {
				sb.WriteByte(',')
			}
			k, _ := json.Marshal(kv.Key)
			val, _ := json.Marshal(jsonOf(kv.Value))
			sb.Write(k)
			sb.WriteByte(':')
			sb.Write(val)
		}
		sb.WriteByte('}')
		return json.RawMessage(sb.String())
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonOf(e)
		}
		return out
	}
	return v
}

func primitivesOf(v any, acc []any) []any {
	switch x := v.(type) {
	case Object:
		for _, kv := range x {
			acc = primitivesOf(kv.Value, append(acc, kv.Key))
		}
	case []any:
		for _, e := range x {
			acc = primitivesOf(e, acc)
		}
	default:
		acc = append(acc, v)
	}
	return acc
}

// tableOf builds uniform rows with the fields id, a and b (when distinct)
// filled in turn with a, b and the leaves.
func tableOf(a, b string, leaves []any) ([]any, []string) {
	fields := []string{"id"}
	for _, k := range []string{a, b} {
		if !slices.Contains(fields, k) {
			fields = append(fields, k)
		}
	}
	cells := append([]any{a, b, nil, true, json.Number("-1.50")}, leaves...)
	if len(cells) > 30 {
		cells = cells[:30]
	}
	var rows []any
	for i := 0; i < len(cells); i += len(fields) {
		row := make(Object, len(fields))
		for j, k := range fields {
			row[j] = KV{k, cells[(i+j)%len(cells)]}
		}
		rows = append(rows, row)
	}
	return rows, fields
}

// number is a numeric token as decodeTable reads it.
type number string

// cellOf is what a decoded cell must equal for the value v.
func cellOf(v any) any {
	if n, ok := v.(json.Number); ok {
		b, _ := appendJSONNumber(nil, n)
		return number(b)
	}
	return v
}

// decodeTable is a minimal decoder of a TOON document made of one tabular
// array of primitives: `key[N<d>]{f1<d>f2…}:` and N rows indented once.
func decodeTable(doc string, indent int) (key string, fields []string, rows [][]any, err error) {
	lines := strings.Split(doc, "\n")
	h := lines[0]
	key, rest, err := readKey(h)
	if err != nil {
		return
	}
	end := strings.IndexByte(rest, ']')
	if !strings.HasPrefix(rest, "[") || end < 0 {
		return key, nil, nil, fmt.Errorf("no bracket in %q", h)
	}
	lenTok, delim := rest[1:end], byte(',')
	if last := lenTok[len(lenTok)-1]; last == '|' || last == '\t' {
		delim, lenTok = last, lenTok[:len(lenTok)-1]
	}
	n, err := strconv.Atoi(lenTok)
	if err != nil || !strings.HasPrefix(rest[end+1:], "{") || !strings.HasSuffix(rest, "}:") {
		return key, nil, nil, fmt.Errorf("bad header %q", h)
	}
	for _, tok := range split(rest[end+2:len(rest)-2], delim) {
		f, tail, err := readKey(tok)
		if err != nil || tail != "" {
			return key, nil, nil, fmt.Errorf("bad field %q", tok)
		}
		fields = append(fields, f)
	}
	if len(lines)-1 != n {
		return key, fields, nil, fmt.Errorf("%d rows, header says %d", len(lines)-1, n)
	}
	pad := strings.Repeat(" ", indent)
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, pad) || strings.HasPrefix(l, pad+" ") {
			return key, fields, nil, fmt.Errorf("bad indent %q", l)
		}
		var row []any
		for _, tok := range split(l[indent:], delim) {
			v, err := readValue(tok)
			if err != nil {
				return key, fields, nil, err
			}
			row = append(row, v)
		}
		if len(row) != len(fields) {
			return key, fields, nil, fmt.Errorf("row %q has %d cells", l, len(row))
		}
		rows = append(rows, row)
	}
	return key, fields, rows, nil
}

// split cuts s at each delim outside quotes.
func split(s string, delim byte) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == delim:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// readKey reads a quoted or bare key at the start of s.
func readKey(s string) (string, string, error) {
	if strings.HasPrefix(s, `"`) {
		for i := 1; i < len(s); i++ {
			if s[i] == '\\' {
				i++
			} else if s[i] == '"' {
				k, err := unquote(s[:i+1])
				return k, s[i+1:], err
			}
		}
		return "", "", fmt.Errorf("unterminated key %q", s)
	}
	i := strings.IndexAny(s, "[{:")
	if i < 0 {
		i = len(s)
	}
	return s[:i], s[i:], nil
}

func readValue(tok string) (any, error) {
	switch {
	case strings.HasPrefix(tok, `"`):
		return unquote(tok)
	case tok == "true", tok == "false":
		return tok == "true", nil
	case tok == "null":
		return nil, nil
	case isNumericLike(tok) && tok[0] != '+':
		return number(tok), nil
	}
	return tok, nil
}

// unquote decodes a quoted token per §7.1.
func unquote(q string) (string, error) {
	if len(q) < 2 || q[len(q)-1] != '"' {
		return "", fmt.Errorf("unterminated %q", q)
	}
	var sb strings.Builder
	for i := 1; i < len(q)-1; i++ {
		c := q[i]
		if c != '\\' {
			sb.WriteByte(c)
			continue
		}
		i++
		switch q[i] {
		case '\\', '"':
			sb.WriteByte(q[i])
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 't':
			sb.WriteByte('\t')
		case 'u':
			r, err := strconv.ParseUint(q[i+1:i+5], 16, 16)
			if err != nil {
				return "", err
			}
			sb.WriteRune(rune(r))
			i += 4
		default:
			return "", fmt.Errorf("bad escape in %q", q)
		}
	}
	return sb.String(), nil
}
