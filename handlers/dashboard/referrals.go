package dashboard

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// Referrals serves /dashboard/referrals: the business's referral code and
// share link, the businesses it referred and this year's rewards.
type Referrals struct {
	summaries *services.ReferralSummaries
	baseURL   string
	reward    func() (int, domain.Money)
}

// NewReferrals returns the referrals page; reward gives, at each request,
// the discount the code gives (percent, from the platform settings) and the
// referrer's credit.
func NewReferrals(summaries *services.ReferralSummaries, baseURL string, reward func() (percent int, amount domain.Money)) *Referrals {
	return &Referrals{summaries: summaries, baseURL: baseURL, reward: reward}
}

// Register mounts the routes on r.
func (h *Referrals) Register(r fiber.Router) {
	r.Get("/referrals", h.show)
}

// referralRow is a referral as the page shows it.
type referralRow struct {
	Name, Date, DateISO string
	Status              domain.ReferralStatus
	Reason              string
}

func (h *Referrals) show(c *fiber.Ctx) error {
	biz := Business(c)
	l := web.L(c)
	sum, err := h.summaries.Of(c.UserContext(), biz.ID)
	if err != nil {
		return err
	}
	loc, lang := biz.Location(), web.Lang(c)
	rows := make([]referralRow, len(sum.Referrals))
	for i, ref := range sum.Referrals {
		at := ref.CreatedAt.In(loc)
		rows[i] = referralRow{
			Name: ref.BusinessName, Date: web.Date(at, lang), DateISO: at.Format(time.RFC3339),
			Status: ref.Status, Reason: ref.FailReason,
		}
	}
	link := h.baseURL + "/signup?ref=" + biz.ReferralCode
	percent, amount := h.reward()
	share := services.WhatsAppURL("", l.T("referrals.share_text", "Code", biz.ReferralCode, "Percent", percent, "URL", link))
	return page(c, fiber.StatusOK, "dashboard/referrals", "referrals", fiber.Map{
		"Title": l.T("referrals.title"), "Code": biz.ReferralCode, "Link": link, "ShareURL": share,
		"Percent": percent, "Amount": amount.Pesos(), "Rows": rows,
		"Rewards": sum.RewardsThisYear, "MaxRewards": sum.RewardsPerYear,
		"Scripts": []string{"js/share.js"},
	})
}
