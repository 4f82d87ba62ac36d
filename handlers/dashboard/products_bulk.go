package dashboard

import (
	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// bulkDone is the flash of each bulk action, in the plural form for how
// many products it changed.
var bulkDone = map[string]string{
	services.BulkHide:   "catalog.products.hidden_n",
	services.BulkShow:   "catalog.products.shown_n",
	services.BulkDelete: "catalog.products.deleted",
}

// bulk hides, shows or deletes the ticked products. A delete is confirmed
// first: the list's script asks in the browser and sends confirm=1; without
// it the owner gets a confirmation page that names how many.
func (h *Products) bulk(c *fiber.Ctx) error {
	ids, err := catalogIDs(c)
	if err != nil {
		return err
	}
	ctx, biz, action := c.UserContext(), BusinessID(c), c.FormValue("action")
	confirm := action != services.BulkDelete || c.FormValue("confirm") == "1"
	n := 0
	if confirm {
		n, err = h.products.Bulk(ctx, biz, action, ids)
	} else {
		n, err = h.products.BulkCount(ctx, biz, action, ids)
	}
	if ve := web.FormErrors(c, err); ve != nil {
		key := "catalog.validation.bulk_none"
		if _, ok := ve["action"]; ok {
			key = "catalog.validation.bulk_action"
		}
		web.SetFlash(c, "error", key)
		return back(c, productsPath)
	}
	if err != nil {
		return err
	}
	if !confirm {
		return page(c, fiber.StatusOK, "dashboard/products_bulk_confirm", "products", fiber.Map{
			"Title": web.L(c).Plural("catalog.bulk.confirm_delete", n), "Count": n, "IDs": ids,
			"Back": web.SafeNext(c.FormValue("back"), productsPath),
		})
	}
	web.SetFlashCount(c, "success", bulkDone[action], n)
	return back(c, productsPath)
}
