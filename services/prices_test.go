package services_test

import (
	"testing"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services"
)

func TestParsePrice(t *testing.T) {
	ok := map[string]domain.Money{
		"25": 2500, "25.5": 2550, "25.50": 2550, "$25.50": 2550, " 0.99 ": 99, "0": 0, ".5": 50,
		"1,250": 125000, "1,250.75": 125075, "$ 1,000,000.00": 100000000, "1000000": 100000000,
		"19.99": 1999, "0.01": 1, "0.10": 10, "007": 700,
	}
	for in, want := range ok {
		got, key := services.ParsePrice(in)
		if key != "" || got != want {
			t.Errorf("ParsePrice(%q) = %d, %q; want %d", in, got, key, want)
		}
	}
	bad := map[string]string{
		"":                     "validation.required",
		"-5":                   "catalog.validation.price_negative",
		"-0.01":                "catalog.validation.price_negative",
		"25.555":               "catalog.validation.price_decimals",
		"25.":                  "catalog.validation.price_format",
		"25,50":                "catalog.validation.price_format",
		"1,25,000":             "catalog.validation.price_format",
		"abc":                  "catalog.validation.price_format",
		"1e3":                  "catalog.validation.price_format",
		"25.5.0":               "catalog.validation.price_format",
		"1000000.01":           "catalog.validation.price_max",
		"99999999999999999999": "catalog.validation.price_format",
	}
	for in, want := range bad {
		if _, key := services.ParsePrice(in); key != want {
			t.Errorf("ParsePrice(%q) key %q, want %q", in, key, want)
		}
	}
}
