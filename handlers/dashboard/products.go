package dashboard

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

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
