// Package toon encodes values as TOON (Token-Oriented Object Notation), the
// encoding half of toon-spec 4.0 (testdata/fixtures/VERSION): objects,
// inline primitive arrays, tabular arrays of uniform objects (with nested
// field groups), keyed tabular objects, expanded lists, quoting, canonical
// numbers, the `,` / tab / `|` delimiters and the indent size.
//
// Values are the JSON data model in Go form:
//   - nil, bool, string;
//   - numbers: json.Number (kept exact: every digit is emitted), int, int8…
//     int64, uint…uint64, float32, float64 (shortest round-tripping digits;
//     NaN and ±Inf become null);
//   - arrays: []any, []string, []Object;
//   - objects: Object, whose pair order is kept, and map[string]any, whose
//     keys are sorted (Go maps have no order);
//   - time.Time becomes an RFC 3339 string; any other value (structs,
//     json.Marshaler…) goes through encoding/json once and is encoded from
//     that, which is the slow path.
package toon

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"
)

// KV is one key/value pair of an Object.
type KV struct {
	Key   string
	Value any
}

// Object is a JSON object whose keys keep their order.
type Object []KV

// Get returns the value of key k and whether it is present.
func (o Object) Get(k string) (any, bool) {
	for i := range o {
		if o[i].Key == k {
			return o[i].Value, true
		}
	}
	return nil, false
}

// Delimiters accepted in Options.
const (
	Comma = ','
	Tab   = '\t'
	Pipe  = '|'
)

// Options tune the output; the zero value means comma and two spaces.
type Options struct {
	Delimiter byte // Comma (default), Tab or Pipe
	Indent    int  // spaces per level; 0 means 2
}

// ErrOptions reports an unsupported delimiter or a negative indent.
var ErrOptions = errors.New("toon: delimiter must be ',', '\\t' or '|' and indent ≥ 0")

// Encode returns v as a TOON document, without a trailing newline.
func Encode(v any, opts Options) (string, error) {
	bp := bufPool.Get().(*[]byte)
	b, err := AppendEncode((*bp)[:0], v, opts)
	s := string(b)
	if cap(b) <= 1<<20 {
		*bp = b
		bufPool.Put(bp)
	}
	return s, err
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// AppendEncode appends the TOON document of v to dst.
func AppendEncode(dst []byte, v any, opts Options) ([]byte, error) {
	if opts.Delimiter == 0 {
		opts.Delimiter = Comma
	}
	if opts.Indent == 0 {
		opts.Indent = 2
	}
	if opts.Indent < 0 || (opts.Delimiter != Comma && opts.Delimiter != Tab && opts.Delimiter != Pipe) {
		return dst, ErrOptions
	}
	e := encoder{b: dst, start: len(dst), delim: opts.Delimiter, indent: opts.Indent}
	if err := e.root(v); err != nil {
		return dst, err
	}
	return e.b, nil
}

type encoder struct {
	b      []byte
	start  int
	delim  byte
	indent int
}

// line starts a new line at depth d.
func (e *encoder) line(d int) {
	if len(e.b) > e.start {
		e.b = append(e.b, '\n')
	}
	for n := d * e.indent; n > 0; n-- {
		e.b = append(e.b, ' ')
	}
}

func (e *encoder) root(v any) error {
	v, err := normalize(v)
	if err != nil {
		return err
	}
	if arr, ok := asArray(v); ok {
		e.line(0)
		if len(arr) == 0 {
			e.b = append(e.b, '[', ']')
			return nil
		}
		return e.array(arr, 0, true)
	}
	if obj, ok := asObject(v); ok {
		if sh, ok := keyedShape(obj); ok {
			e.line(0)
			return e.keyed(obj, sh, 0)
		}
		return e.fields(obj, 0)
	}
	e.line(0)
	return e.primitive(v)
}

// fields writes each pair of obj on its own line at depth d.
func (e *encoder) fields(obj Object, d int) error {
	for i := range obj {
		e.line(d)
		if err := e.field(obj[i].Key, obj[i].Value, d); err != nil {
			return err
		}
	}
	return nil
}

// field writes `key…` at the current position; its contents go below at d+1.
func (e *encoder) field(key string, v any, d int) error {
	v, err := normalize(v)
	if err != nil {
		return err
	}
	e.b = appendKey(e.b, key)
	if arr, ok := asArray(v); ok {
		if len(arr) == 0 {
			e.b = append(e.b, ':', ' ', '[', ']')
			return nil
		}
		return e.array(arr, d, true)
	}
	if obj, ok := asObject(v); ok {
		if sh, ok := keyedShape(obj); ok {
			return e.keyed(obj, sh, d)
		}
		e.b = append(e.b, ':')
		return e.fields(obj, d+1)
	}
	e.b = append(e.b, ':', ' ')
	return e.primitive(v)
}

// array writes the header `[N]…` of a non-empty array after its key (if
// any) and its items below at d+1. tabular is false where §9.4 forbids it.
func (e *encoder) array(arr []any, d int, tabular bool) error {
	if allPrimitive(arr) {
		e.bracket(len(arr), false)
		e.b = append(e.b, ':')
		for i, v := range arr {
			if i == 0 {
				e.b = append(e.b, ' ')
			} else {
				e.b = append(e.b, e.delim)
			}
			if err := e.primitive(v); err != nil {
				return err
			}
		}
		return nil
	}
	if tabular {
		if objs, ok := objectsOf(arr); ok {
			if sh, ok := shapeOf(objs); ok {
				e.bracket(len(arr), false)
				e.header(sh)
				for _, o := range objs {
					e.line(d + 1)
					if err := e.row(o, sh, true); err != nil {
						return err
					}
				}
				return nil
			}
		}
	}
	e.bracket(len(arr), false)
	e.b = append(e.b, ':')
	for _, v := range arr {
		e.line(d + 1)
		if err := e.item(v, d+1); err != nil {
			return err
		}
	}
	return nil
}

// item writes one list item `- …` at depth d (the line is already started).
func (e *encoder) item(v any, d int) error {
	v, err := normalize(v)
	if err != nil {
		return err
	}
	e.b = append(e.b, '-')
	if arr, ok := asArray(v); ok {
		e.b = append(e.b, ' ')
		if len(arr) == 0 {
			e.bracket(0, false)
			e.b = append(e.b, ':')
			return nil
		}
		return e.array(arr, d, false)
	}
	if obj, ok := asObject(v); ok {
		if len(obj) == 0 {
			return nil
		}
		// The first field sits on the hyphen line at depth d+1 (§10).
		e.b = append(e.b, ' ')
		if err := e.field(obj[0].Key, obj[0].Value, d+1); err != nil {
			return err
		}
		return e.fields(obj[1:], d+1)
	}
	e.b = append(e.b, ' ')
	return e.primitive(v)
}

// keyed writes a keyed tabular object (§9.5) after its key, if any.
func (e *encoder) keyed(obj Object, sh []field, d int) error {
	e.bracket(len(obj), true)
	e.header(sh)
	for i := range obj {
		e.line(d + 1)
		e.b = appendKey(e.b, obj[i].Key)
		e.b = append(e.b, ':', ' ')
		o, _ := asObject(obj[i].Value)
		if err := e.row(o, sh, true); err != nil {
			return err
		}
	}
	return nil
}

// bracket writes `[N<delim?>]`, or `[N:<delim?>]` for a keyed header.
func (e *encoder) bracket(n int, keyed bool) {
	e.b = append(e.b, '[')
	e.b = appendInt(e.b, n)
	if keyed {
		e.b = append(e.b, ':')
	}
	if e.delim != Comma {
		e.b = append(e.b, e.delim)
	}
	e.b = append(e.b, ']')
}

// header writes the fields segment `{f1,g{a,b}}:`.
func (e *encoder) header(sh []field) {
	e.fieldList(sh)
	e.b = append(e.b, ':')
}

func (e *encoder) fieldList(sh []field) {
	e.b = append(e.b, '{')
	for i := range sh {
		if i > 0 {
			e.b = append(e.b, e.delim)
		}
		e.b = appendKey(e.b, sh[i].name)
		if sh[i].sub != nil {
			e.fieldList(sh[i].sub)
		}
	}
	e.b = append(e.b, '}')
}

// row writes the leaf cells of o in the depth-first order of sh.
func (e *encoder) row(o Object, sh []field, first bool) error {
	for i := range sh {
		v := lookup(o, sh[i].name, i)
		if sh[i].sub != nil {
			sub, _ := asObject(v)
			if err := e.row(sub, sh[i].sub, first); err != nil {
				return err
			}
			first = false
			continue
		}
		if !first {
			e.b = append(e.b, e.delim)
		}
		first = false
		if err := e.primitive(v); err != nil {
			return err
		}
	}
	return nil
}

// normalize maps the less common Go types onto the JSON model.
func normalize(v any) (any, error) {
	switch x := v.(type) {
	case nil, string, bool, json.Number, int, int64, float64, Object, []any,
		int8, int16, int32, uint, uint8, uint16, uint32, uint64, float32:
		return v, nil
	case []string:
		arr := make([]any, len(x))
		for i, s := range x {
			arr[i] = s
		}
		return arr, nil
	case []Object:
		arr := make([]any, len(x))
		for i, o := range x {
			arr[i] = o
		}
		return arr, nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		obj := make(Object, len(keys))
		for i, k := range keys {
			obj[i] = KV{k, x[k]}
		}
		return obj, nil
	case time.Time:
		return x.Format(time.RFC3339Nano), nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return DecodeJSON(strings.NewReader(string(raw)))
}

// asArray returns v as an array; v may be un-normalized.
func asArray(v any) ([]any, bool) {
	switch v.(type) {
	case []any:
		return v.([]any), true
	case []string, []Object:
		n, _ := normalize(v)
		return n.([]any), true
	}
	return nil, false
}

// asObject returns v as an object; v may be un-normalized.
func asObject(v any) (Object, bool) {
	switch v.(type) {
	case Object:
		return v.(Object), true
	case map[string]any:
		n, _ := normalize(v)
		return n.(Object), true
	}
	return nil, false
}
