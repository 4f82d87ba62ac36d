package dashboard

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// The product form: new, edit (with its option groups), save and delete.

// productForm reads the product form.
func productForm(c *fiber.Ctx) services.ProductInput {
	return services.ProductInput{
		Name: c.FormValue("name"), Slug: c.FormValue("slug"), Description: c.FormValue("description"),
		Price: c.FormValue("price"), CompareAt: c.FormValue("compare_at_price"), CategoryID: c.FormValue("category_id"),
		Active: catalogBool(c, "active"), SoldOut: catalogBool(c, "sold_out"), Stock: c.FormValue("stock"),
	}
}

// renderForm shows the product form: new when p is nil, else p's edit page
// with its options. opt is the option form that failed, if any.
func (h *Products) renderForm(c *fiber.Ctx, status int, p *domain.Product, in services.ProductInput, errs map[string]string, opt *catalogForm) error {
	cats, err := h.categories.Categories(c.UserContext(), BusinessID(c))
	if err != nil {
		return err
	}
	l := web.L(c)
	title := l.T("catalog.product.new")
	if p != nil {
		title = p.Name
	}
	data := fiber.Map{
		"Title": title, "Product": p, "Form": in, "Errors": errs, "Categories": cats, "Opt": opt,
		"Action": productsPath, "Scripts": []string{"js/sortable.js"},
	}
	if p != nil {
		data["Action"] = productEditPath(p.ID)
		data["Groups"] = groupViews(p.Options)
	}
	return page(c, status, "dashboard/product_form", "products", data)
}

// groupView is an option group as the editor shows it.
type groupView struct {
	domain.OptionGroup
	Complete bool
	// Need is how many choices the group needs to be complete.
	Need int
	Path string
}

func groupViews(gs []domain.OptionGroup) []groupView {
	out := make([]groupView, len(gs))
	for i := range gs {
		out[i] = groupView{
			OptionGroup: gs[i], Complete: services.GroupComplete(&gs[i]), Need: max(gs[i].MinSelect, 1),
			Path: productEditPath(gs[i].ProductID) + "/options/" + strconv.FormatInt(gs[i].ID, 10),
		}
	}
	return out
}

func (h *Products) newForm(c *fiber.Ctx) error {
	in := services.ProductInput{Active: true, CategoryID: c.Query("category")}
	return h.renderForm(c, fiber.StatusOK, nil, in, nil, nil)
}

func (h *Products) create(c *fiber.Ctx) error {
	in := productForm(c)
	p, err := h.products.CreateProduct(c.UserContext(), BusinessID(c), in)
	if errs := web.FormErrors(c, err); errs != nil {
		return h.renderForm(c, fiber.StatusBadRequest, nil, in, errs, nil)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "success", "dash.saved")
	return c.Redirect(productEditPath(p.ID), fiber.StatusSeeOther)
}

func (h *Products) edit(c *fiber.Ctx) error {
	id, err := paramID(c, "productID")
	if err != nil {
		return err
	}
	p, err := h.products.Product(c.UserContext(), BusinessID(c), id)
	if err != nil {
		return err
	}
	return h.renderForm(c, fiber.StatusOK, p, services.ProductInputFrom(p), nil, nil)
}

func (h *Products) update(c *fiber.Ctx) error {
	id, err := paramID(c, "productID")
	if err != nil {
		return err
	}
	ctx, biz := c.UserContext(), BusinessID(c)
	in := productForm(c)
	_, err = h.products.UpdateProduct(ctx, biz, id, in)
	if errs := web.FormErrors(c, err); errs != nil {
		p, err := h.products.Product(ctx, biz, id)
		if err != nil {
			return err
		}
		return h.renderForm(c, fiber.StatusBadRequest, p, in, errs, nil)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "success", "dash.saved")
	return c.Redirect(productEditPath(id), fiber.StatusSeeOther)
}

func (h *Products) delete(c *fiber.Ctx) error {
	id, err := paramID(c, "productID")
	if err != nil {
		return err
	}
	if err := h.products.DeleteProduct(c.UserContext(), BusinessID(c), id); err != nil {
		return err
	}
	web.SetFlashCount(c, "success", "catalog.products.deleted", 1)
	return c.Redirect(productsPath, fiber.StatusSeeOther)
}
