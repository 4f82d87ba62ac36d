package store

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/i18n"
)

// Figures of the landing page's comparison: a delivery app's typical
// commission, and the monthly sales of the worked example.
const (
	appCommissionPercent = 30
	exampleMonthlySales  = domain.Money(20_000_00)
)

// landingCard is a titled text with an icon (benefits) or a number (steps).
type landingCard struct {
	Icon        string
	N           int
	Title, Text string
}

// compareRow is a line of the comparison table: what, the delivery apps, Qubly.
type compareRow struct{ Key, Item, Apps, Qubly string }

// story is an illustrative shop owner's quote.
type story struct{ Quote, Who string }

// benefitIcons are the landing benefits' icons, in order (landing.benefits.N).
var benefitIcons = []string{"message-circle", "clock", "credit-card", "phone", "qr-code", "star"}

// compareRows are the comparison table's rows (landing.compare.<key>).
var compareRows = []string{"commission", "example", "contact", "delivery"}

// faqItem is one question of the landing page's FAQ, shown and in its JSON-LD.
type faqItem struct{ Q, A string }

// legalSection is a titled part of the terms or the privacy notice.
type legalSection struct {
	Title      string
	Paragraphs []string
}

// landingFigures are the plan's figures every landing and legal message may
// show: {{.Price}} ("$249"), {{.TrialDays}}, {{.Percent}}, {{.Sales}},
// {{.Commission}} and {{.Savings}} of the worked example.
func (h *Handler) landingFigures() map[string]any {
	commission := exampleMonthlySales * appCommissionPercent / 100
	return map[string]any{
		"Price":      wholePesos(h.planPrice),
		"TrialDays":  h.rules().TrialDays,
		"Percent":    appCommissionPercent,
		"Sales":      wholePesos(exampleMonthlySales),
		"Commission": wholePesos(commission),
		"Savings":    wholePesos(commission - h.planPrice),
	}
}

// wholePesos writes m for es-MX without centavos when it has none ("$249").
func wholePesos(m domain.Money) string {
	if m%100 != 0 {
		return m.Pesos()
	}
	s := "$" + domain.Thousands(int64(m/100))
	if m < 0 {
		s = "-$" + domain.Thousands(int64(-m/100))
	}
	return s
}

// landing is the platform's home: what Qubly is, its price against the
// delivery apps' commissions, how it works, and the FAQ (with its JSON-LD).
func (h *Handler) landing(c *fiber.Ctx) error {
	l := web.L(c)
	figs := h.landingFigures()
	faq := landingFAQ(l, figs)
	benefits := make([]landingCard, len(benefitIcons))
	for i, icon := range benefitIcons {
		k := fmt.Sprintf("landing.benefits.%d", i+1)
		benefits[i] = landingCard{Icon: icon, Title: l.T(k + ".title"), Text: l.T(k+".text", figs)}
	}
	rows := make([]compareRow, len(compareRows))
	for i, r := range compareRows {
		k := "landing.compare."
		rows[i] = compareRow{Key: r, Item: l.T(k+r, figs), Apps: l.T(k+"apps_"+r, figs), Qubly: l.T(k+"qubly_"+r, figs)}
	}
	var steps []landingCard
	var stories []story
	for n := 1; n <= 3; n++ {
		k := fmt.Sprintf("landing.steps.%d", n)
		steps = append(steps, landingCard{N: n, Title: l.T(k + ".title"), Text: l.T(k + ".text")})
		k = fmt.Sprintf("landing.stories.%d", n)
		stories = append(stories, story{Quote: l.T(k + ".quote"), Who: l.T(k + ".who")})
	}
	return web.Page(c, fiber.StatusOK, "store/landing", fiber.Map{
		"Title":       l.T("landing.title"),
		"Description": l.T("landing.description", figs),
		"Fig":         figs,
		"Benefits":    benefits,
		"Compare":     rows,
		"Steps":       steps,
		"Stories":     stories,
		"FAQ":         faq,
		"FAQJSONLD":   faqJSONLD(faq),
	})
}

// landingFAQ reads the FAQ's questions (landing.faq.N.q and .a) in order.
func landingFAQ(l *i18n.Localizer, figs map[string]any) []faqItem {
	var out []faqItem
	for n := 1; l.Has(fmt.Sprintf("landing.faq.%d.q", n)); n++ {
		k := "landing.faq." + strconv.Itoa(n)
		out = append(out, faqItem{Q: l.T(k+".q", figs), A: l.T(k+".a", figs)})
	}
	return out
}

// faqJSONLD is the schema.org FAQPage of the questions shown.
func faqJSONLD(faq []faqItem) any {
	qs := make([]map[string]any, len(faq))
	for i, f := range faq {
		qs[i] = map[string]any{
			"@type": "Question", "name": f.Q,
			"acceptedAnswer": map[string]any{"@type": "Answer", "text": f.A},
		}
	}
	return ldJSON(map[string]any{"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": qs})
}

// terms is the terms of service.
func (h *Handler) terms(c *fiber.Ctx) error { return h.legal(c, "terms") }

// privacy is the privacy notice (LFPDPPP).
func (h *Handler) privacy(c *fiber.Ctx) error { return h.legal(c, "privacy") }

// legal renders the document doc ("terms" or "privacy"): its sections are
// legal.<doc>.N.title with paragraphs legal.<doc>.N.body, split on blank lines.
func (h *Handler) legal(c *fiber.Ctx, doc string) error {
	l := web.L(c)
	figs := h.landingFigures()
	var sections []legalSection
	for n := 1; ; n++ {
		k := fmt.Sprintf("legal.%s.%d", doc, n)
		if !l.Has(k + ".title") {
			break
		}
		sections = append(sections, legalSection{
			Title: l.T(k+".title", figs), Paragraphs: strings.Split(l.T(k+".body", figs), "\n\n"),
		})
	}
	return web.Page(c, fiber.StatusOK, "store/legal", fiber.Map{
		"Title":       l.T("legal." + doc + ".title"),
		"Description": l.T("legal." + doc + ".lead"),
		"Doc":         doc,
		"Sections":    sections,
	})
}
