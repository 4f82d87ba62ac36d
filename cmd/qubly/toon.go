package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"

	"github.com/qubly/qubly/toon"
)

const toonUsage = `Usage: qubly toon [--delimiter D] [--indent N] < input.json

Reads one JSON value on stdin and prints it as TOON on stdout, without a
trailing newline. Key order and numbers are kept exactly.

  --delimiter D   ",", "|" or a tab (the character itself, \t or tab); default ","
  --indent N      spaces per level, at least 1; default 2
`

// toonCmd runs `qubly toon`: exit 0, 1 on bad JSON, 2 on bad flags.
func toonCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("qubly toon", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	delim := fs.String("delimiter", ",", "")
	indent := fs.Int("indent", 2, "")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprint(stdout, toonUsage)
			return 0
		}
		fmt.Fprintf(stderr, "qubly toon: %v\n\n%s", err, toonUsage)
		return 2
	}
	d, ok := parseDelimiter(*delim)
	switch {
	case !ok:
		fmt.Fprintf(stderr, "qubly toon: unsupported delimiter %q\n\n%s", *delim, toonUsage)
		return 2
	case *indent < 1:
		fmt.Fprintf(stderr, "qubly toon: --indent must be at least 1, got %d\n\n%s", *indent, toonUsage)
		return 2
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "qubly toon: unexpected argument %q\n\n%s", fs.Arg(0), toonUsage)
		return 2
	}
	v, err := toon.DecodeJSON(bufio.NewReader(stdin))
	if err != nil {
		fmt.Fprintf(stderr, "qubly toon: invalid JSON on stdin: %v\n", err)
		return 1
	}
	out, err := toon.AppendEncode(nil, v, toon.Options{Delimiter: d, Indent: *indent})
	if err != nil {
		fmt.Fprintf(stderr, "qubly toon: %v\n", err)
		return 1
	}
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "qubly toon: %v\n", err)
		return 1
	}
	return 0
}

func parseDelimiter(s string) (byte, bool) {
	switch s {
	case ",", "comma":
		return toon.Comma, true
	case "|", "pipe":
		return toon.Pipe, true
	case "\t", `\t`, "tab":
		return toon.Tab, true
	}
	return 0, false
}
