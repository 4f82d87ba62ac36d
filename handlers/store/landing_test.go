package store_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/testkit"
)

// lpLang is what the landing page must say in one language.
type lpLang struct {
	accept, htmlLang                       string
	cta, price, faqTitle, apps, commission string
	steps                                  []string
}

var lpLangs = []lpLang{
	{accept: "es-MX,es;q=0.9", htmlLang: "es-MX",
		cta: "Empieza gratis 14 días", price: "Después, $249 MXN al mes.", faqTitle: "Preguntas frecuentes",
		apps: "Típicamente alrededor del 30\u00a0%", commission: "≈ $6,000 MXN en comisiones",
		steps: []string{"Crea tu cuenta", "Sube tus productos", "Comparte y recibe pedidos"}},
	{accept: "en-US,en;q=0.9", htmlLang: "en",
		cta: "Start free for 14 days", price: "Then $249 MXN a month.", faqTitle: "Frequently asked questions",
		apps: "Typically around 30\u00a0%", commission: "≈ $6,000 MXN in commissions",
		steps: []string{"Create your account", "Add your products", "Share and get orders"}},
}

var (
	lpHeroCTA  = regexp.MustCompile(`<a class="[^"]*" href="([^"]+)" data-cta="hero">([^<]+)</a>`)
	lpDemo     = regexp.MustCompile(`<a class="[^"]*" href="([^"]+)" data-demo>`)
	lpPrice    = regexp.MustCompile(`<p class="[^"]*" data-price>([^<]+)</p>`)
	lpTable    = regexp.MustCompile(`(?s)<table[^>]*data-compare>(.*?)</table>`)
	lpCaption  = regexp.MustCompile(`<caption[^>]*>[^<]+</caption>`)
	lpSteps    = regexp.MustCompile(`(?s)<ol[^>]*data-steps>(.*?)</ol>`)
	lpStepHead = regexp.MustCompile(`<h3[^>]*>([^<]+)</h3>`)
	lpQ        = regexp.MustCompile(`<span data-q>([^<]+)</span>`)
	lpA        = regexp.MustCompile(`<p class="[^"]*" data-a>([^<]+)</p>`)
	lpFooter   = regexp.MustCompile(`<a [^>]*href="(/[a-z]+)" data-footer-link>`)
)

// lpClient is a visitor whose browser asks for accept.
func lpClient(a *testkit.App, accept string) *testkit.Client {
	c := a.Client()
	c.Header.Set("Accept-Language", accept)
	return c
}

// The landing page shows every section in the visitor's language: the hero
// with its sign-up and demo links, the comparison table, the three steps,
// the example stories labelled as such, the FAQ whose JSON-LD asks exactly
// the questions shown, and the footer's legal links.
func TestLandingShowsEverySectionInBothLanguages(t *testing.T) {
	a := testkit.NewApp(t)
	for _, lang := range lpLangs {
		t.Run(lang.htmlLang, func(t *testing.T) {
			body := sfGet(t, lpClient(a, lang.accept), "/", http.StatusOK).Body
			sfHas(t, body, `<html lang="`+lang.htmlLang+`">`, `<h1 id="hero-title"`, lang.faqTitle)
			for _, s := range []string{"hero", "benefits", "compare", "steps", "stories", "faq", "final"} {
				sfHas(t, body, `data-section="`+s+`"`)
			}

			m := lpHeroCTA.FindStringSubmatch(body)
			if m == nil || m[1] != "/signup" || html.UnescapeString(m[2]) != lang.cta {
				t.Errorf("hero call to action = %q, want %q to /signup", m, lang.cta)
			}
			if m := lpDemo.FindStringSubmatch(body); m == nil || m[1] != "/demo" {
				t.Errorf("demo link = %q, want /demo", m)
			}
			if m := lpPrice.FindStringSubmatch(body); m == nil || !strings.HasPrefix(html.UnescapeString(m[1]), lang.price) {
				t.Errorf("price under the call to action = %q, want %q…", m, lang.price)
			}

			table := lpTable.FindStringSubmatch(body)
			if table == nil {
				t.Fatal("no comparison table")
			}
			tb := html.UnescapeString(table[1])
			if !lpCaption.MatchString(tb) || strings.Count(tb, `scope="col"`) != 3 || strings.Count(tb, `scope="row"`) != 4 {
				t.Errorf("comparison table lacks its caption or header scopes:\n%s", tb)
			}
			sfHas(t, tb, "Rappi / Uber Eats", lang.apps, "0\u00a0%", "$20,000 MXN", lang.commission, "$249 MXN")

			steps := lpSteps.FindStringSubmatch(body)
			if steps == nil {
				t.Fatal("no steps list")
			}
			var got []string
			for _, m := range lpStepHead.FindAllStringSubmatch(steps[1], -1) {
				got = append(got, html.UnescapeString(m[1]))
			}
			if strings.Join(got, "|") != strings.Join(lang.steps, "|") {
				t.Errorf("steps = %q, want %q", got, lang.steps)
			}
			sfHas(t, body, `data-stories-note`)

			// The FAQ's JSON-LD holds exactly the visible questions and answers.
			qs, as := lpQ.FindAllStringSubmatch(body, -1), lpA.FindAllStringSubmatch(body, -1)
			if len(qs) < 5 || len(qs) != len(as) || strings.Count(body, "<details") != len(qs) || strings.Count(body, "<summary") != len(qs) {
				t.Fatalf("FAQ: %d questions, %d answers, %d details", len(qs), len(as), strings.Count(body, "<details"))
			}
			faq := sfLD(t, sfJSONLD(t, body), "FAQPage")
			entities, _ := faq["mainEntity"].([]any)
			if len(entities) != len(qs) {
				t.Fatalf("FAQPage has %d questions, the page shows %d", len(entities), len(qs))
			}
			for i, e := range entities {
				q := sfObj(t, e, "FAQ question")
				ans := sfObj(t, q["acceptedAnswer"], "FAQ answer")
				wantQ, wantA := html.UnescapeString(qs[i][1]), html.UnescapeString(as[i][1])
				if q["@type"] != "Question" || q["name"] != wantQ || ans["@type"] != "Answer" || ans["text"] != wantA {
					t.Errorf("FAQ JSON-LD %d = %v, want %q → %q", i, q, wantQ, wantA)
				}
			}

			var links []string
			for _, m := range lpFooter.FindAllStringSubmatch(body, -1) {
				links = append(links, m[1])
			}
			if strings.Join(links, " ") != "/terms /privacy" {
				t.Errorf("footer legal links = %q", links)
			}
		})
	}
}

// The price and trial the landing page quotes are the configured plan's,
// and so is the worked example's saving.
func TestLandingQuotesTheConfiguredPlan(t *testing.T) {
	a := testkit.NewApp(t, testkit.WithEnv("PLAN_PRICE_CENTS", "29900"), testkit.WithEnv("TRIAL_DAYS", "30"))
	body := html.UnescapeString(sfGet(t, lpClient(a, "es"), "/", http.StatusOK).Body)
	sfHas(t, body, "Empieza gratis 30 días", "Después, $299 MXN al mes.", "$299 MXN fijos",
		"te quedan unos $5,701 MXN más", "Los primeros 30 días son gratis. Después, $299 MXN al mes")
	sfHasNot(t, body, "$249", "14 días")
}

// The terms and the privacy notice answer in both languages with their
// sections, the configured plan, and the footer linking both.
func TestLegalPagesInBothLanguages(t *testing.T) {
	a := testkit.NewApp(t, testkit.WithEnv("PLAN_PRICE_CENTS", "29900"))
	for _, tc := range []struct {
		accept, path string
		wants        []string
	}{
		{"es", "/terms", []string{"<h1 class=\"page-title\">Términos y condiciones</h1>", "$299 MXN al mes", "Stripe", "Cancelación", "no cobra comisión"}},
		{"en", "/terms", []string{"<h1 class=\"page-title\">Terms of service</h1>", "$299 MXN a month", "Stripe", "Cancellation", "no commission"}},
		{"es", "/privacy", []string{"<h1 class=\"page-title\">Aviso de privacidad</h1>", "LFPDPPP", "Stripe", "derechos ARCO"}},
		{"en", "/privacy", []string{"<h1 class=\"page-title\">Privacy notice</h1>", "LFPDPPP", "Stripe", "ARCO rights"}},
	} {
		body := html.UnescapeString(sfGet(t, lpClient(a, tc.accept), tc.path, http.StatusOK).Body)
		sfHas(t, body, tc.wants...)
		if n := strings.Count(body, "<h2>"); n < 5 {
			t.Errorf("%s (%s) has %d sections", tc.path, tc.accept, n)
		}
		if len(lpFooter.FindAllStringSubmatch(body, -1)) != 2 {
			t.Errorf("%s (%s) lacks the footer's legal links", tc.path, tc.accept)
		}
	}
}

// The legal pages' paths can never be a store's slug.
func TestLegalPathsAreReservedSlugs(t *testing.T) {
	for _, p := range []string{"terms", "privacy"} {
		if !domain.IsReservedSlug(p) || domain.ValidateSlug(p) != "validation.slug_reserved" {
			t.Errorf("%q is not a reserved slug", p)
		}
	}
}

// The footer's language switch turns the landing page to English for a
// browser that asks for Spanish.
func TestLandingFollowsTheLanguageSwitch(t *testing.T) {
	a := testkit.NewApp(t)
	c := lpClient(a, "es-MX,es")
	sfHas(t, sfGet(t, c, "/", http.StatusOK).Body, `<html lang="es-MX">`, `action="/lang"`)
	if r := c.PostForm("/lang", url.Values{"lang": {"en"}, "next": {"/"}}); r.StatusCode >= 400 {
		t.Fatalf("POST /lang: %d", r.StatusCode)
	}
	sfHas(t, sfGet(t, c, "/", http.StatusOK).Body, `<html lang="en">`, "Start free for 14 days")
}
