package services

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/qubly/qubly/domain"
)

// CSV import limits.
const (
	MaxImportBytes = 2 << 20
	MaxImportRows  = 5000
	// maxImportErrors is how many row errors a report lists.
	maxImportErrors = 200
)

// CSVColumns are the catalog CSV columns, in export order.
var CSVColumns = []string{"slug", "name", "description", "price", "compare_at_price", "category", "active", "sold_out", "stock"}

// csvHeadersES are CSVColumns as a Spanish export names them; each is also
// an alias the import reads, so an exported file imports back unchanged.
var csvHeadersES = []string{"enlace", "nombre", "descripción", "precio", "precio anterior", "categoría", "activo", "agotado", "existencias"}

// CSVHeaders are the header cells of an export in lang ("es" or "en").
func CSVHeaders(lang string) []string {
	if lang == "en" {
		return CSVColumns
	}
	return csvHeadersES
}

// CSVHeader is column's header cell in lang; anything that is not one of
// CSVColumns is returned as is.
func CSVHeader(column, lang string) string {
	for i, c := range CSVColumns {
		if c == column {
			return CSVHeaders(lang)[i]
		}
	}
	return column
}

// csvAliases maps header names people type (Spanish, accents stripped) to columns.
var csvAliases = map[string]string{
	"slug": "slug", "enlace": "slug", "url": "slug",
	"name": "name", "nombre": "name", "producto": "name",
	"description": "description", "descripcion": "description",
	"price": "price", "precio": "price",
	"compare_at_price": "compare_at_price", "compare_at": "compare_at_price", "precio_antes": "compare_at_price",
	"precio_anterior": "compare_at_price", "precio_de_comparacion": "compare_at_price",
	"category": "category", "categoria": "category",
	"active": "active", "activo": "active", "visible": "active",
	"sold_out": "sold_out", "agotado": "sold_out",
	"stock": "stock", "existencias": "stock", "inventario": "stock",
}

// ImportRowError is one problem in an imported file. Row is the spreadsheet
// row (the header is row 1); 0 is the file as a whole. Key is an i18n ID.
type ImportRowError struct {
	Row    int
	Column string
	Key    string
	Args   map[string]any
}

// ImportError lists every problem found in an imported file; nothing was
// written. More counts problems beyond the listed ones.
type ImportError struct {
	Rows []ImportRowError
	More int
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("import: %d invalid rows", len(e.Rows)+e.More)
}

func (e *ImportError) add(row int, column, key string, args map[string]any) {
	if len(e.Rows) >= maxImportErrors {
		e.More++
		return
	}
	e.Rows = append(e.Rows, ImportRowError{Row: row, Column: column, Key: key, Args: args})
}

func fileError(key string, args map[string]any) *ImportError {
	e := &ImportError{}
	e.add(0, "", key, args)
	return e
}

// ImportResult counts what an import wrote.
type ImportResult struct {
	Created, Updated, Categories int
}

// formula marks cells a spreadsheet would run as a formula.
func formula(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// csvText guards text so a spreadsheet shows it instead of running it.
func csvText(s string) string {
	if formula(s) {
		return "'" + s
	}
	return s
}

// csvUntext undoes csvText.
func csvUntext(s string) string {
	if strings.HasPrefix(s, "'") && formula(s[1:]) {
		return s[1:]
	}
	return s
}

func csvBool(b bool, lang string) string {
	switch {
	case !b:
		return "no"
	case lang == "en":
		return "yes"
	}
	return "sí"
}

// parseBool reads yes/no in the ways a spreadsheet user writes them.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "verdadero", "sí", "si", "s", "yes", "y", "x":
		return true, true
	case "0", "false", "falso", "no", "n":
		return false, true
	}
	return false, false
}

// ExportCSV writes businessID's products as UTF-8 CSV with a BOM (so Excel
// shows accents), headers and yes/no in lang, prices in pesos ("25.50").
func (s *Products) ExportCSV(ctx context.Context, businessID int64, w io.Writer, lang string) error {
	cats, err := s.categories.store.ListCategories(ctx, businessID)
	if err != nil {
		return fmt.Errorf("export: list categories: %w", err)
	}
	names := make(map[int64]string, len(cats))
	for _, c := range cats {
		names[c.ID] = c.Name
	}
	ps, err := s.store.ListProducts(ctx, businessID)
	if err != nil {
		return fmt.Errorf("export: list products: %w", err)
	}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(CSVHeaders(lang)); err != nil {
		return err
	}
	for _, p := range ps {
		var compareAt, category, stock string
		if p.CompareAtCents != nil {
			compareAt = p.CompareAtCents.Input()
		}
		if p.CategoryID != nil {
			category = names[*p.CategoryID]
		}
		if p.Stock != nil {
			stock = strconv.Itoa(*p.Stock)
		}
		rec := []string{
			p.Slug, csvText(p.Name), csvText(p.Description), p.PriceCents.Input(), compareAt,
			csvText(category), csvBool(p.Active, lang), csvBool(p.SoldOut, lang), stock,
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// importRow is a validated row waiting to be written.
type importRow struct {
	product     domain.Product
	update      bool
	newCategory string // category to create first, by name
}

// readCSV decodes the file (UTF-8 with or without BOM, else Windows-1252 as
// Excel saves it) and splits it with the delimiter of its header line.
func readCSV(r io.Reader) ([][]string, *ImportError) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, fileError("catalog.import.unreadable", nil)
	}
	if len(data) > MaxImportBytes {
		return nil, fileError("catalog.import.too_big", map[string]any{"MaxMB": MaxImportBytes >> 20})
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		if data, err = charmap.Windows1252.NewDecoder().Bytes(data); err != nil {
			return nil, fileError("catalog.import.unreadable", nil)
		}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fileError("catalog.import.empty", nil)
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	records, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		line := 0
		if errors.As(err, &pe) {
			line = pe.Line
		}
		return nil, fileError("catalog.import.parse", map[string]any{"Line": line})
	}
	return records, nil
}

// columnName normalizes a header cell: "Categoría" → "categoria".
func columnName(s string) string {
	return strings.ReplaceAll(domain.Slugify(s, 0), "-", "_")
}

// ImportCSV creates or updates businessID's products from a CSV file, by
// slug. Categories are matched by name (ignoring case) and created when
// missing. Every row is validated first; when any is invalid, nothing is
// written and the error is an *ImportError listing the rows. A column left
// out of the file leaves that field unchanged on updated products; an empty
// slug creates a new product with a slug made from its name.
func (s *Products) ImportCSV(ctx context.Context, businessID int64, r io.Reader) (*ImportResult, error) {
	records, ierr := readCSV(r)
	if ierr != nil {
		return nil, ierr
	}
	ierr = &ImportError{}
	cols := map[string]int{}
	for i, h := range records[0] {
		name, ok := csvAliases[columnName(h)]
		if !ok {
			continue // unknown columns are ignored
		}
		if _, dup := cols[name]; dup {
			ierr.add(1, h, "catalog.import.duplicate_column", map[string]any{"Column": h})
			continue
		}
		cols[name] = i
	}
	for _, req := range []string{"name", "price"} {
		if _, ok := cols[req]; !ok {
			ierr.add(1, req, "catalog.import.missing_column", map[string]any{"Column": req})
		}
	}
	if len(ierr.Rows) > 0 {
		return nil, ierr
	}
	if len(records)-1 > MaxImportRows {
		return nil, fileError("catalog.import.too_many_rows", map[string]any{"Max": MaxImportRows})
	}

	existing, err := s.store.ListProducts(ctx, businessID)
	if err != nil {
		return nil, fmt.Errorf("import: list products: %w", err)
	}
	bySlug := make(map[string]*domain.Product, len(existing))
	for i := range existing {
		bySlug[existing[i].Slug] = &existing[i]
	}
	cats, err := s.categories.store.ListCategories(ctx, businessID)
	if err != nil {
		return nil, fmt.Errorf("import: list categories: %w", err)
	}
	catByName := make(map[string]int64, len(cats))
	for _, c := range cats {
		catByName[strings.ToLower(strings.TrimSpace(c.Name))] = c.ID
	}

	seen := map[string]int{} // slug → row that claimed it
	var rows []importRow
	for i, rec := range records[1:] {
		rowNum := i + 2
		cell := func(col string) (string, bool) {
			idx, ok := cols[col]
			if !ok {
				return "", false
			}
			if idx >= len(rec) {
				return "", true
			}
			return strings.TrimSpace(rec[idx]), true
		}
		blank := true
		for _, c := range rec {
			if strings.TrimSpace(c) != "" {
				blank = false
				break
			}
		}
		if blank {
			continue
		}

		row := importRow{}
		var rowErrs []ImportRowError
		in := ProductInput{Active: true}
		slug, _ := cell("slug")
		slug = strings.ToLower(slug)
		cur := bySlug[slug]
		if slug != "" && cur != nil {
			row.update = true
			row.product = *cur
			in = ProductInputFrom(cur)
		}
		in.Slug = slug
		if v, ok := cell("name"); ok {
			in.Name = csvUntext(v)
		}
		if v, ok := cell("description"); ok {
			in.Description = csvUntext(v)
		}
		if v, ok := cell("price"); ok {
			in.Price = v
		}
		if v, ok := cell("compare_at_price"); ok {
			in.CompareAt = v
		}
		if v, ok := cell("stock"); ok {
			in.Stock = v
		}
		for _, b := range []struct {
			col string
			dst *bool
		}{{"active", &in.Active}, {"sold_out", &in.SoldOut}} {
			v, ok := cell(b.col)
			if !ok || v == "" {
				continue
			}
			val, valid := parseBool(v)
			if !valid {
				rowErrs = append(rowErrs, ImportRowError{Row: rowNum, Column: b.col, Key: "catalog.validation.bool"})
				continue
			}
			*b.dst = val
		}

		v := &domain.ValidationError{}
		auto := parseProduct(in, &row.product, v)
		p := &row.product

		if name, ok := cell("category"); ok {
			name = domain.CleanLine(csvUntext(name))
			p.CategoryID = nil
			if name != "" {
				if id, found := catByName[strings.ToLower(name)]; found {
					p.CategoryID = &id
				} else if n := utf8.RuneCountInString(name); n > CategoryNameMax {
					v.Add("category_id", "validation.too_long", map[string]any{"Max": CategoryNameMax})
				} else {
					row.newCategory = name
				}
			}
		}

		if !v.Has("slug") && p.Slug != "" {
			if auto {
				p.Slug, err = uniqueSlug(p.Slug, ProductSlugMax, func(s string) (bool, error) {
					_, inStore := bySlug[s]
					_, inFile := seen[s]
					return inStore || inFile, nil
				})
				if err != nil {
					return nil, err
				}
			}
			if first, dup := seen[p.Slug]; dup {
				v.Add("slug", "catalog.import.duplicate_slug", map[string]any{"Row": first})
			} else {
				seen[p.Slug] = rowNum
			}
		}
		if row.update && p.PriceCents != cur.PriceCents {
			if err := s.checkPriceCoversOptions(ctx, businessID, p, v); err != nil {
				return nil, err
			}
		}
		for _, f := range v.Fields {
			col := f.Field
			if col == "category_id" {
				col = "category"
			}
			rowErrs = append(rowErrs, ImportRowError{Row: rowNum, Column: col, Key: f.Key, Args: f.Args})
		}
		// Report a row's problems left to right, as the spreadsheet shows them.
		sort.SliceStable(rowErrs, func(i, j int) bool { return cols[rowErrs[i].Column] < cols[rowErrs[j].Column] })
		for _, re := range rowErrs {
			ierr.add(re.Row, re.Column, re.Key, re.Args)
		}
		rows = append(rows, row)
	}
	if len(ierr.Rows) > 0 {
		return nil, ierr
	}
	if len(rows) == 0 {
		return nil, fileError("catalog.import.no_rows", nil)
	}

	res := &ImportResult{}
	err = s.write(ctx, businessID, func(ctx context.Context) error {
		created := map[string]int64{}
		now := s.clock()
		pos, err := s.store.NextProductPosition(ctx, businessID)
		if err != nil {
			return err
		}
		for i := range rows {
			row := &rows[i]
			if row.newCategory != "" {
				key := strings.ToLower(row.newCategory)
				id, ok := created[key]
				if !ok {
					c := &domain.Category{Name: row.newCategory}
					if err := s.categories.createCategory(ctx, businessID, c); err != nil {
						return fmt.Errorf("create category %q: %w", row.newCategory, err)
					}
					id, created[key] = c.ID, c.ID
					res.Categories++
				}
				row.product.CategoryID = &id
			}
			row.product.UpdatedAt = now
			if row.update {
				if err := s.store.UpdateProduct(ctx, businessID, &row.product); err != nil {
					return fmt.Errorf("update product %q: %w", row.product.Slug, err)
				}
				res.Updated++
				continue
			}
			row.product.Position, row.product.CreatedAt = pos, now
			pos++
			if err := s.store.CreateProduct(ctx, businessID, &row.product); err != nil {
				return fmt.Errorf("create product %q: %w", row.product.Slug, err)
			}
			res.Created++
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	return res, nil
}
