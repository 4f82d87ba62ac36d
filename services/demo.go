package services

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/imagecodec"
)

// The demo store: a taquería anyone can browse at /demo and log into.
const (
	DemoSlug  = "demo"
	DemoEmail = "demo@qubly.mx"
)

// DemoUserRepo is what Demo needs of the users repository.
type DemoUserRepo interface {
	Create(ctx context.Context, u *domain.User) error
	EmailTaken(ctx context.Context, email string) (bool, error)
}

// DemoBusinessRepo is what Demo needs of the businesses repository.
type DemoBusinessRepo interface {
	Create(ctx context.Context, b *domain.Business) error
	SlugTaken(ctx context.Context, slug string) (bool, error)
	ReferralCodeRepo
}

// DemoCatalogRepo is what Demo needs of the catalog repository.
type DemoCatalogRepo interface {
	CreateCategory(ctx context.Context, businessID int64, c *domain.Category) error
	CreateProduct(ctx context.Context, businessID int64, p *domain.Product) error
	CreateOptionGroup(ctx context.Context, businessID int64, g *domain.OptionGroup) error
	CreateOptionChoice(ctx context.Context, businessID int64, c *domain.OptionChoice) error
}

// DemoReviewRepo is what Demo needs of the reviews repository.
type DemoReviewRepo interface {
	Create(ctx context.Context, businessID int64, rv *domain.Review) error
}

// DemoImages is what Demo needs of the images service: the pictures go
// through the same pipeline as an owner's uploads.
type DemoImages interface {
	AddEncodedProductImage(ctx context.Context, businessID, productID int64, p *imagecodec.Image) (*domain.ProductImage, error)
	RemoveFiles(ctx context.Context, img *domain.Image)
}

// DemoDeps groups what NewDemo needs.
type DemoDeps struct {
	Users      DemoUserRepo
	Businesses DemoBusinessRepo
	Catalog    DemoCatalogRepo
	Reviews    DemoReviewRepo
	Images     DemoImages
	// OrderRepo and OrderBusinessRepo back the orders service that places
	// the demo's orders, with the same rules as a shopper's.
	OrderRepo         OrderRepo
	OrderBusinessRepo OrderBusinessRepo
	// Tx creates the store; Writes places its orders (purging its pages).
	Tx         Transactor
	Writes     *StoreWrites
	Clock      Clock
	BcryptCost int
}

// Demo creates the demo store "Tacos Doña Lupe" with its owner, catalog and reviews.
type Demo struct {
	users      DemoUserRepo
	businesses DemoBusinessRepo
	catalog    DemoCatalogRepo
	reviews    DemoReviewRepo
	images     DemoImages
	orderRepo  OrderRepo
	orderBiz   OrderBusinessRepo
	tx         Transactor
	writes     *StoreWrites
	clock      Clock
	bcryptCost int
	// referrals gives the demo store its referral code.
	referrals *Referrals
}

// NewDemo returns the demo seeding service.
func NewDemo(d DemoDeps) *Demo {
	clock := d.Clock
	if clock == nil {
		clock = time.Now
	}
	return &Demo{
		users: d.Users, businesses: d.Businesses, catalog: d.Catalog, reviews: d.Reviews, images: d.Images,
		orderRepo: d.OrderRepo, orderBiz: d.OrderBusinessRepo, tx: d.Tx, writes: d.Writes, clock: clock, bcryptCost: bcryptCostOrDefault(d.BcryptCost),
		referrals: NewReferrals(ReferralsDeps{Codes: d.Businesses}),
	}
}

// Exists reports whether the demo store is there.
func (d *Demo) Exists(ctx context.Context) (bool, error) {
	taken, err := d.businesses.SlugTaken(ctx, DemoSlug)
	if err != nil {
		return false, fmt.Errorf("check demo store: %w", err)
	}
	return taken, nil
}

// demoOwnerTaken explains why the demo owner cannot be created.
func demoOwnerTaken(err error) error {
	if err != nil {
		return fmt.Errorf("check demo owner: %w", err)
	}
	return fmt.Errorf("seed demo: the user %s already exists but the demo store does not; "+
		"delete that user or restore the store: %w", DemoEmail, domain.ErrConflict)
}

// errDemoRace ends the seeding transaction when another instance created the
// demo store between the existence check and the insert.
var errDemoRace = errors.New("demo store created concurrently")

// Seed creates the demo store, its verified owner (DemoEmail with password),
// its catalog with a picture for every product, its reviews and a few weeks
// of orders in every status, in one transaction. It does nothing and
// returns created=false when the store already exists.
func (d *Demo) Seed(ctx context.Context, password string) (created bool, err error) {
	exists, err := d.Exists(ctx)
	if err != nil || exists {
		return false, err
	}
	if password == "" {
		return false, errors.New("seed demo: empty password")
	}
	// Hash outside the transaction so it is not held open during bcrypt.
	hash, err := bcrypt.GenerateFromPassword([]byte(password), d.bcryptCost)
	if err != nil {
		return false, fmt.Errorf("seed demo: hash password: %w", err)
	}
	// Refuse before drawing when the owner's email is taken; checked again
	// in the transaction.
	if taken, err := d.users.EmailTaken(ctx, DemoEmail); err != nil || taken {
		return false, demoOwnerTaken(err)
	}
	now := d.clock().UTC()
	// Draw the pictures before the transaction, so it is not held open
	// while they are rendered.
	pictures, err := renderDemoPictures(demoPrimaryColor, demoAccentColor)
	if err != nil {
		return false, err
	}

	var stored []*domain.Image
	err = d.tx.InTx(ctx, func(ctx context.Context) error {
		if taken, err := d.users.EmailTaken(ctx, DemoEmail); err != nil || taken {
			return demoOwnerTaken(err)
		}

		biz := demoBusiness()
		if biz.ReferralCode, err = d.referrals.NewCode(ctx); err != nil {
			return err
		}
		if err := d.businesses.Create(ctx, biz); err != nil {
			if errors.Is(err, domain.ErrConflict) {
				return errDemoRace
			}
			return fmt.Errorf("create demo store: %w", err)
		}

		owner := &domain.User{
			Email: DemoEmail, Name: "Lupe Hernández", PasswordHash: string(hash),
			Role: domain.RoleOwner, Locale: "es", BusinessID: &biz.ID, EmailVerifiedAt: &now,
		}
		if err := d.users.Create(ctx, owner); err != nil {
			return fmt.Errorf("create demo owner: %w", err)
		}

		ids, err := d.createCatalog(ctx, biz.ID, pictures, &stored)
		if err != nil {
			return err
		}

		if err := d.createReviews(ctx, biz.ID, now); err != nil {
			return err
		}
		return d.seedOrders(ctx, biz, ids, now)
	})
	if err != nil {
		// The pictures' files were written before the transaction failed.
		for _, img := range stored {
			d.images.RemoveFiles(ctx, img)
		}
	}
	if errors.Is(err, errDemoRace) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, nil
}

// createReviews adds the demo's reviews, dated back from now.
func (d *Demo) createReviews(ctx context.Context, businessID int64, now time.Time) error {
	for _, dr := range demoReviews {
		at := now.Add(-time.Duration(dr.daysAgo) * 24 * time.Hour)
		rv := &domain.Review{
			AuthorName: dr.author, Rating: dr.rating, Comment: dr.comment, Status: dr.status,
			CreatedAt: at, UpdatedAt: at,
		}
		if err := d.reviews.Create(ctx, businessID, rv); err != nil {
			return fmt.Errorf("create demo review by %q: %w", dr.author, err)
		}
	}
	return nil
}

type demoReview struct {
	author  string
	rating  int
	comment string
	status  domain.ReviewStatus
	daysAgo int
}

// demoReviews are the demo store's reviews, newest first.
var demoReviews = []demoReview{
	{"Héctor B.", 5, "¿Hacen pedidos para fiestas? Los tacos de suadero me encantaron.", domain.ReviewPending, 1},
	{"Gabriela Z.", 4, "Muy buena la torta cubana, bastante grande para compartir.", domain.ReviewPending, 2},
	{"Mariana G.", 5, "Los tacos al pastor están buenísimos, la piña en su punto y la salsa verde pica rico.", domain.ReviewApproved, 3},
	{"Carlos R.", 5, "Pedí por WhatsApp y en 25 minutos ya estaba comiendo; todo llegó calientito.", domain.ReviewApproved, 5},
	{"Fernanda L.", 4, "Muy rica la torta ahogada, aunque para mi gusto le faltó un poco más de salsa.", domain.ReviewApproved, 8},
	{"Jorge M.", 5, "La barbacoa es de las mejores de la colonia, muy jugosa y bien servida.", domain.ReviewApproved, 11},
	{"Sofía P.", 5, "El agua de horchata sabe casera, nada que ver con las de polvo.", domain.ReviewApproved, 14},
	{"Luis A.", 4, "Buen sazón y precios justos; solo tardaron un poco en contestar el mensaje.", domain.ReviewApproved, 18},
	{"Valeria S.", 5, "Las quesadillas de flor de calabaza con queso Oaxaca son una delicia.", domain.ReviewApproved, 21},
	{"Miguel T.", 3, "Los tacos estaban ricos, pero llegaron algo fríos; la próxima vez paso a recogerlos.", domain.ReviewApproved, 25},
	{"Daniela C.", 5, "Doña Lupe siempre atiende con una sonrisa; se siente como comer en casa.", domain.ReviewApproved, 30},
	{"Ricardo V.", 4, "El campechano está muy bien, buena porción de carne por el precio.", domain.ReviewApproved, 34},
	{"Alejandra N.", 5, "Los churros con cajeta llegaron crujientes y a mis hijos les encantaron.", domain.ReviewApproved, 39},
	{"Eduardo F.", 5, "Pedimos para la oficina y todo llegó completo y bien empacado. Muy recomendable.", domain.ReviewApproved, 45},
	{"Paola D.", 4, "Rica la cochinita pibil con su cebolla morada; volveré por el flan.", domain.ReviewApproved, 52},
}

// demoHours opens Tuesday to Sunday: mornings and evenings with a break at
// midday from Tuesday to Thursday, late on Friday and Saturday.
func demoHours() domain.WeekHours {
	var w domain.WeekHours
	for d := time.Tuesday; d <= time.Thursday; d++ {
		w[d] = domain.DayHours{Open: true, Opens: "09:00", Closes: "13:00", Opens2: "18:00", Closes2: "23:00"}
	}
	w[time.Friday] = domain.DayHours{Open: true, Opens: "13:00", Closes: "02:00"}
	w[time.Saturday] = domain.DayHours{Open: true, Opens: "13:00", Closes: "02:00"}
	w[time.Sunday] = domain.DayHours{Open: true, Opens: "12:00", Closes: "20:00"}
	w[time.Monday] = domain.DayHours{Opens: "13:00", Closes: "23:00"}
	return w
}
