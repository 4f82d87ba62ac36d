package services

import (
	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/services/demoart"
)

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
	// picture is the product's illustration, drawn at seed time.
	picture demoart.Picture
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
		{name: "Taco al pastor", picture: demoart.DishWith("1f32e", "1f34d"), price: 2500,
			description: "Cerdo adobado asado al trompo, con piña, cebolla y cilantro en tortilla de maíz recién hecha.",
			options: []demoGroup{
				{name: "Tortilla", min: 1, max: 1, choices: []demoChoice{{"Maíz", 0}, {"Harina", 500}}},
				{name: "Extras", min: 0, max: 2, choices: []demoChoice{{"Queso", 1000}, {"Aguacate", 1200}}},
			}},
		{name: "Taco de suadero", picture: demoart.DishWith("1f32e", "1f9c5"), price: 2500,
			description: "Suadero de res cocido lentamente y dorado en la plancha, con cebolla, cilantro y salsa verde."},
		{name: "Taco de bistec", picture: demoart.DishWith("1f32e", "1f969"), price: 2800,
			description: "Bistec de res a la plancha, jugoso y bien sazonado, con cebolla asada y un toque de limón."},
		{name: "Taco de carnitas", picture: demoart.DishWith("1f32e", "1f437"), price: 2800,
			description: "Carnitas estilo Michoacán, doradas por fuera y suaves por dentro, con salsa de molcajete."},
		{name: "Taco campechano", picture: demoart.DishWith("1f32e", "1f32d"), price: 3000,
			description: "Bistec y longaniza dorados juntos en la plancha: la mezcla clásica de la casa."},
		{name: "Taco de barbacoa", picture: demoart.DishWith("1f32e", "1f411"), price: 3500, compareAt: 4000,
			description: "Barbacoa de borrego cocida en penca de maguey, suave y jugosa, con cebolla y cilantro."},
		{name: "Taco de cochinita pibil", picture: demoart.DishWith("1f32e", "1f34a"), price: 3000,
			description: "Cochinita pibil marinada en achiote y naranja agria, con cebolla morada curtida."},
		{name: "Taco de lengua", picture: demoart.DishWith("1f32e", "1f33f"), price: 3800, soldOut: true,
			description: "Lengua de res cocida a fuego lento hasta quedar suavecita, con salsa verde y cilantro."},
		{name: "Gringa al pastor", picture: demoart.DishWith("1fad3", "1f9c0"), price: 6500,
			description: "Tortilla de harina con queso fundido y carne al pastor con piña, perfecta para un buen antojo."},
		{name: "Orden de 5 tacos al pastor", picture: demoart.Several("1f32e", 3), price: 11000, compareAt: 12500,
			description: "Cinco tacos al pastor con todo, ideales para compartir o para el hambre de verdad."},
	}},
	{name: "Tortas y quesadillas", products: []demoProduct{
		{name: "Torta de milanesa", picture: demoart.DishWith("1f96a", "1f951"), price: 8500,
			description: "Milanesa de res empanizada en telera dorada con frijoles, aguacate, jitomate y chiles en vinagre.",
			options: []demoGroup{
				{name: "Tamaño", min: 1, max: 1, choices: []demoChoice{{"Normal", 0}, {"Gigante", 3000}}},
			}},
		{name: "Torta ahogada", picture: demoart.DishWith("1f956", "1f336"), price: 9000,
			description: "Torta de carnitas en birote bañada en salsa de jitomate, con salsa picante aparte, al estilo Guadalajara."},
		{name: "Torta cubana", picture: demoart.DishWith("1f96a", "1f373"), price: 11000, compareAt: 12000,
			description: "La torta más completa: milanesa, pierna, salchicha, huevo, jamón y queso amarillo en telera grande."},
		{name: "Quesadilla de flor de calabaza", picture: demoart.DishWith("1f959", "1f33c"), price: 4500,
			description: "Tortilla de maíz hecha a mano con flor de calabaza guisada y queso Oaxaca derretido."},
		{name: "Quesadilla de huitlacoche", picture: demoart.DishWith("1f959", "1f33d"), price: 4800, stock: 12,
			description: "Huitlacoche guisado con cebolla y epazote, con queso Oaxaca en tortilla azul hecha a mano."},
		{name: "Quesadilla de chicharrón prensado", picture: demoart.DishWith("1f959", "1f953"), price: 4500,
			description: "Chicharrón prensado en salsa roja con queso Oaxaca, en tortilla de maíz recién salida del comal."},
		{name: "Volcán de bistec", picture: demoart.DishWith("1fad3", "1f30b"), price: 4000,
			description: "Tostada con queso gratinado y bistec a la plancha, coronada con salsa roja de la casa."},
	}},
	{name: "Bebidas", products: []demoProduct{
		{name: "Agua de horchata (1 litro)", picture: demoart.DishWith("1f95b", "1f35a"), price: 4000,
			description: "Horchata de arroz con canela preparada en casa todos los días y servida bien fría."},
		{name: "Agua de jamaica (1 litro)", picture: demoart.DishWith("1f379", "1f33a"), price: 4000,
			description: "Agua fresca de flor de jamaica, ligeramente dulce y muy refrescante."},
		{name: "Agua de tamarindo (1 litro)", picture: demoart.DishWith("1f9cb", "1fad8"), price: 4000,
			description: "Agua fresca de tamarindo natural con su toque agridulce, hecha con pulpa de verdad."},
		{name: "Refresco de vidrio (355 ml)", picture: demoart.DishWith("1f964", "1f9ca"), price: 3000,
			description: "Refresco bien frío en botella de vidrio; pregúntanos por los sabores del día."},
		{name: "Limonada mineral", picture: demoart.DishWith("1f9c3", "1f34b"), price: 3500,
			description: "Limón recién exprimido con agua mineral y un toque de azúcar, ideal para acompañar los tacos."},
		{name: "Café de olla", picture: demoart.Dish("2615"), price: 3000,
			description: "Café de olla endulzado con piloncillo y canela, como el de la abuela."},
	}},
	{name: "Postres", products: []demoProduct{
		{name: "Flan napolitano", picture: demoart.Dish("1f36e"), price: 4500,
			description: "Flan cremoso de queso crema con caramelo dorado, hecho en casa."},
		{name: "Arroz con leche", picture: demoart.DishWith("1f35a", "1f95b"), price: 3500,
			description: "Arroz con leche cremoso con canela y pasitas, servido bien frío."},
		{name: "Churros con cajeta (3 piezas)", picture: demoart.DishWith("1f369", "1f36f"), price: 4500, compareAt: 5500,
			description: "Churros recién fritos con azúcar y canela, acompañados de cajeta de Celaya para sopear."},
		{name: "Pastel de tres leches", picture: demoart.DishWith("1f370", "1f95b"), price: 5500,
			description: "Rebanada de pastel esponjoso bañado en tres leches y cubierto con crema batida."},
	}},
}
