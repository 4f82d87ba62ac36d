package services

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/toon"
)

// chatTOONOptions encode the assistant's context: see the benchmark in
// chat_context_bench_test.go for the tokens each shape costs.
// A tab delimiter spares the quotes descriptions with commas would need.
var chatTOONOptions = toon.Options{Delimiter: toon.Tab, Indent: 1}

// TOON is the knowledge as the LLM reads it: the store's facts (prices in
// MXN, said once), the products as one table, the reviews as another. A
// product's link is given as its page, the end of its URL, with the
// store's product_url template once: the full links cost the table a
// third of its tokens.
// Columns that are empty for every row are left out, and so are facts the
// store does not have (no address, no delivery fee without delivery).
func (k *ChatKnowledge) TOON() string {
	s, err := toon.Encode(k.object(), chatTOONOptions)
	if err != nil {
		// object holds only strings, booleans and canonical numbers.
		panic("chat: encode TOON: " + err.Error())
	}
	return s
}

// JSON is the same data as TOON, with the same keys and values, as compact
// JSON: the benchmark's yardstick.
func (k *ChatKnowledge) JSON() string {
	return string(appendJSONValue(nil, k.object()))
}

// object is the knowledge as an ordered tree for both encodings.
func (k *ChatKnowledge) object() toon.Object {
	s := &k.Store
	store := toon.Object{
		{Key: "name", Value: s.Name}, {Key: "language", Value: s.Language}, {Key: "currency", Value: "MXN"},
		{Key: "url", Value: s.URL}, {Key: "whatsapp", Value: s.WhatsAppURL},
	}
	if len(k.Products) > 0 {
		store = append(store, toon.KV{Key: "product_url", Value: s.URL + chatProductPath + "{page}"})
	}
	store = appendIf(store, s.Hours != "", "hours", s.Hours)
	store = append(store, toon.KV{Key: "open_now", Value: s.OpenNow})
	store = appendIf(store, s.ClosedMessage != "", "closed_message", s.ClosedMessage)
	store = appendIf(store, s.OpensAt != "", "opens_at", s.OpensAt)
	store = append(store, toon.KV{Key: "pickup", Value: s.Pickup})
	store = appendIf(store, s.Address != "", "address", s.Address)
	store = append(store, toon.KV{Key: "delivery", Value: s.Delivery})
	if s.Delivery {
		store = append(store, toon.KV{Key: "delivery_fee", Value: pesos((s.DeliveryFee))},
			toon.KV{Key: "min_order", Value: pesos((s.MinOrder))})
	}
	store = append(store, toon.KV{Key: "payments", Value: orEmpty(s.Payments)})
	if k.RatingCount > 0 {
		store = append(store, toon.KV{Key: "rating", Value: k.RatingAverage},
			toon.KV{Key: "rating_count", Value: k.RatingCount})
	}
	out := toon.Object{{Key: "store", Value: store}, {Key: "matched", Value: k.Matched}}
	out = append(out, toon.KV{Key: "products", Value: k.productRows()})
	if len(k.Reviews) > 0 {
		rows := make([]any, len(k.Reviews))
		for i, r := range k.Reviews {
			rows[i] = toon.Object{{Key: "name", Value: r.Name}, {Key: "rating", Value: r.Rating}, {Key: "comment", Value: r.Comment}}
		}
		out = append(out, toon.KV{Key: "reviews", Value: rows})
	}
	return out
}

// productRows are the products as uniform rows, without the columns no
// product fills.
func (k *ChatKnowledge) productRows() []any {
	var hasCat, hasDesc, hasSoldOut, hasOptions bool
	for i := range k.Products {
		p := &k.Products[i]
		hasCat = hasCat || p.Category != ""
		hasDesc = hasDesc || p.Description != ""
		hasSoldOut = hasSoldOut || p.SoldOut
		hasOptions = hasOptions || len(p.Options) > 0
	}
	prefix := k.Store.URL + chatProductPath
	rows := make([]any, len(k.Products))
	for i := range k.Products {
		p := &k.Products[i]
		row := make(toon.Object, 0, 7)
		row = append(row, toon.KV{Key: "name", Value: p.Name})
		row = appendIf(row, hasCat, "category", p.Category)
		row = append(row, toon.KV{Key: "price", Value: pesos((p.Price))})
		row = appendIf(row, hasDesc, "description", p.Description)
		row = appendIf(row, hasSoldOut, "sold_out", p.SoldOut)
		row = appendIf(row, hasOptions, "options", joinOptions(p.Options))
		row = append(row, toon.KV{Key: "page", Value: strings.TrimPrefix(p.URL, prefix)})
		rows[i] = row
	}
	return rows
}

func appendIf(o toon.Object, ok bool, key string, v any) toon.Object {
	if ok {
		o = append(o, toon.KV{Key: key, Value: v})
	}
	return o
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// joinOptions puts a product's option groups in one cell.
func joinOptions(groups []string) string {
	n := 0
	for _, g := range groups {
		n += len(g) + 2
	}
	b := make([]byte, 0, n)
	for i, g := range groups {
		if i > 0 {
			b = append(b, "; "...)
		}
		b = append(b, g...)
	}
	return string(b)
}

// pesos is an amount of centavos as a number of pesos, exact: 45, 12.5.
func pesos(m domain.Money) json.Number {
	return json.Number(pesosNumber(m))
}

// appendJSONValue writes the values object builds as compact JSON, keys
// in order, UTF-8 as is.
func appendJSONValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case toon.Object:
		b = append(b, '{')
		for i, kv := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, kv.Key)
			b = append(b, ':')
			b = appendJSONValue(b, kv.Value)
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for i, x := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONValue(b, x)
		}
		return append(b, ']')
	case []string:
		b = append(b, '[')
		for i, x := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, x)
		}
		return append(b, ']')
	case string:
		return appendJSONString(b, v)
	case bool:
		return strconv.AppendBool(b, v)
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case float64:
		return strconv.AppendFloat(b, v, 'f', -1, 64)
	case json.Number:
		return append(b, v...)
	}
	panic("chat: no JSON for a value of this type")
}

func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		case c < utf8.RuneSelf:
			b = append(b, c)
		default:
			_, n := utf8.DecodeRuneInString(s[i:])
			b = append(b, s[i:i+n]...)
			i += n
			continue
		}
		i++
	}
	return append(b, '"')
}
