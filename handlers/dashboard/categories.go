package dashboard

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

const categoriesPath = "/dashboard/categories"

// Categories serves the store's categories at /dashboard/categories:
// create, rename, hide, delete and order them.
type Categories struct{ categories *services.Categories }

// NewCategories returns the categories handler.
func NewCategories(categories *services.Categories) *Categories {
	return &Categories{categories: categories}
}

// Register mounts the routes on r.
func (h *Categories) Register(r fiber.Router) {
	r.Get("/categories", h.list)
	r.Post("/categories", h.create)
	r.Post("/categories/reorder", h.reorder)
	r.Post("/categories/:categoryID", h.update)
	r.Post("/categories/:categoryID/delete", h.delete)
	r.Post("/categories/:categoryID/move", h.move)
}

// catalogForm is what a re-rendered form shows: which form failed (Target),
// its typed values and its errors.
type catalogForm struct {
	Target string
	Values map[string]string
	Errors map[string]string
}

// For returns the state when target is the failed form, else nil.
func (f *catalogForm) For(target string) *catalogForm {
	if f == nil || f.Target != target {
		return nil
	}
	return f
}

// Err is the error message of field, or "".
func (f *catalogForm) Err(field string) string {
	if f == nil {
		return ""
	}
	return f.Errors[field]
}

// Val is the typed value of field, or def when the form did not fail.
func (f *catalogForm) Val(field, def string) string {
	if f == nil {
		return def
	}
	return f.Values[field]
}

func (h *Categories) list(c *fiber.Ctx) error {
	return h.render(c, fiber.StatusOK, nil)
}

func (h *Categories) render(c *fiber.Ctx, status int, form *catalogForm) error {
	rows, err := h.categories.CategoryRows(c.UserContext(), BusinessID(c))
	if err != nil {
		return err
	}
	data := fiber.Map{
		"Title": web.L(c).T("catalog.categories.title"), "Rows": rows, "Last": len(rows) - 1, "Form": form,
		"Scripts": []string{"js/sortable.js"},
	}
	if form != nil {
		data["Errors"] = form.Errors
	}
	return page(c, status, "dashboard/categories", "categories", data)
}

func (h *Categories) create(c *fiber.Ctx) error {
	_, err := h.categories.CreateCategory(c.UserContext(), BusinessID(c), c.FormValue("name"))
	if errs := web.FormErrors(c, err); errs != nil {
		return h.render(c, fiber.StatusBadRequest, &catalogForm{
			Target: "new", Values: map[string]string{"name": c.FormValue("name")}, Errors: errs,
		})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "success", "dash.saved")
	return c.Redirect(categoriesPath, fiber.StatusSeeOther)
}

func (h *Categories) update(c *fiber.Ctx) error {
	id, err := paramID(c, "categoryID")
	if err != nil {
		return err
	}
	hidden := catalogBool(c, "hidden")
	err = h.categories.UpdateCategory(c.UserContext(), BusinessID(c), id, c.FormValue("name"), hidden)
	if errs := web.FormErrors(c, err); errs != nil {
		vals := map[string]string{"name": c.FormValue("name")}
		if hidden {
			vals["hidden"] = "on"
		}
		return h.render(c, fiber.StatusBadRequest, &catalogForm{
			Target: "cat-" + strconv.FormatInt(id, 10), Values: vals, Errors: errs,
		})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "success", "dash.saved")
	return c.Redirect(categoriesPath, fiber.StatusSeeOther)
}

func (h *Categories) delete(c *fiber.Ctx) error {
	id, err := paramID(c, "categoryID")
	if err != nil {
		return err
	}
	if err := h.categories.DeleteCategory(c.UserContext(), BusinessID(c), id); err != nil {
		return err
	}
	web.SetFlash(c, "success", "catalog.categories.deleted")
	return c.Redirect(categoriesPath, fiber.StatusSeeOther)
}

func (h *Categories) move(c *fiber.Ctx) error {
	id, err := paramID(c, "categoryID")
	if err != nil {
		return err
	}
	if err := h.categories.MoveCategory(c.UserContext(), BusinessID(c), id, c.FormValue("dir")); err != nil {
		return err
	}
	return c.Redirect(categoriesPath+"#cat-"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}

func (h *Categories) reorder(c *fiber.Ctx) error {
	ids, err := catalogIDs(c)
	if err != nil {
		return err
	}
	if err := h.categories.ReorderCategories(c.UserContext(), BusinessID(c), ids); err != nil {
		return err
	}
	return catalogReordered(c, categoriesPath)
}

// catalogBool reads a checkbox.
func catalogBool(c *fiber.Ctx, key string) bool {
	v := c.FormValue(key)
	return v == "on" || v == "1" || v == "true"
}

// catalogIDs reads the IDs posted as ids (see web.FormIDs).
func catalogIDs(c *fiber.Ctx) ([]int64, error) { return web.FormIDs(c, "ids") }

// catalogReordered answers a saved reorder: 204 to the script, a redirect to a form.
func catalogReordered(c *fiber.Ctx, fallback string) error {
	if c.Get(web.CSRFHeader) != "" || strings.Contains(c.Get(fiber.HeaderAccept), fiber.MIMEApplicationJSON) {
		return c.SendStatus(fiber.StatusNoContent)
	}
	web.SetFlash(c, "success", "catalog.order.saved")
	return back(c, fallback)
}
