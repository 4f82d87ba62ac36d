// Command codestats lists the production Go files over a line budget and the
// functions over a length budget, for the code-shape goals of the README
// ("files by feature, ≤ ~400 lines; functions ≤ ~80").
//
// Usage: go run ./scripts/codestats [-file 400] [-func 80] [dir]
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	maxFile := flag.Int("file", 400, "report production files with more lines than this")
	maxFunc := flag.Int("func", 80, "report functions with more lines than this")
	flag.Parse()
	root := "."
	if flag.NArg() > 0 {
		root = flag.Arg(0)
	}
	type row struct {
		name  string
		lines int
	}
	var files, funcs []row
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", ".git", "vendor", "migrations":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if n := strings.Count(string(src), "\n"); n > *maxFile {
			files = append(files, row{path, n})
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
			if n > *maxFunc {
				name := fn.Name.Name
				if fn.Recv != nil && len(fn.Recv.List) > 0 {
					t := fn.Recv.List[0].Type
					if s, ok := t.(*ast.StarExpr); ok {
						t = s.X
					}
					if id, ok := t.(*ast.Ident); ok {
						name = id.Name + "." + name
					}
				}
				funcs = append(funcs, row{path + ": " + name, n})
			}
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, rows := range [][]row{files, funcs} {
		sort.Slice(rows, func(i, j int) bool { return rows[i].lines > rows[j].lines })
	}
	fmt.Printf("production files over %d lines (migrations excluded): %d\n", *maxFile, len(files))
	for _, r := range files {
		fmt.Printf("  %5d  %s\n", r.lines, r.name)
	}
	fmt.Printf("functions over %d lines: %d\n", *maxFunc, len(funcs))
	for _, r := range funcs {
		fmt.Printf("  %5d  %s\n", r.lines, r.name)
	}
}
