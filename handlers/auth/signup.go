package auth

import (
	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

func (h *Handler) signupForm(c *fiber.Ctx) error {
	if web.CurrentUser(c) != nil {
		return c.Redirect("/dashboard", fiber.StatusSeeOther)
	}
	return h.renderSignup(c, fiber.StatusOK, services.SignupInput{ReferralCode: c.Query("ref")}, nil)
}

func (h *Handler) renderSignup(c *fiber.Ctx, status int, form services.SignupInput, errs map[string]string) error {
	form.Password = ""
	data := fiber.Map{"Title": web.L(c).T("signup.title"), "Form": form, "Errors": errs, "Host": h.host}
	// Whoever comes with a code (a ?ref= link) is told what it gives them.
	pct := 0
	if h.referralDiscount != nil {
		pct = h.referralDiscount()
	}
	if code, ok := domain.NormalizeReferralCode(form.ReferralCode); ok && errs["referral_code"] == "" && pct > 0 {
		data["ReferralNote"] = web.L(c).T("signup.referral_note", "Code", code, "Percent", pct)
	}
	return web.Page(c, status, "auth/signup", data)
}

func (h *Handler) signup(c *fiber.Ctx) error {
	in := services.SignupInput{
		OwnerName:    c.FormValue("owner_name"),
		Email:        c.FormValue("email"),
		Password:     c.FormValue("password"),
		BusinessName: c.FormValue("business_name"),
		Slug:         c.FormValue("slug"),
		WhatsApp:     c.FormValue("whatsapp"),
		ReferralCode: c.FormValue("referral_code"),
		Lang:         web.Lang(c),
	}
	_, err := h.accounts.Signup(c.UserContext(), in)
	if errs := web.FormErrors(c, err); errs != nil {
		return h.renderSignup(c, fiber.StatusBadRequest, in, errs)
	}
	if err != nil {
		return err
	}
	// The same page whether or not the email already had an account.
	return checkEmail(c, "check_email.signup", in.Email, true)
}

// checkEmail renders the "check your inbox" page with message key.
func checkEmail(c *fiber.Ctx, key, email string, showResend bool) error {
	l := web.L(c)
	return web.Page(c, fiber.StatusOK, "auth/check_email", fiber.Map{
		"Title": l.T("check_email.title"), "Message": l.T(key, "Email", email),
		"Email": email, "ShowResend": showResend,
	})
}
