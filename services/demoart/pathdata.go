package demoart

import (
	"regexp"
	"strconv"
	"strings"
)

// oksvg reads only the first parameter set of an arc command, so a circle
// written the way SVG optimizers write it ("a1 1 0 1 1-2 0 1 1 0 0 1 2 0",
// the second arc implicit) loses its second half. normalizePaths rewrites
// every path's data with one explicit command per parameter set and plain
// space-separated numbers, which every reader understands.

var pathDataAttr = regexp.MustCompile(`\sd="([^"]*)"`)

// paramCount is how many numbers each path command takes.
var paramCount = map[byte]int{
	'M': 2, 'L': 2, 'H': 1, 'V': 1, 'C': 6, 'S': 4, 'Q': 4, 'T': 2, 'A': 7, 'Z': 0,
}

func normalizePaths(svg []byte) []byte {
	return pathDataAttr.ReplaceAllFunc(svg, func(m []byte) []byte {
		d := pathDataAttr.FindSubmatch(m)[1]
		out, ok := normalizePathData(string(d))
		if !ok {
			return m // leave what we cannot read as it was
		}
		return []byte(` d="` + out + `"`)
	})
}

// normalizePathData rewrites SVG path data; ok is false on a syntax it does
// not know.
func normalizePathData(d string) (string, bool) {
	var b strings.Builder
	i := 0
	var cmd byte
	for {
		i = skipSeparators(d, i)
		if i >= len(d) {
			break
		}
		if c := d[i]; isCommand(c) {
			cmd = c
			i++
		} else if cmd == 0 {
			return "", false
		}
		upper := cmd &^ 0x20
		n, known := paramCount[upper]
		if !known {
			return "", false
		}
		b.WriteByte(cmd)
		for k := 0; k < n; k++ {
			i = skipSeparators(d, i)
			var num string
			if upper == 'A' && (k == 3 || k == 4) {
				// Flags are one digit and may touch the next number.
				if i >= len(d) || (d[i] != '0' && d[i] != '1') {
					return "", false
				}
				num, i = d[i:i+1], i+1
			} else {
				var ok bool
				if num, i, ok = readNumber(d, i); !ok {
					return "", false
				}
			}
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(num)
		}
		// After a moveto, further pairs are linetos.
		if upper == 'M' {
			cmd = 'L' | (cmd & 0x20)
		}
		if upper == 'Z' {
			cmd = 0
		}
	}
	return b.String(), true
}

func isCommand(c byte) bool {
	_, ok := paramCount[c&^0x20]
	return ok && (c|0x20) >= 'a' && (c|0x20) <= 'z'
}

func skipSeparators(d string, i int) int {
	for i < len(d) && (d[i] == ' ' || d[i] == ',' || d[i] == '\n' || d[i] == '\t' || d[i] == '\r') {
		i++
	}
	return i
}

// readNumber reads one SVG number at i: sign, digits, one dot, exponent.
func readNumber(d string, i int) (string, int, bool) {
	start := i
	if i < len(d) && (d[i] == '-' || d[i] == '+') {
		i++
	}
	digits, dot := 0, false
	for i < len(d) {
		c := d[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			goto exponent
		}
		i++
	}
exponent:
	if digits == 0 {
		return "", start, false
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		j := i + 1
		if j < len(d) && (d[j] == '-' || d[j] == '+') {
			j++
		}
		if j < len(d) && d[j] >= '0' && d[j] <= '9' {
			for j < len(d) && d[j] >= '0' && d[j] <= '9' {
				j++
			}
			i = j
		}
	}
	s := d[start:i]
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return "", start, false
	}
	return s, i, true
}
