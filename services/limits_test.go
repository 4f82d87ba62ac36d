package services

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/qubly/qubly/domain"
)

// The forms' limits: every maxlength and minlength in templates/ is read
// from domain.Limits through the limit func, and the service that reads the
// input accepts exactly what the form lets through.

var (
	// literalLimit finds a limit written as a number in a template.
	literalLimit = regexp.MustCompile(`(?:maxlength|minlength)="\d|"(?:Max|Min)" \d`)
	// limitAttr finds <input name="x" … maxlength="{{limit "X"}}">.
	limitAttr = regexp.MustCompile(`name="([\w.]+)"[^>]*?(maxlength|minlength)="\{\{limit "(\w+)"\}\}"`)
	// limitDict finds {{template "partials/field" dict "Name" "x" … "Max" (limit "X")}}.
	limitDict = regexp.MustCompile(`dict "Name" "([\w.]+)"[^}]*?"(Max|Min)" \(limit "(\w+)"\)`)
	// limitedPartial finds a field partial given a limit.
	limitedPartial = regexp.MustCompile(`\{\{template "partials/\w+" dict [^}]*\(limit "`)
	// anyLimit finds every limit a template names.
	anyLimit = regexp.MustCompile(`limit "(\w+)"`)
)

// formLimit is one input's limit as a template declares it.
type formLimit struct {
	template, input string
	min             bool
	limit           string
}

func (f formLimit) key() string { return f.template + " " + f.input + " " + f.limit }

// rule runs the service's rule on one input's value and returns the errors.
type rule struct {
	check func(val string) *domain.ValidationError
	field string             // the error's field; the input's name when ""
	value func(n int) string // a valid value n characters long; runes when nil
	_     struct{}           // keep keyed literals
}

func text(n int) string  { return strings.Repeat("ñ", n) }
func ascii(n int) string { return strings.Repeat("a", n) }
func email(n int) string { return ascii(n-len("@ejemplo.mx")) + "@ejemplo.mx" }
func referralCode(n int) string {
	return domain.ReferralCodePrefix + strings.Repeat("7", n-len(domain.ReferralCodePrefix))
}
func link(n int) string { return "https://ejemplo.mx/" + ascii(n-len("https://ejemplo.mx/")) }

func productRule(set func(*ProductInput, string)) func(string) *domain.ValidationError {
	return func(val string) *domain.ValidationError {
		in := ProductInput{Name: "Tacos", Price: "10"}
		set(&in, val)
		v := &domain.ValidationError{}
		parseProduct(in, &domain.Product{}, v)
		return v
	}
}

func settingsRule(field string) func(string) *domain.ValidationError {
	return func(val string) *domain.ValidationError {
		var in SettingsInput
		reflect.ValueOf(&in).Elem().FieldByName(field).SetString(val)
		return readSettings(&domain.Business{}, in).v
	}
}

func signupRule(set func(*SignupInput, string)) func(string) *domain.ValidationError {
	return func(val string) *domain.ValidationError {
		in := SignupInput{OwnerName: "Ana", Email: "ana@ejemplo.mx", Password: "secreto123", BusinessName: "Tacos", Slug: "tacos"}
		set(&in, val)
		_, v := checkSignup(in)
		return v
	}
}

func orderRule(set func(*CreateOrderInput, string)) func(string) *domain.ValidationError {
	return func(val string) *domain.ValidationError {
		in := CreateOrderInput{CustomerName: "Ana", Fulfillment: domain.FulfillmentDelivery, Address: "Calle 1"}
		set(&in, val)
		v := &domain.ValidationError{}
		newOrder(&domain.Business{DeliveryEnabled: true}, in, v)
		return v
	}
}

func password(field string) func(string) *domain.ValidationError {
	return func(val string) *domain.ValidationError {
		v := &domain.ValidationError{}
		checkPassword(v, field, val, "")
		return v
	}
}

// noEmailsTaken is a users repository in which every email is free.
type noEmailsTaken struct{ AdminUserRepo }

func (noEmailsTaken) EmailTaken(context.Context, string) (bool, error) { return false, nil }

func adminUserRule(val string) *domain.ValidationError {
	v := &domain.ValidationError{}
	in := AdminUserInput{Name: val, Email: "ana@qubly.mx", Role: domain.RoleAdminViewer}
	if err := (&AdminUsers{users: noEmailsTaken{}}).check(context.Background(), &in, v); err != nil {
		panic(err)
	}
	return v
}

func optionRule(val string) *domain.ValidationError {
	v := &domain.ValidationError{}
	optionName(val, v)
	return v
}

// formRules maps each limited input ("template input") to the service rule
// that reads it.
var formRules = map[string]rule{
	"dashboard/product_form.html name ProductName":        {check: productRule(func(in *ProductInput, s string) { in.Name = s })},
	"dashboard/product_form.html slug ProductSlug":        {check: productRule(func(in *ProductInput, s string) { in.Slug = s }), value: ascii},
	"dashboard/product_form.html description ProductDesc": {check: productRule(func(in *ProductInput, s string) { in.Description = s })},
	"dashboard/categories.html name CategoryName": {check: func(s string) *domain.ValidationError {
		v := &domain.ValidationError{}
		validateCategoryName(s, nil, 0, "name", v)
		return v
	}},
	"dashboard/settings.html name BusinessName": {check: settingsRule("Name")},
	"dashboard/settings.html slug Slug": {check: func(s string) *domain.ValidationError {
		v := &domain.ValidationError{}
		v.StoreSlug("slug", s)
		return v
	}, value: ascii},
	"dashboard/settings.html description BusinessDescription":       {check: settingsRule("Description")},
	"dashboard/settings.html address BusinessAddress":               {check: settingsRule("Address")},
	"dashboard/settings.html city BusinessCity":                     {check: settingsRule("City")},
	"dashboard/settings.html closed_message BusinessClosedMessage":  {check: settingsRule("ClosedMessage")},
	"dashboard/settings.html pay_cash_note PayNote":                 {check: settingsRule("PayCashNote")},
	"dashboard/settings.html pay_transfer_bank PayTransferBank":     {check: settingsRule("PayTransferBank")},
	"dashboard/settings.html pay_transfer_holder PayTransferHolder": {check: settingsRule("PayTransferHolder")},
	"dashboard/settings.html pay_transfer_note PayNote":             {check: settingsRule("PayTransferNote")},
	"dashboard/settings.html pay_card_on_delivery_note PayNote":     {check: settingsRule("PayCardOnDeliveryNote")},
	"dashboard/settings.html seo_title SEOTitle":                    {check: settingsRule("SEOTitle")},
	"dashboard/settings.html seo_description SEODescription":        {check: settingsRule("SEODescription")},
	"dashboard/settings.html instagram SocialURL":                   {check: settingsRule("Instagram"), value: link},
	"dashboard/settings.html facebook SocialURL":                    {check: settingsRule("Facebook"), value: link},
	"dashboard/settings.html tiktok SocialURL":                      {check: settingsRule("TikTok"), value: link},
	"dashboard/settings.html website SocialURL":                     {check: settingsRule("Website"), value: link},
	"dashboard/password.html new_password PasswordMin":              {check: password("new_password")},
	"auth/reset.html password PasswordMin":                          {check: password("password")},
	"auth/invite.html password PasswordMin":                         {check: password("password")},
	"admin/password.html new_password PasswordMin":                  {check: password("new_password")},
	"admin/users.html password PasswordMin":                         {check: password("password")},
	"admin/users.html name UserName":                                {check: adminUserRule},
	"auth/signup.html owner_name UserName":                          {check: signupRule(func(in *SignupInput, s string) { in.OwnerName = s })},
	"auth/signup.html email Email":                                  {check: signupRule(func(in *SignupInput, s string) { in.Email = s }), value: email},
	"auth/signup.html password PasswordMin":                         {check: signupRule(func(in *SignupInput, s string) { in.Password = s })},
	"auth/signup.html business_name BusinessName":                   {check: signupRule(func(in *SignupInput, s string) { in.BusinessName = s })},
	"auth/signup.html slug Slug":                                    {check: signupRule(func(in *SignupInput, s string) { in.Slug = s }), value: ascii},
	"auth/signup.html referral_code ReferralCode":                   {check: signupRule(func(in *SignupInput, s string) { in.ReferralCode = s }), value: referralCode},
	"store/reviews.html name ReviewName": {check: func(s string) *domain.ValidationError {
		_, _, v := readReview(ReviewInput{Name: s, Rating: 5})
		return v
	}},
	"store/reviews.html comment ReviewComment": {check: func(s string) *domain.ValidationError {
		_, _, v := readReview(ReviewInput{Name: "Ana", Rating: 5, Comment: s})
		return v
	}},
	"store/checkout.html name OrderName":          {check: orderRule(func(in *CreateOrderInput, s string) { in.CustomerName = s }), field: "customer.name"},
	"store/checkout.html address OrderAddress":    {check: orderRule(func(in *CreateOrderInput, s string) { in.Address = s })},
	"dashboard/product_form.html name OptionName": {check: optionRule},
	"store/checkout.html notes OrderNotes":        {check: orderRule(func(in *CreateOrderInput, s string) { in.Notes = s })},
}

// inputOnly are limits on what a browser sends that no service rejects:
// the service reads the input another way.
var inputOnly = map[string]string{
	"dashboard/settings.html pay_transfer_clabe CLABEInput": "spaces and dashes are dropped, then the CLABE must be 18 digits",
	"store/checkout.html phone OrderPhoneInput":             "the phone is normalized, then checked as a Mexican number",
	"store/checkout.html cash_tendered CashInput":           "parsed as pesos, then checked against the total",
	"store/home.html q SearchQuery":                         "the store's search text is cut at domain.SearchQueryMax",
	"dashboard/orders.html q SearchQuery":                   "the orders search text is only matched",
	"admin/businesses.html q SearchQuery":                   "the businesses search text is only matched",
}

// templateLimits reads every limit the templates declare.
func templateLimits(t *testing.T) []formLimit {
	t.Helper()
	root := filepath.Join("..", "templates")
	var out []formLimit
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		src, name := string(b), filepath.ToSlash(strings.TrimPrefix(path, root+string(filepath.Separator)))
		for _, m := range literalLimit.FindAllString(src, -1) {
			t.Errorf("%s: literal limit %q: use {{limit \"…\"}} (domain.Limits)", name, m)
		}
		for _, m := range anyLimit.FindAllStringSubmatch(src, -1) {
			if _, ok := domain.Limits[m[1]]; !ok {
				t.Errorf("%s: no limit named %q in domain.Limits", name, m[1])
			}
		}
		found := 0
		for _, re := range []*regexp.Regexp{limitAttr, limitDict} {
			for _, m := range re.FindAllStringSubmatch(src, -1) {
				out = append(out, formLimit{template: name, input: m[1], min: m[2] == "minlength" || m[2] == "Min", limit: m[3]})
				found++
			}
		}
		want := strings.Count(src, `length="{{limit`) + len(limitedPartial.FindAllString(src, -1))
		if want != found {
			t.Errorf("%s: %d inputs with limits, %d read by this test: update its patterns", name, want, found)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key() < out[j].key() })
	return out
}

func TestFormLimitsMatchServices(t *testing.T) {
	limits := templateLimits(t)
	if len(limits) < 30 {
		t.Fatalf("found %d limited inputs in templates/; the patterns no longer match the templates", len(limits))
	}
	seen := map[string]bool{}
	for _, fl := range limits {
		seen[fl.key()] = true
		if _, ok := inputOnly[fl.key()]; ok {
			continue
		}
		r, ok := formRules[fl.key()]
		if !ok {
			t.Errorf("%s: limit %q has no service rule in formRules (or reason in inputOnly)", fl.key(), fl.limit)
			continue
		}
		n, value, field := domain.Limits[fl.limit], r.value, r.field
		if value == nil {
			value = text
		}
		if field == "" {
			field = fl.input
		}
		good, bad := n, n+1
		if fl.min {
			bad = n - 1
		}
		if v := r.check(value(good)); v.Has(field) {
			t.Errorf("%s: the form lets %d characters through (%s) but the service refuses them: %v", fl.key(), good, fl.limit, v)
		}
		if v := r.check(value(bad)); !v.Has(field) {
			t.Errorf("%s: the form stops at %d characters (%s) but the service accepts %d", fl.key(), n, fl.limit, bad)
		}
	}
	for k := range formRules {
		if !seen[k] {
			t.Errorf("formRules has %s, which no template limits", k)
		}
	}
}
