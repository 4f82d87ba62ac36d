package services

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/qubly/qubly/domain"
)

// The demo store: a taquería anyone can browse at /demo and log into.
const (
	DemoSlug  = "demo"
	DemoEmail = "demo@qubly.mx"
)

// DemoUserStore is what Demo needs of the users repository.
type DemoUserStore interface {
	Create(ctx context.Context, u *domain.User) error
	EmailTaken(ctx context.Context, email string) (bool, error)
}

// DemoBusinessStore is what Demo needs of the businesses repository.
type DemoBusinessStore interface {
	Create(ctx context.Context, b *domain.Business) error
	SlugTaken(ctx context.Context, slug string) (bool, error)
}

// DemoCatalogStore is what Demo needs of the catalog repository.
type DemoCatalogStore interface {
	CreateCategory(ctx context.Context, businessID int64, c *domain.Category) error
	CreateProduct(ctx context.Context, businessID int64, p *domain.Product) error
	CreateOptionGroup(ctx context.Context, businessID int64, g *domain.OptionGroup) error
	CreateOptionChoice(ctx context.Context, businessID int64, c *domain.OptionChoice) error
}

// DemoReviewStore is what Demo needs of the reviews repository.
type DemoReviewStore interface {
	Create(ctx context.Context, businessID int64, rv *domain.Review) error
}

// DemoDeps groups what NewDemo needs.
type DemoDeps struct {
	Users      DemoUserStore
	Businesses DemoBusinessStore
	Catalog    DemoCatalogStore
	Reviews    DemoReviewStore
	Tx         Transactor
	Clock      Clock
	BcryptCost int
}

// Demo creates the demo store "Tacos Doña Lupe" with its owner, catalog and reviews.
type Demo struct {
	users      DemoUserStore
	businesses DemoBusinessStore
	catalog    DemoCatalogStore
	reviews    DemoReviewStore
	tx         Transactor
	clock      Clock
	bcryptCost int
}

// NewDemo returns the demo seeding service.
func NewDemo(d DemoDeps) *Demo {
	cost := d.BcryptCost
	if cost == 0 {
		cost = 12
	}
	clock := d.Clock
	if clock == nil {
		clock = time.Now
	}
	return &Demo{
		users: d.Users, businesses: d.Businesses, catalog: d.Catalog, reviews: d.Reviews,
		tx: d.Tx, clock: clock, bcryptCost: cost,
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

// errDemoRace ends the seeding transaction when another instance created the
// demo store between the existence check and the insert.
var errDemoRace = errors.New("demo store created concurrently")

// Seed creates the demo store, its verified owner (DemoEmail with password),
// its catalog and its reviews in one transaction. It does nothing and
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
	now := d.clock().UTC()

	err = d.tx.InTx(ctx, func(ctx context.Context) error {
		taken, err := d.users.EmailTaken(ctx, DemoEmail)
		if err != nil {
			return fmt.Errorf("check demo owner: %w", err)
		}
		if taken {
			return fmt.Errorf("seed demo: the user %s already exists but the demo store does not; "+
				"delete that user or restore the store: %w", DemoEmail, domain.ErrConflict)
		}

		// The store's rating covers its approved reviews, created below.
		ratingCount, ratingSum := 0, 0
		for _, dr := range demoReviews {
			if dr.status == domain.ReviewApproved {
				ratingCount++
				ratingSum += dr.rating
			}
		}
		biz := &domain.Business{
			RatingCount: ratingCount,
			RatingSum:   ratingSum,
			Name:        "Tacos Doña Lupe",
			Slug:        DemoSlug,
			Description: demoDescription,
			WhatsApp:    "+525512345678",
			TimeZone:    domain.DefaultTimeZone,
			Language:    "es",
			Address:     "Av. Insurgentes Sur 1234, Col. Del Valle",
			City:        "Ciudad de México",
			Demo:        true,
			// A store that is ready to take orders: hours, pickup and
			// delivery, cash and transfer.
			Hours:             demoHours(),
			PickupEnabled:     true,
			DeliveryEnabled:   true,
			DeliveryFeeCents:  3500,
			DeliveryMinCents:  15000,
			PayCash:           true,
			PayCashNote:       "Si pagas con billete grande, avísanos para llevar cambio.",
			PayTransfer:       true,
			PayTransferCLABE:  "002180001234567896",
			PayTransferBank:   "Banamex",
			PayTransferHolder: "Guadalupe Hernández Ruiz",
			PayTransferNote:   "Envía tu comprobante por WhatsApp.",
			Instagram:         "https://instagram.com/tacosdonalupe",
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

		position := 0
		for ci, dc := range demoCatalog {
			cat := &domain.Category{
				Name: dc.name, Slug: domain.Slugify(dc.name, 80), Position: ci + 1,
			}
			if err := d.catalog.CreateCategory(ctx, biz.ID, cat); err != nil {
				return fmt.Errorf("create demo category %q: %w", dc.name, err)
			}
			for _, dp := range dc.products {
				position++
				p := &domain.Product{
					CategoryID:  &cat.ID,
					Name:        dp.name,
					Slug:        domain.Slugify(dp.name, 120),
					Description: dp.description,
					PriceCents:  dp.price,
					Active:      true,
					SoldOut:     dp.soldOut,
					Position:    position,
				}
				if dp.compareAt > 0 {
					c := dp.compareAt
					p.CompareAtCents = &c
				}
				if dp.stock > 0 {
					s := dp.stock
					p.Stock = &s
				}
				if err := d.catalog.CreateProduct(ctx, biz.ID, p); err != nil {
					return fmt.Errorf("create demo product %q: %w", dp.name, err)
				}
				for _, dg := range dp.options {
					g := &domain.OptionGroup{ProductID: p.ID, Name: dg.name, MinSelect: dg.min, MaxSelect: dg.max}
					if err := d.catalog.CreateOptionGroup(ctx, biz.ID, g); err != nil {
						return fmt.Errorf("create demo options %q: %w", dg.name, err)
					}
					for _, dc := range dg.choices {
						if err := d.catalog.CreateOptionChoice(ctx, biz.ID, &domain.OptionChoice{
							GroupID: g.ID, Name: dc.name, DeltaCents: dc.delta,
						}); err != nil {
							return fmt.Errorf("create demo choice %q: %w", dc.name, err)
						}
					}
				}
			}
		}

		for _, dr := range demoReviews {
			at := now.Add(-time.Duration(dr.daysAgo) * 24 * time.Hour)
			rv := &domain.Review{
				AuthorName: dr.author, Rating: dr.rating, Comment: dr.comment, Status: dr.status,
				CreatedAt: at, UpdatedAt: at,
			}
			if err := d.reviews.Create(ctx, biz.ID, rv); err != nil {
				return fmt.Errorf("create demo review by %q: %w", dr.author, err)
			}
		}
		return nil
	})
	if errors.Is(err, errDemoRace) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, nil
}

const demoDescription = "Taquería familiar en la colonia Del Valle desde 1998. " +
	"Tortillas hechas a mano, salsas de molcajete y el pastor más jugoso de Insurgentes. " +
	"Haz tu pedido por WhatsApp y te lo llevamos calientito a tu casa u oficina."

type demoProduct struct {
	name        string
	description string
	price       domain.Money
	compareAt   domain.Money // 0 when there is no previous price
	soldOut     bool
	stock       int // 0 when the store does not count units
	options     []demoGroup
}

type demoGroup struct {
	name     string
	min, max int
	choices  []demoChoice
}

type demoChoice struct {
	name  string
	delta domain.Money
}

type demoCategory struct {
	name     string
	products []demoProduct
}

// demoCatalog is the demo store's menu, in display order. Prices are centavos.
var demoCatalog = []demoCategory{
	{name: "Tacos", products: []demoProduct{
		{name: "Taco al pastor", price: 2500,
			description: "Cerdo adobado asado al trompo, con piña, cebolla y cilantro en tortilla de maíz recién hecha.",
			options: []demoGroup{
				{name: "Tortilla", min: 1, max: 1, choices: []demoChoice{{"Maíz", 0}, {"Harina", 500}}},
				{name: "Extras", min: 0, max: 2, choices: []demoChoice{{"Queso", 1000}, {"Aguacate", 1200}}},
			}},
		{name: "Taco de suadero", price: 2500,
			description: "Suadero de res cocido lentamente y dorado en la plancha, con cebolla, cilantro y salsa verde."},
		{name: "Taco de bistec", price: 2800,
			description: "Bistec de res a la plancha, jugoso y bien sazonado, con cebolla asada y un toque de limón."},
		{name: "Taco de carnitas", price: 2800,
			description: "Carnitas estilo Michoacán, doradas por fuera y suaves por dentro, con salsa de molcajete."},
		{name: "Taco campechano", price: 3000,
			description: "Bistec y longaniza dorados juntos en la plancha: la mezcla clásica de la casa."},
		{name: "Taco de barbacoa", price: 3500, compareAt: 4000,
			description: "Barbacoa de borrego cocida en penca de maguey, suave y jugosa, con cebolla y cilantro."},
		{name: "Taco de cochinita pibil", price: 3000,
			description: "Cochinita pibil marinada en achiote y naranja agria, con cebolla morada curtida."},
		{name: "Taco de lengua", price: 3800, soldOut: true,
			description: "Lengua de res cocida a fuego lento hasta quedar suavecita, con salsa verde y cilantro."},
		{name: "Gringa al pastor", price: 6500,
			description: "Tortilla de harina con queso fundido y carne al pastor con piña, perfecta para un buen antojo."},
		{name: "Orden de 5 tacos al pastor", price: 11000, compareAt: 12500,
			description: "Cinco tacos al pastor con todo, ideales para compartir o para el hambre de verdad."},
	}},
	{name: "Tortas y quesadillas", products: []demoProduct{
		{name: "Torta de milanesa", price: 8500,
			description: "Milanesa de res empanizada en telera dorada con frijoles, aguacate, jitomate y chiles en vinagre.",
			options: []demoGroup{
				{name: "Tamaño", min: 1, max: 1, choices: []demoChoice{{"Normal", 0}, {"Gigante", 3000}}},
			}},
		{name: "Torta ahogada", price: 9000,
			description: "Torta de carnitas en birote bañada en salsa de jitomate, con salsa picante aparte, al estilo Guadalajara."},
		{name: "Torta cubana", price: 11000, compareAt: 12000,
			description: "La torta más completa: milanesa, pierna, salchicha, huevo, jamón y queso amarillo en telera grande."},
		{name: "Quesadilla de flor de calabaza", price: 4500,
			description: "Tortilla de maíz hecha a mano con flor de calabaza guisada y queso Oaxaca derretido."},
		{name: "Quesadilla de huitlacoche", price: 4800, stock: 12,
			description: "Huitlacoche guisado con cebolla y epazote, con queso Oaxaca en tortilla azul hecha a mano."},
		{name: "Quesadilla de chicharrón prensado", price: 4500,
			description: "Chicharrón prensado en salsa roja con queso Oaxaca, en tortilla de maíz recién salida del comal."},
		{name: "Volcán de bistec", price: 4000,
			description: "Tostada con queso gratinado y bistec a la plancha, coronada con salsa roja de la casa."},
	}},
	{name: "Bebidas", products: []demoProduct{
		{name: "Agua de horchata (1 litro)", price: 4000,
			description: "Horchata de arroz con canela preparada en casa todos los días y servida bien fría."},
		{name: "Agua de jamaica (1 litro)", price: 4000,
			description: "Agua fresca de flor de jamaica, ligeramente dulce y muy refrescante."},
		{name: "Agua de tamarindo (1 litro)", price: 4000,
			description: "Agua fresca de tamarindo natural con su toque agridulce, hecha con pulpa de verdad."},
		{name: "Refresco de vidrio (355 ml)", price: 3000,
			description: "Refresco bien frío en botella de vidrio; pregúntanos por los sabores del día."},
		{name: "Limonada mineral", price: 3500,
			description: "Limón recién exprimido con agua mineral y un toque de azúcar, ideal para acompañar los tacos."},
		{name: "Café de olla", price: 3000,
			description: "Café de olla endulzado con piloncillo y canela, como el de la abuela."},
	}},
	{name: "Postres", products: []demoProduct{
		{name: "Flan napolitano", price: 4500,
			description: "Flan cremoso de queso crema con caramelo dorado, hecho en casa."},
		{name: "Arroz con leche", price: 3500,
			description: "Arroz con leche cremoso con canela y pasitas, servido bien frío."},
		{name: "Churros con cajeta (3 piezas)", price: 4500, compareAt: 5500,
			description: "Churros recién fritos con azúcar y canela, acompañados de cajeta de Celaya para sopear."},
		{name: "Pastel de tres leches", price: 5500,
			description: "Rebanada de pastel esponjoso bañado en tres leches y cubierto con crema batida."},
	}},
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
