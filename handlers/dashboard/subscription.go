package dashboard

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

const localBanner = "dashboard.billing_banner"

// billingBanner is the subscription notice above every dashboard page.
type billingBanner struct {
	// Kind is suspended, trial, trial_over, past_due, past_due_offline or
	// cancelled.
	Kind string
	// Reason is why a platform admin suspended the store.
	Reason string
	Days   int
	// Date is when a past_due store goes offline, in the store's zone.
	Date string
}

// stripeFormAction lets the billing forms (on the billing page, and the
// resubscribe button of the banner on every page) follow their redirect to
// Stripe: browsers apply the page's form-action to a form's redirects.
const stripeFormAction = "form-action 'self' https://checkout.stripe.com https://billing.stripe.com"

// Subscription shows the subscription's state on every dashboard page and
// keeps the dashboard of a cancelled subscription read-only: every write
// but subscribing, the account and logging out is refused with a 403 that
// says why, and changes nothing. Mount it after Context.
func Subscription(billing *services.Billing) fiber.Handler {
	return func(c *fiber.Ctx) error {
		biz := Business(c)
		st := billing.State(biz)
		if st.ReadOnly && isWrite(c.Method()) && !writableWhenCancelled(c.Path()) {
			return readOnly(c)
		}
		if c.Method() == fiber.MethodGet {
			c.Locals(localBanner, banner(c, biz, st))
			if csp := string(c.Response().Header.Peek(fiber.HeaderContentSecurityPolicy)); strings.Contains(csp, "form-action 'self'") {
				c.Set(fiber.HeaderContentSecurityPolicy, strings.Replace(csp, "form-action 'self'", stripeFormAction, 1))
			}
		}
		return c.Next()
	}
}

func isWrite(method string) bool {
	switch method {
	case fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch, fiber.MethodDelete:
		return true
	}
	return false
}

// writableWhenCancelled are the dashboard paths a cancelled business may
// still post to: subscribing again and the owner's account. (Logging out
// and the language are outside /dashboard.)
func writableWhenCancelled(path string) bool {
	for _, p := range []string{billingPath, "/dashboard/account"} {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// readOnly refuses a write of a cancelled business: JSON for the scripts'
// requests, else a page with the resubscribe button.
func readOnly(c *fiber.Ctx) error {
	l := web.L(c)
	msg := l.T("billing.readonly.message")
	if strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON) && !strings.Contains(c.Get(fiber.HeaderAccept), "text/html") {
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(fiber.StatusForbidden).JSON(fiber.Map{"error": msg, "request_id": web.RequestID(c)})
	}
	return page(c, fiber.StatusForbidden, "dashboard/readonly", "", fiber.Map{
		"Title": l.T("billing.readonly.title"), "Message": msg,
	})
}

// banner is the notice of st, or nil when there is nothing to say (active,
// or a demo store). A store a platform admin suspended says so first: no
// payment brings it back.
func banner(c *fiber.Ctx, biz *domain.Business, st services.BillingState) *billingBanner {
	if biz.Suspended() {
		return &billingBanner{Kind: "suspended", Reason: biz.SuspendedReason}
	}
	if st.Demo {
		return nil
	}
	switch st.Status {
	case domain.SubscriptionTrial:
		if st.TrialDaysLeft == 0 {
			return &billingBanner{Kind: "trial_over"}
		}
		return &billingBanner{Kind: "trial", Days: st.TrialDaysLeft}
	case domain.SubscriptionPastDue:
		if !st.Online {
			return &billingBanner{Kind: "past_due_offline"}
		}
		b := &billingBanner{Kind: "past_due"}
		if st.GraceEndsAt != nil {
			b.Date = web.Date(st.GraceEndsAt.In(biz.Location()), web.Lang(c))
		}
		return b
	case domain.SubscriptionCancelled:
		return &billingBanner{Kind: "cancelled"}
	}
	return nil
}
