package repositories

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/qubly/qubly/domain"
)

// Images stores uploaded images, the photos placed on products and the
// store's logo and cover references. Every method takes the business ID
// first; another tenant's rows are domain.ErrNotFound.
type Images struct{ db *gorm.DB }

// NewImages returns the images repository.
func NewImages(db *gorm.DB) *Images { return &Images{db: db} }

// Create inserts img for businessID.
func (r *Images) Create(ctx context.Context, businessID int64, img *domain.Image) error {
	img.BusinessID = businessID
	return mapErr(conn(ctx, r.db).Create(img).Error)
}

// Get returns one of businessID's images.
func (r *Images) Get(ctx context.Context, businessID, imageID int64) (*domain.Image, error) {
	var img domain.Image
	err := conn(ctx, r.db).Where("business_id = ? AND id = ?", businessID, imageID).Take(&img).Error
	if err != nil {
		return nil, mapErr(err)
	}
	return &img, nil
}

// GetMany returns businessID's images among ids, by ID. Unknown IDs and other
// tenants' images are left out.
func (r *Images) GetMany(ctx context.Context, businessID int64, ids []int64) (map[int64]*domain.Image, error) {
	out := make(map[int64]*domain.Image, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var imgs []domain.Image
	if err := conn(ctx, r.db).Where("business_id = ? AND id IN ?", businessID, ids).Find(&imgs).Error; err != nil {
		return nil, err
	}
	for i := range imgs {
		out[imgs[i].ID] = &imgs[i]
	}
	return out, nil
}

// Delete removes one of businessID's images with every reference to it: its
// product placements and the store's logo or cover. Call it in a transaction.
func (r *Images) Delete(ctx context.Context, businessID, imageID int64) error {
	db := conn(ctx, r.db)
	if err := db.Where("business_id = ? AND image_id = ?", businessID, imageID).Delete(&domain.ProductImage{}).Error; err != nil {
		return fmt.Errorf("delete product images of image %d: %w", imageID, err)
	}
	for _, col := range []string{"logo_image_id", "cover_image_id"} {
		err := db.Model(&domain.Business{}).Unscoped().Where("id = ? AND "+col+" = ?", businessID, imageID).
			UpdateColumn(col, nil).Error
		if err != nil {
			return fmt.Errorf("clear %s of business %d: %w", col, businessID, err)
		}
	}
	res := db.Where("business_id = ? AND id = ?", businessID, imageID).Delete(&domain.Image{})
	if res.Error != nil {
		return fmt.Errorf("delete image %d: %w", imageID, res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// Product returns one of businessID's (not deleted) products. Inside a
// transaction on PostgreSQL the row is locked until it ends, so concurrent
// changes to the product's photos run one after the other (SQLite already
// has a single writer).
func (r *Images) Product(ctx context.Context, businessID, productID int64) (*domain.Product, error) {
	db := conn(ctx, r.db)
	if _, inTx := ctx.Value(txKey{}).(*gorm.DB); inTx {
		db = db.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var p domain.Product
	if err := db.Where("business_id = ? AND id = ?", businessID, productID).Take(&p).Error; err != nil {
		return nil, mapErr(err)
	}
	return &p, nil
}

// ListProductImages returns the product's photos in order, each with its
// Image loaded.
func (r *Images) ListProductImages(ctx context.Context, businessID, productID int64) ([]domain.ProductImage, error) {
	m, err := r.ListForProducts(ctx, businessID, []int64{productID})
	if err != nil {
		return nil, err
	}
	return m[productID], nil
}

// ListForProducts returns the photos of several products of businessID, in
// order, each with its Image loaded, by product ID.
func (r *Images) ListForProducts(ctx context.Context, businessID int64, productIDs []int64) (map[int64][]domain.ProductImage, error) {
	out := make(map[int64][]domain.ProductImage, len(productIDs))
	if len(productIDs) == 0 {
		return out, nil
	}
	db := conn(ctx, r.db)
	var pis []domain.ProductImage
	err := db.Where("business_id = ? AND product_id IN ?", businessID, productIDs).
		Order("product_id, position, id").Find(&pis).Error
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(pis))
	for _, pi := range pis {
		ids = append(ids, pi.ImageID)
	}
	imgs, err := r.GetMany(ctx, businessID, ids)
	if err != nil {
		return nil, err
	}
	for _, pi := range pis {
		if pi.Image = imgs[pi.ImageID]; pi.Image != nil {
			out[pi.ProductID] = append(out[pi.ProductID], pi)
		}
	}
	return out, nil
}

// AddProductImage places one of businessID's images last on the product.
// Call it in a transaction that locked the product (Product).
func (r *Images) AddProductImage(ctx context.Context, businessID, productID, imageID int64) (*domain.ProductImage, error) {
	db := conn(ctx, r.db)
	pos, err := nextPosition(db, &domain.ProductImage{}, positionScope("product_images", businessID, productID),
		"business_id = ? AND product_id = ?", businessID, productID)
	if err != nil {
		return nil, err
	}
	pi := &domain.ProductImage{BusinessID: businessID, ProductID: productID, ImageID: imageID, Position: pos}
	if err := db.Create(pi).Error; err != nil {
		return nil, mapErr(err)
	}
	return pi, nil
}

// ReorderProductImages sets the product's photo positions to the order of
// imageIDs (0, 1, 2…).
func (r *Images) ReorderProductImages(ctx context.Context, businessID, productID int64, imageIDs []int64) error {
	db := conn(ctx, r.db)
	for i, id := range imageIDs {
		err := db.Model(&domain.ProductImage{}).
			Where("business_id = ? AND product_id = ? AND image_id = ?", businessID, productID, id).
			UpdateColumn("position", i).Error
		if err != nil {
			return fmt.Errorf("reorder images of product %d: %w", productID, err)
		}
	}
	return nil
}

// SetBusinessImage points businessID's slot ("logo" or "cover") at imageID
// (nil clears it) and returns the image it pointed at before. Call it in a
// transaction.
func (r *Images) SetBusinessImage(ctx context.Context, businessID int64, slot string, imageID *int64) (*int64, error) {
	var col string
	switch slot {
	case "logo":
		col = "logo_image_id"
	case "cover":
		col = "cover_image_id"
	default:
		return nil, fmt.Errorf("unknown store image slot %q", slot)
	}
	db := conn(ctx, r.db)
	var value any = gorm.Expr("NULL")
	if imageID != nil {
		if _, err := r.Get(ctx, businessID, *imageID); err != nil {
			return nil, err
		}
		value = *imageID
	}
	var b domain.Business
	err := db.Clauses(clause.Locking{Strength: "UPDATE"}).Select("id", col).
		Where("id = ?", businessID).Take(&b).Error
	if err != nil {
		return nil, mapErr(err)
	}
	prev := b.LogoImageID
	if slot == "cover" {
		prev = b.CoverImageID
	}
	if err := db.Model(&domain.Business{}).Where("id = ?", businessID).UpdateColumn(col, value).Error; err != nil {
		return nil, fmt.Errorf("set %s of business %d: %w", col, businessID, err)
	}
	return prev, nil
}
