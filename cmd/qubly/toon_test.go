package main

import (
	"bytes"
	"strings"
	"testing"
)

func runToon(stdin string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := toonCmd(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestToonCommand(t *testing.T) {
	in := `{"store":"Tacos","items":[{"sku":"A1","price":25.50},{"sku":"B|2","price":1e2}],"tags":["x","y"]}`
	cases := []struct {
		args []string
		want string
	}{
		{nil, "store: Tacos\nitems[2]{sku,price}:\n  A1,25.5\n  B|2,100\ntags[2]: x,y"},
		{[]string{"--delimiter", "|", "--indent", "4"}, "store: Tacos\nitems[2|]{sku|price}:\n    A1|25.5\n    \"B|2\"|100\ntags[2|]: x|y"},
		{[]string{"--delimiter=tab"}, "store: Tacos\nitems[2\t]{sku\tprice}:\n  A1\t25.5\n  B|2\t100\ntags[2\t]: x\ty"},
		{[]string{"--delimiter", `\t`}, "store: Tacos\nitems[2\t]{sku\tprice}:\n  A1\t25.5\n  B|2\t100\ntags[2\t]: x\ty"},
		{[]string{"-delimiter", "\t"}, "store: Tacos\nitems[2\t]{sku\tprice}:\n  A1\t25.5\n  B|2\t100\ntags[2\t]: x\ty"},
	}
	for _, c := range cases {
		code, out, errOut := runToon(in, c.args...)
		if code != 0 || out != c.want || errOut != "" {
			t.Errorf("toon %q: exit %d, out %q, err %q; want %q", c.args, code, out, errOut, c.want)
		}
	}
	if code, out, _ := runToon(`12345678901234567890.10`); code != 0 || out != "12345678901234567890.1" {
		t.Errorf("exact number: exit %d %q", code, out)
	}
}

func TestToonCommandErrors(t *testing.T) {
	for _, bad := range []string{"", "{", `{"a":1,}`, "[1] 2"} {
		code, out, errOut := runToon(bad)
		if code != 1 || out != "" || !strings.Contains(errOut, "invalid JSON") {
			t.Errorf("JSON %q: exit %d, out %q, err %q", bad, code, out, errOut)
		}
	}
	for _, args := range [][]string{{"--delimiter", ";"}, {"--indent", "0"}, {"--indent", "x"}, {"--bogus"}, {"extra"}} {
		code, out, errOut := runToon("{}", args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "Usage: qubly toon") {
			t.Errorf("flags %q: exit %d, out %q, err %q", args, code, out, errOut)
		}
	}
	if code, out, _ := runToon("", "--help"); code != 0 || !strings.Contains(out, "--delimiter") {
		t.Errorf("--help: exit %d %q", code, out)
	}
	if _, out, _ := runCmd(t, nil, "--help"); !strings.Contains(out, "toon [--delimiter D]") {
		t.Error("qubly --help lacks toon")
	}
}
