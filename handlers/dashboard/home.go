package dashboard

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// Home serves /dashboard: the store's figures, its link with a QR code and
// the getting-started checklist.
type Home struct {
	stats   *services.Stats
	baseURL string
}

// NewHome returns the dashboard home handler; baseURL is BASE_URL, which
// the store links and QR codes start with.
func NewHome(stats *services.Stats, baseURL string) *Home {
	return &Home{stats: stats, baseURL: strings.TrimRight(baseURL, "/")}
}

// Register mounts the routes on r.
func (h *Home) Register(r fiber.Router) {
	r.Get("/", h.home)
	r.Get("/qr.png", h.qrPNG)
	r.Get("/qr.svg", h.qrSVG)
	r.Post("/checklist/whatsapp-tested", h.whatsappTested)
}

// storeURL is the public address of the logged-in owner's store.
func (h *Home) storeURL(c *fiber.Ctx) string { return h.baseURL + "/" + Business(c).Slug }

// homeFormAction lets the checklist's "Probar WhatsApp" form follow its
// redirect to wa.me (which forwards to api.whatsapp.com): browsers apply the
// page's form-action to the redirects of a form submission.
const homeFormAction = "form-action 'self' https://wa.me https://api.whatsapp.com"

func (h *Home) home(c *fiber.Ctx) error {
	biz := Business(c)
	l := web.L(c)
	figures, err := h.stats.Home(c.UserContext(), biz.ID)
	if err != nil {
		return err
	}
	checklist := services.ChecklistFor(biz, figures.ActiveProducts)
	link := h.storeURL(c)
	share := services.WhatsAppURL("", l.T("home.share_text", "Name", biz.Name, "URL", link))
	if csp := string(c.Response().Header.Peek(fiber.HeaderContentSecurityPolicy)); strings.Contains(csp, "form-action 'self'") {
		c.Set(fiber.HeaderContentSecurityPolicy, strings.Replace(csp, "form-action 'self'", homeFormAction, 1))
	}
	return page(c, fiber.StatusOK, "dashboard/home", "home", fiber.Map{
		"Title": l.T("home.title"), "Figures": figures, "Revenue": figures.Revenue.Pesos(),
		"Checklist": checklist, "StoreURL": link, "ShareURL": share,
		"ShareText": l.T("home.share_invite", "Name", biz.Name),
		"QRVersion": url.QueryEscape(biz.Slug), "Scripts": []string{"js/share.js"},
	})
}

func (h *Home) whatsappTested(c *fiber.Ctx) error {
	biz := Business(c)
	if err := h.stats.MarkWhatsAppTested(c.UserContext(), biz.ID); err != nil {
		return err
	}
	text := web.L(c).T("home.whatsapp_test_text", "Name", biz.Name, "URL", h.storeURL(c))
	return c.Redirect(services.WhatsAppURL(biz.WhatsAppDigits(), text), fiber.StatusSeeOther)
}
