package dashboard

import (
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/web"
	"github.com/qubly/qubly/services"
)

// Images serves photo uploads: a product's photos (up to
// domain.MaxProductImages, in order) and the store's logo and cover. Every
// form is a plain multipart form, so it works without JavaScript.
type Images struct{ images *services.Images }

// NewImages returns the images handler.
func NewImages(images *services.Images) *Images { return &Images{images: images} }

// Register mounts the routes on the dashboard group r.
func (h *Images) Register(r fiber.Router) {
	r.Get("/products/:productID/images", h.list)
	r.Post("/products/:productID/images", h.upload)
	r.Post("/products/:productID/images/:imageID/delete", h.delete)
	r.Post("/products/:productID/images/:imageID/move", h.move)
	for _, slot := range []string{services.SlotLogo, services.SlotCover} {
		r.Get("/settings/"+slot, h.storeImageForm(slot))
		r.Post("/settings/"+slot, h.setStoreImage(slot))
		r.Post("/settings/"+slot+"/delete", h.removeStoreImage(slot))
	}
}

// imageView is an image as a page shows it: the small copy's URL and size
// (for width/height, so the layout does not jump) and the srcset.
type imageView struct {
	ID            int64
	Src, SrcSet   string
	Width, Height int
	Position      int
	First, Last   bool
}

func viewImage(img *domain.Image) imageView {
	w := min(domain.ImageWidths[0], img.Width)
	h := 0
	if img.Width > 0 {
		h = max(1, (img.Height*w+img.Width/2)/img.Width)
	}
	return imageView{ID: img.ID, Src: img.URL(domain.ImageWidths[0]), SrcSet: img.SrcSet(), Width: w, Height: h}
}

func productImagesPath(productID int64) string {
	return "/dashboard/products/" + strconv.FormatInt(productID, 10) + "/images"
}

func (h *Images) list(c *fiber.Ctx) error {
	pid, err := paramID(c, "productID")
	if err != nil {
		return err
	}
	return h.renderList(c, fiber.StatusOK, pid, tooLargeImage(c))
}

// tooLargeImage is the image field's error when this page follows an upload
// the server refused for its size (see web.UploadTooLarge), else nil.
func tooLargeImage(c *fiber.Ctx) map[string]string {
	if !web.UploadTooLarge(c) {
		return nil
	}
	return map[string]string{
		services.ImageField: web.L(c).T(services.ImageErrTooBig, "MaxMB", services.MaxImageBytes>>20),
	}
}

func (h *Images) renderList(c *fiber.Ctx, status int, productID int64, errs map[string]string) error {
	p, list, err := h.images.ProductImages(c.UserContext(), BusinessID(c), productID)
	if err != nil {
		return err
	}
	views := make([]imageView, len(list))
	for i, pi := range list {
		views[i] = viewImage(pi.Image)
		views[i].Position = i + 1
		views[i].First, views[i].Last = i == 0, i == len(list)-1
	}
	return page(c, status, "dashboard/product_images", "products", fiber.Map{
		"Title":   web.L(c).T("images.title", "Name", p.Name),
		"Product": p, "Images": views, "Max": domain.MaxProductImages,
		"Full": len(list) >= domain.MaxProductImages, "Action": productImagesPath(productID),
		"MaxMB": services.MaxImageBytes >> 20, "MaxBytes": services.MaxImageBytes, "Errors": errs,
		"Scripts": []string{"js/upload.js"},
	})
}

// openUpload opens the multipart file in the "image" field.
func openUpload(c *fiber.Ctx) (io.ReadCloser, error) {
	fh, err := c.FormFile(services.ImageField)
	if err != nil || fh.Size == 0 {
		return nil, domain.NewFieldError(services.ImageField, services.ImageErrMissing)
	}
	return fh.Open()
}

func (h *Images) upload(c *fiber.Ctx) error {
	pid, err := paramID(c, "productID")
	if err != nil {
		return err
	}
	f, err := openUpload(c)
	if err == nil {
		defer f.Close()
		_, err = h.images.AddProductImage(c.UserContext(), BusinessID(c), pid, f)
	}
	if errs := web.FormErrors(c, err); errs != nil {
		return h.renderList(c, fiber.StatusBadRequest, pid, errs)
	}
	if err != nil {
		return err
	}
	web.SetFlash(c, "success", "dash.saved")
	return back(c, productImagesPath(pid))
}

// productImageIDs reads the product and image IDs of a photo's route.
func productImageIDs(c *fiber.Ctx) (productID, imageID int64, err error) {
	if productID, err = paramID(c, "productID"); err != nil {
		return 0, 0, err
	}
	imageID, err = paramID(c, "imageID")
	return productID, imageID, err
}

func (h *Images) delete(c *fiber.Ctx) error {
	pid, iid, err := productImageIDs(c)
	if err != nil {
		return err
	}
	if err := h.images.DeleteProductImage(c.UserContext(), BusinessID(c), pid, iid); err != nil {
		return err
	}
	web.SetFlash(c, "success", "dash.saved")
	return back(c, productImagesPath(pid))
}

func (h *Images) move(c *fiber.Ctx) error {
	pid, iid, err := productImageIDs(c)
	if err != nil {
		return err
	}
	dir := c.FormValue("dir")
	if dir != "up" && dir != "down" {
		return domain.NewFieldError("dir", "error.400")
	}
	if err := h.images.MoveProductImage(c.UserContext(), BusinessID(c), pid, iid, dir == "up"); err != nil {
		return err
	}
	web.SetFlash(c, "success", "dash.saved")
	return back(c, productImagesPath(pid))
}

func (h *Images) storeImageForm(slot string) fiber.Handler {
	return func(c *fiber.Ctx) error { return h.renderStoreImage(c, fiber.StatusOK, slot, tooLargeImage(c)) }
}

// renderStoreImage shows the logo or cover form on its own page: it answers
// a refused upload (400 with the reason) and works as a plain fallback.
func (h *Images) renderStoreImage(c *fiber.Ctx, status int, slot string, errs map[string]string) error {
	b := Business(c)
	id := b.LogoImageID
	if slot == services.SlotCover {
		id = b.CoverImageID
	}
	data := fiber.Map{
		"Title": web.L(c).T("images." + slot + ".title"), "Slot": slot,
		"Action": "/dashboard/settings/" + slot, "MaxMB": services.MaxImageBytes >> 20, "MaxBytes": services.MaxImageBytes,
		"Errors": errs, "Scripts": []string{"js/upload.js"},
	}
	if id != nil {
		img, err := h.images.Get(c.UserContext(), b.ID, *id)
		if err == nil {
			data["Current"] = viewImage(img)
		}
	}
	return page(c, status, "dashboard/store_image", "settings", data)
}

func (h *Images) setStoreImage(slot string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		f, err := openUpload(c)
		if err == nil {
			defer f.Close()
			var img *domain.Image
			img, err = h.images.SetStoreImage(c.UserContext(), BusinessID(c), slot, f)
			if err == nil {
				// Keep the page's business in step for anything rendered later.
				if slot == services.SlotLogo {
					Business(c).LogoImageID = &img.ID
				} else {
					Business(c).CoverImageID = &img.ID
				}
			}
		}
		if errs := web.FormErrors(c, err); errs != nil {
			return h.renderStoreImage(c, fiber.StatusBadRequest, slot, errs)
		}
		if err != nil {
			return err
		}
		web.SetFlash(c, "success", "dash.saved")
		return c.Redirect("/dashboard/settings", fiber.StatusSeeOther)
	}
}

func (h *Images) removeStoreImage(slot string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := h.images.RemoveStoreImage(c.UserContext(), BusinessID(c), slot); err != nil {
			return err
		}
		web.SetFlash(c, "success", "dash.saved")
		return c.Redirect("/dashboard/settings", fiber.StatusSeeOther)
	}
}
