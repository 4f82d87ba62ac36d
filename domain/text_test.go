package domain

import (
	"strings"
	"testing"
)

func TestCleanTextDropsInvisibleCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"Ana López":                          "Ana López",
		"  Ana\x00 López ":                   "Ana López",
		"Ana\u202ePEDIDO\u202c":              "AnaPEDIDO",
		"\u202aLRE\u202bRLE\u202dLRO\u202c":  "LRERLELRO",
		"\u2066iso\u2067x\u2068y\u2069":      "isoxy",
		"a\u200eb\u200fc\u061cd":             "abcd",
		"zero\u200bwidth\u200c\u2060\ufeff":  "zerowidth",
		"soft\u00adhyphen":                   "softhyphen",
		"bell\x07 esc\x1b del\x7f c1\u0085x": "bell esc del c1\nx",
		"Calle 5\r\nCol. Centro\rCP":         "Calle 5\nCol. Centro\nCP",
		"line\u2028sep\u2029para":            "line\nsep\npara",
		"tab\there":                          "tab\there",
		"\xffinvalid\xfe utf8":               "invalid utf8",
		"👩‍💻 dev":                            "👩\u200d💻 dev",
		"🏳️‍🌈":                               "🏳️\u200d🌈",
		"❤️‍🔥":                               "❤️\u200d🔥",
		"👩🏽‍🍳":                               "👩🏽\u200d🍳",
		"👨‍👩‍👧":                              "👨\u200d👩\u200d👧",
		"a\u200db":                           "ab",
		"👩\u200d":                            "👩",
		"\u200d💻":                            "💻",
		"🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F": "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F",
		"a\U000E0041b":   "ab",
		"Niño 🌮 ¡Órale!": "Niño 🌮 ¡Órale!",
		"  \n\t ":        "",
	} {
		if got := CleanText(in); got != want {
			t.Errorf("CleanText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanLineTurnsBreaksIntoSpaces(t *testing.T) {
	for in, want := range map[string]string{
		"Ana\nLópez":          "Ana López",
		"Ana\r\nLópez":        "Ana López",
		"Ana\tLópez":          "Ana López",
		"Tacos\u2028Lupe":     "Tacos Lupe",
		"\u202eTacos\x00Lupe": "TacosLupe",
		" Tacos ":             "Tacos",
	} {
		if got := CleanLine(in); got != want {
			t.Errorf("CleanLine(%q) = %q, want %q", in, got, want)
		}
	}
	if got := CleanLine(strings.Repeat("\u202e", 1000)); got != "" {
		t.Errorf("only format characters left %q", got)
	}
}
