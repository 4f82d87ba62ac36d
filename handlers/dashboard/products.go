package dashboard

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

const productsPath = "/dashboard/products"

// Products serves the store's products at /dashboard/products: the list
// with search, filters, bulk actions and ordering; the product form with its
// option groups; and CSV export and import.
type Products struct {
	products   *services.Products
	options    *services.ProductOptions
	categories *services.Categories
}

// NewProducts returns the products handler.
func NewProducts(products *services.Products, options *services.ProductOptions, categories *services.Categories) *Products {
	return &Products{products: products, options: options, categories: categories}
}

// Register mounts the routes on r. Fixed paths come before :productID.
func (h *Products) Register(r fiber.Router) {
	r.Get("/products", h.list)
	r.Post("/products", h.create)
	r.Get("/products/new", h.newForm)
	r.Get("/products/export.csv", h.exportCSV)
	r.Get("/products/import", h.importForm)
	r.Post("/products/import", h.importCSV)
	r.Post("/products/reorder", h.reorder)
	r.Post("/products/bulk", h.bulk)
	r.Get("/products/:productID", h.edit)
	r.Post("/products/:productID", h.update)
	r.Post("/products/:productID/delete", h.delete)
	r.Post("/products/:productID/move", h.move)
	r.Post("/products/:productID/options", h.addGroup)
	r.Post("/products/:productID/options/:groupID", h.updateGroup)
	r.Post("/products/:productID/options/:groupID/delete", h.deleteGroup)
	r.Post("/products/:productID/options/:groupID/choices", h.addChoice)
	r.Post("/products/:productID/options/:groupID/choices/:choiceID", h.updateChoice)
	r.Post("/products/:productID/options/:groupID/choices/:choiceID/delete", h.deleteChoice)
}

func productEditPath(id int64) string { return productsPath + "/" + strconv.FormatInt(id, 10) }

// productRow is a product as the list shows it.
type productRow struct {
	domain.Product
	Category  string
	Available bool
	// Out is true when the product is marked sold out or has no units left.
	Out bool
	// First and Last are the ends of the store's whole order.
	First, Last bool
}

// productsPageLink is one link of the list's pagination.
type productsPageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

// productsListURL is the product list with q's search and filters on page.
func productsListURL(q services.ProductQuery, page int) string {
	v := url.Values{}
	if q.Q != "" {
		v.Set("q", q.Q)
	}
	if q.Category != "" {
		v.Set("category", q.Category)
	}
	if q.Status != "" {
		v.Set("status", string(q.Status))
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return productsPath
	}
	return productsPath + "?" + v.Encode()
}

// productsPages numbers the pages around the current one, with gaps.
func productsPages(q services.ProductQuery, cur, pages int) []productsPageLink {
	var out []productsPageLink
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= cur-2 && n <= cur+2) {
			out = append(out, productsPageLink{N: n, URL: productsListURL(q, n), Current: n == cur})
		} else if len(out) > 0 && !out[len(out)-1].Gap {
			out = append(out, productsPageLink{Gap: true})
		}
	}
	return out
}

func (h *Products) list(c *fiber.Ctx) error {
	ctx, biz := c.UserContext(), BusinessID(c)
	q := services.ProductQuery{
		Q: c.Query("q"), Category: c.Query("category"), Status: domain.ProductStatus(c.Query("status")),
		Page: c.QueryInt("page", 1),
	}
	res, err := h.products.SearchProducts(ctx, biz, q)
	if err != nil {
		return err
	}
	cats, err := h.categories.Categories(ctx, biz)
	if err != nil {
		return err
	}
	names := make(map[int64]string, len(cats))
	for _, cat := range cats {
		names[cat.ID] = cat.Name
	}
	rows := make([]productRow, len(res.Products))
	for i, p := range res.Products {
		row := productRow{
			Product: p, Available: p.Available(), Out: !p.InStock(),
			First: res.Page == 1 && i == 0, Last: res.Page == res.Pages && i == len(res.Products)-1,
		}
		if p.CategoryID != nil {
			row.Category = names[*p.CategoryID]
		}
		rows[i] = row
	}
	data := fiber.Map{
		"Title": web.L(c).T("catalog.products.title"), "Query": q, "Result": res, "Rows": rows,
		"Categories": cats, "Filtered": q.Filtered(), "Pages": productsPages(q, res.Page, res.Pages),
		"Here": productsListURL(q, res.Page), "Scripts": []string{"js/sortable.js"},
	}
	if res.Page > 1 {
		data["PrevURL"] = productsListURL(q, res.Page-1)
	}
	if res.Page < res.Pages {
		data["NextURL"] = productsListURL(q, res.Page+1)
	}
	return page(c, fiber.StatusOK, "dashboard/products", "products", data)
}

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

func (h *Products) move(c *fiber.Ctx) error {
	id, err := paramID(c, "productID")
	if err != nil {
		return err
	}
	if err := h.products.MoveProduct(c.UserContext(), BusinessID(c), id, c.FormValue("dir")); err != nil {
		return err
	}
	return back(c, productsPath)
}

func (h *Products) reorder(c *fiber.Ctx) error {
	ids, err := catalogIDs(c)
	if err != nil {
		return err
	}
	if err := h.products.ReorderProducts(c.UserContext(), BusinessID(c), ids); err != nil {
		return err
	}
	return catalogReordered(c, productsPath)
}

// ---- options ----

// optionIDs reads :productID and, when named, :groupID and :choiceID.
func optionIDs(c *fiber.Ctx, names ...string) ([]int64, error) {
	out := make([]int64, len(names))
	for i, n := range names {
		id, err := paramID(c, n)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

// optionDone answers an option form: back to the product's options on
// success, the edit page with the failed form's errors on bad input.
func (h *Products) optionDone(c *fiber.Ctx, productID int64, target string, fields []string, err error) error {
	if errs := web.FormErrors(c, err); errs != nil {
		p, perr := h.products.Product(c.UserContext(), BusinessID(c), productID)
		if perr != nil {
			return perr
		}
		vals := map[string]string{}
		for _, f := range fields {
			vals[f] = c.FormValue(f)
		}
		return h.renderForm(c, fiber.StatusBadRequest, p, services.ProductInputFrom(p), nil,
			&catalogForm{Target: target, Values: vals, Errors: errs})
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "success", "dash.saved")
	return c.Redirect(productEditPath(productID)+"#"+target, fiber.StatusSeeOther)
}

var groupFields = []string{"name", "min_select", "max_select"}

func groupInput(c *fiber.Ctx) services.GroupInput {
	return services.GroupInput{Name: c.FormValue("name"), Min: c.FormValue("min_select"), Max: c.FormValue("max_select")}
}

func choiceInput(c *fiber.Ctx) services.ChoiceInput {
	return services.ChoiceInput{Name: c.FormValue("name"), Delta: c.FormValue("delta")}
}

func (h *Products) addGroup(c *fiber.Ctx) error {
	ids, err := optionIDs(c, "productID")
	if err != nil {
		return err
	}
	g, err := h.options.AddOptionGroup(c.UserContext(), BusinessID(c), ids[0], groupInput(c))
	target := "new-group"
	if err == nil {
		target = "group-" + strconv.FormatInt(g.ID, 10)
	}
	return h.optionDone(c, ids[0], target, groupFields, err)
}

func (h *Products) updateGroup(c *fiber.Ctx) error {
	ids, err := optionIDs(c, "productID", "groupID")
	if err != nil {
		return err
	}
	err = h.options.UpdateOptionGroup(c.UserContext(), BusinessID(c), ids[0], ids[1], groupInput(c))
	return h.optionDone(c, ids[0], "group-"+strconv.FormatInt(ids[1], 10), groupFields, err)
}

func (h *Products) deleteGroup(c *fiber.Ctx) error {
	ids, err := optionIDs(c, "productID", "groupID")
	if err != nil {
		return err
	}
	err = h.options.DeleteOptionGroup(c.UserContext(), BusinessID(c), ids[0], ids[1])
	return h.optionDone(c, ids[0], "options", nil, err)
}

func (h *Products) addChoice(c *fiber.Ctx) error {
	ids, err := optionIDs(c, "productID", "groupID")
	if err != nil {
		return err
	}
	_, err = h.options.AddOptionChoice(c.UserContext(), BusinessID(c), ids[0], ids[1], choiceInput(c))
	target := "group-" + strconv.FormatInt(ids[1], 10)
	if err != nil {
		target = "new-choice-" + strconv.FormatInt(ids[1], 10)
	}
	return h.optionDone(c, ids[0], target, []string{"name", "delta"}, err)
}

func (h *Products) updateChoice(c *fiber.Ctx) error {
	ids, err := optionIDs(c, "productID", "groupID", "choiceID")
	if err != nil {
		return err
	}
	err = h.options.UpdateOptionChoice(c.UserContext(), BusinessID(c), ids[0], ids[1], ids[2], choiceInput(c))
	target := "group-" + strconv.FormatInt(ids[1], 10)
	if err != nil {
		target = "choice-" + strconv.FormatInt(ids[2], 10)
	}
	return h.optionDone(c, ids[0], target, []string{"name", "delta"}, err)
}

func (h *Products) deleteChoice(c *fiber.Ctx) error {
	ids, err := optionIDs(c, "productID", "groupID", "choiceID")
	if err != nil {
		return err
	}
	err = h.options.DeleteOptionChoice(c.UserContext(), BusinessID(c), ids[0], ids[1], ids[2])
	return h.optionDone(c, ids[0], "group-"+strconv.FormatInt(ids[1], 10), nil, err)
}
