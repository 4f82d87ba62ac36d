package services

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
	"golang.org/x/text/encoding/charmap"
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
	cats, err := s.categories.repo.List(ctx, businessID)
	if err != nil {
		return fmt.Errorf("export: list categories: %w", err)
	}
	names := make(map[int64]string, len(cats))
	for _, c := range cats {
		names[c.ID] = c.Name
	}
	ps, err := s.repo.List(ctx, businessID)
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
