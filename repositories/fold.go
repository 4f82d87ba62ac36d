package repositories

import (
	"database/sql/driver"
	"fmt"
	"strings"

	sqlite "github.com/glebarez/go-sqlite"
	"gorm.io/gorm"

	"github.com/qubly/qubly/domain"
)

// foldFrom and foldTo are domain.Fold as a character map, for PostgreSQL's
// translate(): no extension (unaccent) is needed, and the database's locale
// does not matter.
var foldFrom, foldTo = domain.FoldTable()

// SQLite calls domain.Fold itself through the function qubly_fold,
// registered once for every connection the driver opens.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("qubly_fold", 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case nil:
				return nil, nil
			case string:
				return domain.Fold(v), nil
			case []byte:
				return domain.Fold(string(v)), nil
			default:
				return domain.Fold(fmt.Sprint(v)), nil
			}
		})
}

// foldedContains narrows q to rows where one of cols, folded by
// domain.Fold, contains text folded the same way. LIKE wildcards in text
// match literally. The same rule runs on SQLite and PostgreSQL, so "perez"
// finds "Pérez" and "PÉREZ" finds "perez" on both.
func foldedContains(db *gorm.DB, text string, cols ...string) (string, []any) {
	pattern := "%" + escapeLike(domain.Fold(text)) + "%"
	conds := make([]string, len(cols))
	var args []any
	for i, col := range cols {
		if db.Dialector.Name() == "postgres" {
			conds[i] = "translate(" + col + ", ?, ?) LIKE ? ESCAPE '\\'"
			args = append(args, foldFrom, foldTo, pattern)
		} else {
			conds[i] = "qubly_fold(" + col + ") LIKE ? ESCAPE '\\'"
			args = append(args, pattern)
		}
	}
	return strings.Join(conds, " OR "), args
}

// escapeLike escapes LIKE wildcards so a search matches them literally.
func escapeLike(s string) string { return likeEscaper.Replace(s) }

// likeEscaper escapes LIKE wildcards (the queries say ESCAPE '\').
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)
