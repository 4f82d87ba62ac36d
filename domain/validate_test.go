package domain

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestValidatorRules(t *testing.T) {
	v := &ValidationError{}
	if v.Required("a", "") || !v.Required("b", "x") {
		t.Fatal("Required")
	}
	v.MaxLen("a", "too long", 3) // a already has an error: kept first
	if !v.MaxLen("c", "ñññ", 3) || v.MaxLen("d", "ññññ", 3) {
		t.Fatal("MaxLen counts runes")
	}
	if !v.Range("e", 5, 1, 5, "k.range", nil) || v.Range("f", 0, 1, 5, "k.range", map[string]any{"Min": 1}) {
		t.Fatal("Range")
	}
	if !v.OneOf("g", "es", []string{"es", "en"}, "k.lang") || v.OneOf("h", "fr", []string{"es", "en"}, "k.lang") {
		t.Fatal("OneOf")
	}
	re := regexp.MustCompile(`^[a-z]+$`)
	if !v.Match("i", "abc", re, "k.re") || v.Match("j", "AB", re, "k.re") {
		t.Fatal("Match")
	}
	if v.RequiredAs("k", "", "k.req") || v.MaxLenAs("l", "abcd", 3, "k.long") {
		t.Fatal("As variants")
	}
	want := []FieldError{
		{"a", KeyRequired, nil},
		{"d", KeyTooLong, map[string]any{"Max": 3}},
		{"f", "k.range", map[string]any{"Min": 1}},
		{"h", "k.lang", nil},
		{"j", "k.re", nil},
		{"k", "k.req", nil},
		{"l", "k.long", map[string]any{"Max": 3}},
	}
	if !reflect.DeepEqual(v.Fields, want) {
		t.Fatalf("fields:\n got %v\nwant %v", v.Fields, want)
	}
}

// TestLimitsMatchColumns keeps the GORM sizes of the entities (which must
// be literals) equal to the limits the services check; where the column is
// wider on purpose, the limit must fit in it.
func TestLimitsMatchColumns(t *testing.T) {
	cases := []struct {
		entity any
		field  string
		limit  int
		wider  bool // the column may be wider than the limit
	}{
		{Business{}, "Name", BusinessNameMax, false},
		{Business{}, "Slug", SlugMaxLen, false},
		{Business{}, "Description", BusinessDescriptionMax, false},
		{Business{}, "Address", BusinessAddressMax, false},
		{Business{}, "City", BusinessCityMax, false},
		{Business{}, "ReferralCode", ReferralCodeMax, false},
		{Business{}, "ReferredByCode", ReferredByCodeMax, false},
		{Business{}, "ClosedMessage", BusinessClosedMessageMax, false},
		{Business{}, "PayCashNote", PayNoteMax, false},
		{Business{}, "PayTransferNote", PayNoteMax, false},
		{Business{}, "PayCardOnDeliveryNote", PayNoteMax, false},
		{Business{}, "PayTransferBank", PayTransferBankMax, false},
		{Business{}, "PayTransferHolder", PayTransferHolderMax, false},
		{Business{}, "Instagram", SocialURLMax, false},
		{Business{}, "Facebook", SocialURLMax, false},
		{Business{}, "TikTok", SocialURLMax, false},
		{Business{}, "Website", SocialURLMax, false},
		{Business{}, "SEOTitle", SEOTitleMax, false},
		{Business{}, "SEODescription", SEODescriptionMax, false},
		{Category{}, "Name", CategoryNameMax, false},
		{Product{}, "Name", ProductNameMax, false},
		{Product{}, "Slug", ProductSlugMax, true},
		{Product{}, "Description", ProductDescMax, false},
		{OptionGroup{}, "Name", OptionNameMax, false},
		{OptionChoice{}, "Name", OptionNameMax, false},
		{Review{}, "AuthorName", ReviewNameMax, false},
		{Review{}, "Comment", ReviewCommentMax, false},
		{Order{}, "CustomerName", OrderNameMax, false},
		{Order{}, "Address", OrderAddressMax, false},
		{Order{}, "Notes", OrderNotesMax, false},
		{OrderItem{}, "ProductName", ProductNameMax, false},
		{User{}, "Name", UserNameMax, false},
		{User{}, "Email", EmailMax, false},
	}
	for _, c := range cases {
		typ := reflect.TypeOf(c.entity)
		f, ok := typ.FieldByName(c.field)
		if !ok {
			t.Fatalf("%s has no field %s", typ.Name(), c.field)
		}
		size := gormSize(f.Tag.Get("gorm"))
		if size == c.limit || (c.wider && size > c.limit) {
			continue
		}
		t.Errorf("%s.%s: column size %d, limit %d", typ.Name(), c.field, size, c.limit)
	}
}

func gormSize(tag string) int {
	for _, part := range strings.Split(tag, ";") {
		if n, ok := strings.CutPrefix(part, "size:"); ok {
			size, _ := strconv.Atoi(n)
			return size
		}
	}
	return 0
}

func TestLimitsAreNamed(t *testing.T) {
	if Limits["ProductName"] != ProductNameMax || Limits["ProductSlug"] != ProductSlugMax || Limits["PasswordMin"] != PasswordMinLen {
		t.Fatal("Limits does not name the limits")
	}
	for name, n := range Limits {
		if n <= 0 {
			t.Errorf("limit %s = %d", name, n)
		}
	}
}
