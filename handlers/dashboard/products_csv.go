package dashboard

import (
	"bytes"
	"errors"
	"maps"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

const importPath = productsPath + "/import"

func (h *Products) exportCSV(c *fiber.Ctx) error {
	var buf bytes.Buffer
	if err := h.products.ExportCSV(c.UserContext(), BusinessID(c), &buf, web.Lang(c)); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="productos-`+Business(c).Slug+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

// importRowView is one translated problem of an import report.
type importRowView struct {
	Row     int
	Column  string
	Message string
}

// renderImport shows the import form: errs are the file field's problems
// (none, too big, unreadable), report the rows' problems.
func (h *Products) renderImport(c *fiber.Ctx, status int, errs map[string]string, report []importRowView, more int) error {
	data := fiber.Map{
		"Title": web.L(c).T("catalog.import.title"), "Report": report, "More": more, "Errors": errs,
		"Columns": services.CSVHeaders(web.Lang(c)), "MaxMB": services.MaxImportBytes >> 20, "MaxBytes": services.MaxImportBytes,
		"Scripts": []string{"js/upload.js"},
	}
	if c.Query("done") != "" {
		data["Done"] = fiber.Map{
			"Created": c.QueryInt("created"), "Updated": c.QueryInt("updated"), "Categories": c.QueryInt("categories"),
		}
	}
	return page(c, status, "dashboard/catalog_import", "products", data)
}

func (h *Products) importForm(c *fiber.Ctx) error {
	var errs map[string]string
	if web.UploadTooLarge(c) {
		errs = map[string]string{"file": web.L(c).T("catalog.import.too_big", "MaxMB", services.MaxImportBytes>>20)}
	}
	return h.renderImport(c, fiber.StatusOK, errs, nil, 0)
}

func (h *Products) importCSV(c *fiber.Ctx) error {
	l := web.L(c)
	fail := func(key string, args ...any) error {
		return h.renderImport(c, fiber.StatusBadRequest, map[string]string{"file": l.T(key, args...)}, nil, 0)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return fail("catalog.import.no_file")
	}
	if fh.Size > services.MaxImportBytes {
		return fail("catalog.import.too_big", "MaxMB", services.MaxImportBytes>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return fail("catalog.import.unreadable")
	}
	defer f.Close()
	res, err := h.products.ImportCSV(c.UserContext(), BusinessID(c), f)
	var ie *services.ImportError
	if errors.As(err, &ie) {
		report := make([]importRowView, len(ie.Rows))
		for i, r := range ie.Rows {
			args := r.Args
			if col, ok := args["Column"].(string); ok {
				args = maps.Clone(args)
				args["Column"] = services.CSVHeader(col, l.Lang())
			}
			report[i] = importRowView{Row: r.Row, Column: services.CSVHeader(r.Column, l.Lang()), Message: l.T(r.Key, args)}
		}
		return h.renderImport(c, fiber.StatusBadRequest, nil, report, ie.More)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "success", "catalog.import.done")
	return c.Redirect(importPath+"?done=1&created="+strconv.Itoa(res.Created)+"&updated="+strconv.Itoa(res.Updated)+
		"&categories="+strconv.Itoa(res.Categories), fiber.StatusSeeOther)
}
