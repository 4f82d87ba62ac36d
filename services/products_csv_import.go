package services

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/qubly/qubly/domain"
)

// CSV import limits.
const (
	MaxImportBytes = 2 << 20
	MaxImportRows  = 5000
	// maxImportErrors is how many row errors a report lists.
	maxImportErrors = 200
)

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

// importRow is a validated row waiting to be written.
type importRow struct {
	product     domain.Product
	update      bool
	newCategory string // category to create first, by name
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
	cols, ierr := importColumns(records)
	if ierr != nil {
		return nil, ierr
	}
	imp, err := s.newImport(ctx, businessID, cols)
	if err != nil {
		return nil, err
	}
	for i, rec := range records[1:] {
		if err := imp.row(ctx, s, i+2, rec); err != nil {
			return nil, err
		}
	}
	if len(imp.errs.Rows) > 0 {
		return nil, imp.errs
	}
	if len(imp.rows) == 0 {
		return nil, fileError("catalog.import.no_rows", nil)
	}
	res, err := s.writeImport(ctx, businessID, imp.rows)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	return res, nil
}

// importColumns maps each known column of the header row to its index and
// checks the file's shape: no column twice, name and price present, not
// too many rows.
func importColumns(records [][]string) (map[string]int, *ImportError) {
	ierr := &ImportError{}
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
	return cols, nil
}

// csvImport is an import being validated: the store's products and
// categories as they are, the slugs rows have claimed, the valid rows and
// the problems found so far.
type csvImport struct {
	businessID int64
	cols       map[string]int
	bySlug     map[string]*domain.Product
	catByName  map[string]int64 // lower-cased name → ID
	seen       map[string]int   // slug → row that claimed it
	rows       []importRow
	errs       *ImportError
}

func (s *Products) newImport(ctx context.Context, businessID int64, cols map[string]int) (*csvImport, error) {
	existing, err := s.repo.List(ctx, businessID)
	if err != nil {
		return nil, fmt.Errorf("import: list products: %w", err)
	}
	imp := &csvImport{
		businessID: businessID, cols: cols, bySlug: make(map[string]*domain.Product, len(existing)),
		seen: map[string]int{}, errs: &ImportError{},
	}
	for i := range existing {
		imp.bySlug[existing[i].Slug] = &existing[i]
	}
	cats, err := s.categories.repo.List(ctx, businessID)
	if err != nil {
		return nil, fmt.Errorf("import: list categories: %w", err)
	}
	imp.catByName = make(map[string]int64, len(cats))
	for _, c := range cats {
		imp.catByName[strings.ToLower(strings.TrimSpace(c.Name))] = c.ID
	}
	return imp, nil
}

// csvRow reads the cells of one record by column; ok is false when the file
// has no such column.
type csvRow struct {
	cols map[string]int
	rec  []string
}

func (r csvRow) cell(col string) (v string, ok bool) {
	idx, ok := r.cols[col]
	if !ok {
		return "", false
	}
	if idx >= len(r.rec) {
		return "", true
	}
	return strings.TrimSpace(r.rec[idx]), true
}

func (r csvRow) blank() bool {
	for _, c := range r.rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// row validates record rec, spreadsheet row rowNum, with the same rules as
// the product form, and keeps it or its problems. Only a failure to read
// the database is returned.
func (imp *csvImport) row(ctx context.Context, s *Products, rowNum int, rec []string) error {
	r := csvRow{cols: imp.cols, rec: rec}
	if r.blank() {
		return nil
	}
	row := importRow{}
	slug, _ := r.cell("slug")
	slug = strings.ToLower(slug)
	cur := imp.bySlug[slug]
	in := ProductInput{Active: true}
	if slug != "" && cur != nil {
		row.update, row.product, in = true, *cur, ProductInputFrom(cur)
	}
	in.Slug = slug
	rowErrs := importInput(r, rowNum, &in)

	v := &domain.ValidationError{}
	auto := parseProduct(in, &row.product, v)
	imp.category(r, &row, v)
	if err := imp.slug(rowNum, &row.product, auto, v); err != nil {
		return err
	}
	if row.update && row.product.PriceCents != cur.PriceCents {
		if err := s.checkPriceCoversOptions(ctx, imp.businessID, &row.product, v); err != nil {
			return err
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
	sort.SliceStable(rowErrs, func(i, j int) bool { return imp.cols[rowErrs[i].Column] < imp.cols[rowErrs[j].Column] })
	for _, re := range rowErrs {
		imp.errs.add(re.Row, re.Column, re.Key, re.Args)
	}
	imp.rows = append(imp.rows, row)
	return nil
}

// importInput copies the row's cells over in (the stored product's values
// for an update) and returns the yes/no cells it cannot read.
func importInput(r csvRow, rowNum int, in *ProductInput) []ImportRowError {
	if v, ok := r.cell("name"); ok {
		in.Name = csvUntext(v)
	}
	if v, ok := r.cell("description"); ok {
		in.Description = csvUntext(v)
	}
	if v, ok := r.cell("price"); ok {
		in.Price = v
	}
	if v, ok := r.cell("compare_at_price"); ok {
		in.CompareAt = v
	}
	if v, ok := r.cell("stock"); ok {
		in.Stock = v
	}
	var errs []ImportRowError
	for _, b := range []struct {
		col string
		dst *bool
	}{{"active", &in.Active}, {"sold_out", &in.SoldOut}} {
		v, ok := r.cell(b.col)
		if !ok || v == "" {
			continue
		}
		val, valid := parseBool(v)
		if !valid {
			errs = append(errs, ImportRowError{Row: rowNum, Column: b.col, Key: "catalog.validation.bool"})
			continue
		}
		*b.dst = val
	}
	return errs
}

// category sets the row's category from its name: an existing one, or one
// to create when the rows are written.
func (imp *csvImport) category(r csvRow, row *importRow, v *domain.ValidationError) {
	name, ok := r.cell("category")
	if !ok {
		return
	}
	name = domain.CleanLine(csvUntext(name))
	row.product.CategoryID = nil
	if name == "" {
		return
	}
	if id, found := imp.catByName[strings.ToLower(name)]; found {
		row.product.CategoryID = &id
	} else if v.MaxLen("category_id", name, domain.CategoryNameMax) {
		row.newCategory = name
	}
}

// slug makes a derived slug free in the store and the file, and refuses a
// slug an earlier row of the file claimed.
func (imp *csvImport) slug(rowNum int, p *domain.Product, auto bool, v *domain.ValidationError) error {
	if v.Has("slug") || p.Slug == "" {
		return nil
	}
	if auto {
		slug, err := uniqueSlug(p.Slug, domain.ProductSlugMax, func(s string) (bool, error) {
			_, inStore := imp.bySlug[s]
			_, inFile := imp.seen[s]
			return inStore || inFile, nil
		})
		if err != nil {
			return err
		}
		p.Slug = slug
	}
	if first, dup := imp.seen[p.Slug]; dup {
		v.Add("slug", "catalog.import.duplicate_slug", map[string]any{"Row": first})
	} else {
		imp.seen[p.Slug] = rowNum
	}
	return nil
}

// writeImport creates the new categories and saves the rows in one
// transaction; new products go at the end of the list, in file order.
func (s *Products) writeImport(ctx context.Context, businessID int64, rows []importRow) (*ImportResult, error) {
	res := &ImportResult{}
	err := s.write(ctx, businessID, func(ctx context.Context) error {
		created := map[string]int64{}
		now := s.clock()
		pos, err := s.repo.NextPosition(ctx, businessID)
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
				if err := s.repo.Update(ctx, businessID, &row.product); err != nil {
					return fmt.Errorf("update product %q: %w", row.product.Slug, err)
				}
				res.Updated++
				continue
			}
			row.product.Position, row.product.CreatedAt = pos, now
			pos++
			if err := s.repo.Create(ctx, businessID, &row.product); err != nil {
				return fmt.Errorf("create product %q: %w", row.product.Slug, err)
			}
			res.Created++
		}
		return nil
	})
	return res, err
}
