package toon

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// DecodeJSON reads one JSON value from r into the types Encode takes:
// objects as Object (key order kept), arrays as []any, numbers as
// json.Number (exact). A repeated key keeps its first place and its last
// value, as JavaScript's JSON.parse does. Anything after the value but white
// space is an error.
func DecodeJSON(r io.Reader) (any, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = errors.New("unexpected data after the JSON value")
		}
		return nil, err
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil // string, json.Number, bool or nil
	}
	switch d {
	case '{':
		obj := Object{}
		var index map[string]int // built once obj is large
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := kt.(string)
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			obj, index = setKey(obj, index, k, v)
		}
		_, err = dec.Token() // '}'
		return obj, err
	case '[':
		arr := []any{}
		for dec.More() {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err = dec.Token() // ']'
		return arr, err
	}
	return nil, fmt.Errorf("unexpected %v", d)
}

// setKey sets k in obj: replaced in place if present, else appended. Past
// 16 keys it looks k up in index, which it creates.
func setKey(obj Object, index map[string]int, k string, v any) (Object, map[string]int) {
	if index == nil && len(obj) < 16 {
		for i := range obj {
			if obj[i].Key == k {
				obj[i].Value = v
				return obj, nil
			}
		}
		return append(obj, KV{k, v}), nil
	}
	if index == nil {
		index = make(map[string]int, 2*len(obj))
		for i := range obj {
			index[obj[i].Key] = i
		}
	}
	if i, ok := index[k]; ok {
		obj[i].Value = v
		return obj, index
	}
	index[k] = len(obj)
	return append(obj, KV{k, v}), index
}
