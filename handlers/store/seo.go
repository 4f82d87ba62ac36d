package store

import (
	"encoding/json"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/i18n"
	"github.com/qubly/qubly/services"
)

// seo is what a store page says about itself to search engines and link
// previews: title, description, canonical URL, OpenGraph / Twitter tags and
// JSON-LD blocks (json.Marshal escapes <, > and &, so a block cannot close
// its <script> element).
type seo struct {
	Title       string
	Description string
	// Path is the canonical path; "" is the store home.
	Path string
	// Canonical is the absolute canonical URL (set by finish).
	Canonical string
	// OGType is "website" unless set ("product").
	OGType string
	// Image is an absolute image URL for previews, "" for none.
	Image    string
	ImageAlt string
	NoIndex  bool
	JSONLD   []template.JS
}

// finish fills what a page left empty.
func (s *seo) finish(base string, biz *domain.Business) {
	if s.Path == "" {
		s.Path = "/" + biz.Slug
	}
	if s.Canonical == "" {
		s.Canonical = base + s.Path
	}
	if s.OGType == "" {
		s.OGType = "website"
	}
	if s.Title == "" {
		s.Title = biz.Name
	}
	s.Description = truncate(strings.Join(strings.Fields(s.Description), " "), 160)
}

// truncate shortens s to at most n runes, at a word boundary, with "…".
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

// absImage is the absolute URL of img's large copy, or "".
func absImage(base string, img *domain.Image) string {
	if img == nil {
		return ""
	}
	return base + img.URL(1200)
}

// storeDescription is what describes the store when the owner wrote no SEO text.
func storeDescription(biz *domain.Business, l *i18n.Localizer) string {
	switch {
	case biz.SEODescription != "":
		return biz.SEODescription
	case biz.Description != "":
		return biz.Description
	}
	return l.T("store.seo.description", "Name", biz.Name)
}

// storeSEO is the store home's tags, also the default of every store page.
func (h *Handler) storeSEO(biz *domain.Business, imgs *services.StoreImages, l *i18n.Localizer) *seo {
	s := &seo{Title: biz.Name, Description: storeDescription(biz, l)}
	if biz.SEOTitle != "" {
		s.Title = biz.SEOTitle
	}
	if imgs != nil {
		if imgs.Cover != nil {
			s.Image = absImage(h.baseURL, imgs.Cover)
		} else if imgs.Logo != nil {
			s.Image = absImage(h.baseURL, imgs.Logo)
		}
	}
	s.ImageAlt = biz.Name
	return s
}

// ldJSON marshals a JSON-LD object for a <script type="application/ld+json">.
func ldJSON(v any) template.JS {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return template.JS(b)
}

var schemaDays = [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// openingHours lists each range of the week (two on a day that closes at
// midday), grouping the days with the same range, Monday first. A range past
// midnight closes earlier than it opens, as schema.org and Google read it.
func openingHours(w domain.WeekHours) []map[string]any {
	var out []map[string]any
	index := map[string]int{}
	for i := 1; i <= 7; i++ {
		d := time.Weekday(i % 7)
		for _, r := range w[d].Ranges() {
			opens, closes := clockHHMM(r.Opens), clockHHMM(r.Closes)
			key := opens + "-" + closes
			if j, ok := index[key]; ok {
				out[j]["dayOfWeek"] = append(out[j]["dayOfWeek"].([]string), schemaDays[d])
				continue
			}
			index[key] = len(out)
			out = append(out, map[string]any{
				"@type": "OpeningHoursSpecification", "dayOfWeek": []string{schemaDays[d]},
				"opens": opens, "closes": closes,
			})
		}
	}
	return out
}

// clockHHMM writes minutes after midnight as "HH:MM".
func clockHHMM(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// storeLD is the store as a schema.org Store.
func (h *Handler) storeLD(biz *domain.Business, imgs *services.StoreImages, l *i18n.Localizer) map[string]any {
	url := h.baseURL + "/" + biz.Slug
	ld := map[string]any{
		"@context": "https://schema.org",
		"@type":    "Store",
		"@id":      url + "#store",
		"name":     biz.Name,
		"url":      url,
	}
	if d := storeDescription(biz, l); d != "" {
		ld["description"] = d
	}
	var images []string
	if imgs != nil {
		for _, img := range []*domain.Image{imgs.Logo, imgs.Cover} {
			if img != nil {
				images = append(images, absImage(h.baseURL, img))
			}
		}
	}
	if len(images) > 0 {
		ld["image"] = images
	}
	if imgs != nil && imgs.Logo != nil {
		ld["logo"] = absImage(h.baseURL, imgs.Logo)
	}
	if biz.WhatsApp != "" {
		ld["telephone"] = biz.WhatsApp
	}
	if biz.Address != "" || biz.City != "" {
		addr := map[string]any{"@type": "PostalAddress", "addressCountry": "MX"}
		if biz.Address != "" {
			addr["streetAddress"] = biz.Address
		}
		if biz.City != "" {
			addr["addressLocality"] = biz.City
		}
		ld["address"] = addr
	}
	if hours := openingHours(biz.Hours); len(hours) > 0 {
		ld["openingHoursSpecification"] = hours
	}
	if biz.RatingCount > 0 {
		ld["aggregateRating"] = map[string]any{
			"@type":       "AggregateRating",
			"ratingValue": strconv.FormatFloat(biz.RatingAverage(), 'f', 1, 64),
			"reviewCount": biz.RatingCount,
			"bestRating":  5,
			"worstRating": 1,
		}
	}
	var sameAs []string
	for _, u := range []string{biz.Instagram, biz.Facebook, biz.TikTok, biz.Website} {
		if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
			sameAs = append(sameAs, u)
		}
	}
	if len(sameAs) > 0 {
		ld["sameAs"] = sameAs
	}
	return ld
}

// productLD is p as a schema.org Product with its Offer.
func (h *Handler) productLD(biz *domain.Business, p *domain.Product, cat *domain.Category) map[string]any {
	url := h.baseURL + productPath(biz, p)
	availability := "https://schema.org/InStock"
	if !p.Available() {
		availability = "https://schema.org/OutOfStock"
	}
	id := strconv.FormatInt(p.ID, 10)
	ld := map[string]any{
		"@context":  "https://schema.org",
		"@type":     "Product",
		"name":      p.Name,
		"sku":       id,
		"productID": id,
		"url":       url,
		"brand":     map[string]any{"@type": "Brand", "name": biz.Name},
		"offers": map[string]any{
			"@type":         "Offer",
			"price":         p.PriceCents.Input(),
			"priceCurrency": "MXN",
			"availability":  availability,
			"url":           url,
			"seller":        map[string]any{"@type": "Organization", "name": biz.Name},
		},
	}
	if p.Description != "" {
		ld["description"] = p.Description
	}
	var images []string
	for _, pi := range p.Images {
		images = append(images, absImage(h.baseURL, pi.Image))
	}
	if len(images) > 0 {
		ld["image"] = images
	}
	if cat != nil {
		ld["category"] = cat.Name
	}
	return ld
}

// breadcrumbLD is store › category › product as a schema.org BreadcrumbList.
func (h *Handler) breadcrumbLD(biz *domain.Business, p *domain.Product, cat *domain.Category) map[string]any {
	home := h.baseURL + "/" + biz.Slug
	items := []map[string]any{{"@type": "ListItem", "position": 1, "name": biz.Name, "item": home}}
	if cat != nil {
		items = append(items, map[string]any{
			"@type": "ListItem", "position": 2, "name": cat.Name, "item": h.baseURL + categoryPath(biz, cat),
		})
	}
	items = append(items, map[string]any{
		"@type": "ListItem", "position": len(items) + 1, "name": p.Name, "item": h.baseURL + productPath(biz, p),
	})
	return map[string]any{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
}

func productPath(biz *domain.Business, p *domain.Product) string {
	return "/" + biz.Slug + "/p/" + p.Slug
}

func categoryPath(biz *domain.Business, cat *domain.Category) string {
	return "/" + biz.Slug + "?category=" + cat.Slug
}
