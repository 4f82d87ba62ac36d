package testkit

import (
	"strings"
	"testing"
)

// logTB records what Logger writes through Log and runs cleanups on demand.
type logTB struct {
	testing.TB
	lines    []string
	cleanups []func()
}

func (r *logTB) Log(args ...any) {
	for _, a := range args {
		r.lines = append(r.lines, a.(string))
	}
}

func (r *logTB) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

func TestLoggerWritesToTheTestLogWithQublyTestLog(t *testing.T) {
	t.Setenv("QUBLY_TEST_LOG", "1")
	tb := &logTB{TB: t}
	log := Logger(tb)
	log.Debug("pedido creado", "code", "ABC123")
	if len(tb.lines) != 1 || !strings.Contains(tb.lines[0], "level=DEBUG") ||
		!strings.Contains(tb.lines[0], `msg="pedido creado" code=ABC123`) || strings.HasSuffix(tb.lines[0], "\n") {
		t.Fatalf("logged %q", tb.lines)
	}
	for _, f := range tb.cleanups {
		f()
	}
	log.Info("after the test")
	if len(tb.lines) != 1 {
		t.Fatalf("logged after the test ended: %q", tb.lines)
	}
}

func TestLoggerDiscardsWithoutQublyTestLog(t *testing.T) {
	t.Setenv("QUBLY_TEST_LOG", "")
	tb := &logTB{TB: t}
	Logger(tb).Error("nadie lo ve")
	if len(tb.lines) != 0 || Logger(tb).Enabled(t.Context(), 12) {
		t.Fatalf("logged %q", tb.lines)
	}
}
