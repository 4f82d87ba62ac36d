package dashboard

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// The product list: search, filters, pages, and ordering by moving a row
// or dragging rows. Bulk actions are in products_bulk.go.

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
	pageLinks(data, res.Page, res.Pages, func(page int) string { return productsListURL(q, page) })
	return page(c, fiber.StatusOK, "dashboard/products", "products", data)
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
