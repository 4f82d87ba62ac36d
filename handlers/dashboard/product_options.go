package dashboard

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// The option groups and choices of a product, edited on its form.

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
