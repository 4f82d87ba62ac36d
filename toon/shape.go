package toon

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// field is one column of a tabular header; sub lists the subfields of a
// nested field group (§9.3) and is nil for a primitive column.
type field struct {
	name string
	sub  []field
}

// lookup returns the value of key k in o, trying index i first: rows of a
// table usually list their keys in the header's order.
func lookup(o Object, k string, i int) any {
	v, _ := find(o, k, i)
	return v
}

func find(o Object, k string, i int) (any, bool) {
	if i < len(o) && o[i].Key == k {
		return o[i].Value, true
	}
	for j := range o {
		if o[j].Key == k {
			return o[j].Value, true
		}
	}
	return nil, false
}

// objectsOf returns the elements of arr if they are all objects.
func objectsOf(arr []any) ([]Object, bool) {
	for _, v := range arr {
		switch v.(type) {
		case Object, map[string]any:
		default:
			return nil, false
		}
	}
	objs := make([]Object, len(arr))
	for i, v := range arr {
		objs[i], _ = asObject(v)
	}
	return objs, true
}

// shapeOf returns the tabular header of objs per §9.3, or false when they
// are not uniform: every object non-empty with the same key set, and each
// column all primitives or all non-empty objects of one shape, recursively.
func shapeOf(objs []Object) ([]field, bool) {
	first := objs[0]
	if len(first) == 0 || hasDuplicateKeys(first) {
		return nil, false
	}
	for _, o := range objs[1:] {
		if len(o) != len(first) {
			return nil, false
		}
	}
	sh := make([]field, len(first))
	for j := range first {
		k := first[j].Key
		sh[j].name = k
		if isPrimitive(first[j].Value) {
			for _, o := range objs[1:] {
				v, ok := find(o, k, j)
				if !ok || !isPrimitive(v) {
					return nil, false
				}
			}
			continue
		}
		subs := make([]Object, len(objs))
		for i, o := range objs {
			v, ok := find(o, k, j)
			if !ok {
				return nil, false
			}
			if subs[i], ok = asObject(v); !ok {
				return nil, false
			}
		}
		sub, ok := shapeOf(subs)
		if !ok {
			return nil, false
		}
		sh[j].sub = sub
	}
	return sh, true
}

// keyedShape returns the header of obj if it takes the keyed tabular form
// (§9.5): at least two entries whose values are uniform objects.
func keyedShape(obj Object) ([]field, bool) {
	if len(obj) < 2 {
		return nil, false
	}
	for i := range obj {
		switch obj[i].Value.(type) {
		case Object, map[string]any:
		default:
			return nil, false
		}
	}
	if hasDuplicateKeys(obj) {
		return nil, false
	}
	vals := make([]Object, len(obj))
	for i := range obj {
		vals[i], _ = asObject(obj[i].Value)
	}
	return shapeOf(vals)
}

func hasDuplicateKeys(o Object) bool {
	if len(o) > 32 {
		seen := make(map[string]struct{}, len(o))
		for i := range o {
			if _, dup := seen[o[i].Key]; dup {
				return true
			}
			seen[o[i].Key] = struct{}{}
		}
		return false
	}
	for i := 1; i < len(o); i++ {
		for j := 0; j < i; j++ {
			if o[i].Key == o[j].Key {
				return true
			}
		}
	}
	return false
}

func isPrimitive(v any) bool {
	switch v.(type) {
	case nil, string, bool, json.Number, int, int64, float64, int8, int16, int32,
		uint, uint8, uint16, uint32, uint64, float32, time.Time:
		return true
	}
	return false
}

func allPrimitive(arr []any) bool {
	for _, v := range arr {
		if !isPrimitive(v) {
			return false
		}
	}
	return true
}

// primitive writes a primitive value, quoting strings for the delimiter.
func (e *encoder) primitive(v any) error {
	switch x := v.(type) {
	case nil:
		e.b = append(e.b, "null"...)
	case string:
		e.b = appendString(e.b, x, e.delim)
	case bool:
		e.b = strconv.AppendBool(e.b, x)
	case json.Number:
		var err error
		if e.b, err = appendJSONNumber(e.b, x); err != nil {
			return err
		}
	case int:
		e.b = strconv.AppendInt(e.b, int64(x), 10)
	case int64:
		e.b = strconv.AppendInt(e.b, x, 10)
	case int8:
		e.b = strconv.AppendInt(e.b, int64(x), 10)
	case int16:
		e.b = strconv.AppendInt(e.b, int64(x), 10)
	case int32:
		e.b = strconv.AppendInt(e.b, int64(x), 10)
	case uint:
		e.b = strconv.AppendUint(e.b, uint64(x), 10)
	case uint8:
		e.b = strconv.AppendUint(e.b, uint64(x), 10)
	case uint16:
		e.b = strconv.AppendUint(e.b, uint64(x), 10)
	case uint32:
		e.b = strconv.AppendUint(e.b, uint64(x), 10)
	case uint64:
		e.b = strconv.AppendUint(e.b, x, 10)
	case float64:
		e.b = appendFloat(e.b, x, 64)
	case float32:
		e.b = appendFloat(e.b, float64(x), 32)
	case time.Time:
		e.b = appendString(e.b, x.Format(time.RFC3339Nano), e.delim)
	default:
		return fmt.Errorf("toon: unsupported value of type %T", v)
	}
	return nil
}

func appendInt(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }
