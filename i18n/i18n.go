// Package i18n translates Qubly's UI and emails: es-MX (default) and en,
// through go-i18n with message files embedded from locales/.
package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"sync"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Message files are locales/<feature>.<lang>.json, e.g. core.es.json, so
// each feature keeps its own strings.
//
//go:embed locales/*.json
var files embed.FS

// Languages Qubly speaks, default first.
var Languages = []string{"es", "en"}

// Default is the language used when nothing else matches.
const Default = "es"

// Bundle holds every translation.
type Bundle struct {
	b       *goi18n.Bundle
	matcher language.Matcher
	locs    map[string]*Localizer
}

// New loads the embedded message files.
func New() (*Bundle, error) {
	b := goi18n.NewBundle(language.Spanish)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	paths, err := fs.Glob(files, "locales/*.json")
	if err != nil {
		return nil, err
	}
	ids := map[string][]string{} // feature prefix → message IDs
	for _, p := range paths {
		mf, err := b.LoadMessageFileFS(files, p)
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", p, err)
		}
		for _, m := range mf.Messages {
			if prefix, _, ok := strings.Cut(m.ID, "."); ok && !strings.Contains(m.Other, "{{") && !slices.Contains(ids[prefix], m.ID) {
				ids[prefix] = append(ids[prefix], m.ID)
			}
		}
	}
	for _, list := range ids {
		slices.Sort(list)
	}
	bundle := &Bundle{
		b:       b,
		matcher: language.NewMatcher([]language.Tag{language.MustParse("es-MX"), language.English}),
		locs:    map[string]*Localizer{},
	}
	for _, l := range Languages {
		bundle.locs[l] = &Localizer{lang: l, l: goi18n.NewLocalizer(b, l), ids: ids}
	}
	return bundle, nil
}

// Match picks the language from a cookie value, then an Accept-Language header.
func (b *Bundle) Match(cookie, acceptLanguage string) string {
	if Supported(cookie) {
		return cookie
	}
	if acceptLanguage != "" {
		tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
		if err == nil && len(tags) > 0 {
			_, idx, conf := b.matcher.Match(tags...)
			if conf != language.No {
				return Languages[idx]
			}
		}
	}
	return Default
}

// Supported reports whether lang is one of Languages.
func Supported(lang string) bool { return lang == "es" || lang == "en" }

// For returns the localizer of lang (Default when unknown).
func (b *Bundle) For(lang string) *Localizer {
	if l, ok := b.locs[lang]; ok {
		return l
	}
	return b.locs[Default]
}

// Translate gives message id in lang with data for its placeholders.
func (b *Bundle) Translate(lang, id string, data map[string]any) string {
	return b.For(lang).T(id, data)
}

// Localizer translates into one language.
type Localizer struct {
	lang string
	l    *goi18n.Localizer
	// ids lists the messages without template data by feature prefix;
	// attrs caches DataAttrs.
	ids   map[string][]string
	attrs sync.Map // prefix → template.HTMLAttr
}

// DataAttrs is every message of a feature ("chat_widget") that takes no
// template data, as data attributes for a page's script: "chat_widget.rate_soon"
// becomes data-s-rate-soon (dataset.sRateSoon). It is built once per
// language and feature, so a page render pays one lookup instead of a
// translation per string.
func (l *Localizer) DataAttrs(prefix string) template.HTMLAttr {
	if v, ok := l.attrs.Load(prefix); ok {
		return v.(template.HTMLAttr)
	}
	var b strings.Builder
	for _, id := range l.ids[prefix] {
		name := strings.ReplaceAll(strings.TrimPrefix(id, prefix+"."), "_", "-")
		fmt.Fprintf(&b, ` data-s-%s="%s"`, name, html.EscapeString(l.T(id)))
	}
	attrs := template.HTMLAttr(b.String())
	l.attrs.Store(prefix, attrs)
	return attrs
}

// Lang is the localizer's language code ("es" or "en").
func (l *Localizer) Lang() string { return l.lang }

// T translates id. Args are either one map of template data or key/value pairs
// ("Name", "Lupe"). A "Count" entry is the plural count: a message with
// CLDR plural forms ({"one": …, "other": …}) picks its form by it. A missing
// message shows its id, so it is easy to spot.
func (l *Localizer) T(id string, args ...any) string {
	var data map[string]any
	if len(args) == 1 {
		data, _ = args[0].(map[string]any)
	} else if len(args) > 1 {
		data = make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			if k, ok := args[i].(string); ok {
				data[k] = args[i+1]
			}
		}
	}
	lc := &goi18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := pluralCount(data["Count"]); ok {
		lc.PluralCount = n
	}
	s, err := l.l.Localize(lc)
	var missing *goi18n.MessageNotFoundErr
	if s == "" || errors.As(err, &missing) {
		return id
	}
	// Any other error is a plural form the message does not have (a plain
	// message, or es "many"): go-i18n fell back to "other", which is right.
	return s
}

// Plural translates id in the plural form for count, which the message
// shows as {{.Count}}; args are more key/value pairs as for T. Pages call it
// as {{.L.Plural "orders.count" .Total}}.
func (l *Localizer) Plural(id string, count any, args ...any) string {
	data := make(map[string]any, len(args)/2+1)
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok {
			data[k] = args[i+1]
		}
	}
	data["Count"] = count
	return l.T(id, data)
}

// pluralCount turns an integer of any type into the int64 go-i18n takes.
func pluralCount(v any) (int64, bool) {
	if v == nil {
		return 0, false
	}
	r := reflect.Indirect(reflect.ValueOf(v))
	switch r.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return r.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(r.Uint()), true
	}
	return 0, false
}

// Has reports whether id has a message in the localizer's language.
func (l *Localizer) Has(id string) bool {
	_, tag, err := l.l.LocalizeWithTag(&goi18n.LocalizeConfig{MessageID: id})
	return err == nil && strings.HasPrefix(tag.String(), l.lang)
}
