package services

import (
	"strings"
	"unicode"

	"github.com/qubly/qubly/domain"
)

// DetectIntent tells what a shopper's message to a store's assistant is
// about, in Spanish or English, ignoring case and accents and tolerating
// slang ("a q hora abren", "cuanto sale") and one typo in a word of five
// letters or more (two from eight: "trasferencia", "horaio").
//
// A message may ask several things ("¿cuánto cuesta el envío?"). The cues
// found are weighed in this order, first match wins:
//
//  1. delivery, payment, hours, reviews: a question about a store fact
//     (the fee of the delivery is a delivery question, "can I pay the latte
//     by card" a payment one);
//  2. browse ("¿qué tienen?", "menú", "lista de precios"): the whole menu;
//  3. price ("cuánto cuesta el latte");
//  4. other: a contact, invoice, job or complaint request ("¿tienen
//     factura?");
//  5. product: an explicit product cue ("¿tienen…?", "ingredientes",
//     "vegano") or, failing every other cue, any word that may name a
//     product ("tacos al pastor"); with no such word (greetings, thanks,
//     nothing to go by) the message is other.
//
// Weak cues ("hoy", "sale", "opciones") only count when no strong cue is
// present. The store facts travel in every context, so a second question
// in the message is still answerable.
func DetectIntent(message string) domain.Intent {
	words := intentWords(message)
	strong, weak := map[domain.Intent]bool{}, map[domain.Intent]bool{}
	if strings.Contains(message, "$") {
		strong[domain.IntentPrice] = true
	}
	for _, c := range intentCues {
		if matchCue(words, c.words) {
			if c.weak {
				weak[c.intent] = true
			} else {
				strong[c.intent] = true
			}
		}
	}
	for _, set := range []map[domain.Intent]bool{strong, weak} {
		for _, in := range intentPriority {
			if set[in] {
				return in
			}
		}
	}
	if hasContentWord(words) {
		return domain.IntentProduct
	}
	return domain.IntentOther
}

// intentPriority is the order in which cues found in one message win.
var intentPriority = []domain.Intent{
	domain.IntentDelivery, domain.IntentPayment, domain.IntentHours, domain.IntentReviews,
	domain.IntentBrowse, domain.IntentPrice, domain.IntentOther, domain.IntentProduct,
}

// intentWords folds message into words of letters and digits, with chat
// shorthand spelled out ("q" → "que", "hrs" → "horas").
func intentWords(message string) []string {
	words := strings.FieldsFunc(domain.Fold(message), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, w := range words {
		if long, ok := slang[w]; ok {
			words[i] = long
		}
	}
	return words
}

// slang spells out shorthand people type in chats.
var slang = map[string]string{
	"q": "que", "k": "que", "ke": "que", "qe": "que", "xq": "porque", "pq": "porque",
	"hrs": "horas", "hr": "hora", "hras": "horas", "d": "de", "x": "por", "tb": "tambien",
	"tmb": "tambien", "tdc": "tarjeta", "tdd": "tarjeta", "info": "informacion",
	"u": "you", "ur": "your", "r": "are", "pls": "please", "plz": "please", "thx": "thanks",
	"whats": "what", "wat": "what", "hw": "how", "cuant": "cuanto", "cuanta": "cuanto",
	"cuantos": "cuanto", "cuantas": "cuanto", "kuanto": "cuanto", "qto": "cuanto",
}

// intentCue is a word or phrase that points at an intent. A word ending in
// "*" is a stem: it matches any word it begins ("envi*": envío, enviar).
type intentCue struct {
	intent domain.Intent
	words  []string
	weak   bool
}

// cuesOf builds the cues of intent from phrases of space-separated words.
func cuesOf(intent domain.Intent, weak bool, phrases ...string) []intentCue {
	out := make([]intentCue, len(phrases))
	for i, p := range phrases {
		out[i] = intentCue{intent: intent, words: strings.Fields(p), weak: weak}
	}
	return out
}

// intentCues is the keyword table, folded (no accents, lower case).
var intentCues = concatCues(
	cuesOf(domain.IntentDelivery, false,
		"envio", "envios", "envian", "enviar", "envias", "envi*", "domicilio", "domicilios", "domicil*",
		"entrega", "entregas", "entregan", "entregar", "entreg*", "reparto", "repart*", "repartidor",
		"llevan", "lleven", "mandan", "manden", "recoger", "recojo", "recog*", "pasar por", "paso por",
		"para llevar", "direccion", "ubicacion", "ubicados", "donde estan", "donde quedan", "donde se ubican",
		"sucursal", "local", "pedido minimo", "minimo", "tarda", "tardan", "llega", "llegan",
		"deliver", "delivery", "deliveries", "delivers", "shipping", "ship", "ships", "pickup", "pick up",
		"takeout", "take away", "address", "location", "located", "where are you", "minimum order", "minimum",
		"how long", "arrive"),
	cuesOf(domain.IntentPayment, false,
		"pago", "pagos", "pagar", "pagan", "pague", "pagas", "pagarles", "tarjeta", "tarjetas", "efectivo",
		"transferencia", "transferencias", "transferir", "transfer*", "deposito", "depositar", "spei",
		"oxxo", "mercado pago", "credito", "debito", "visa", "mastercard", "amex", "paypal", "terminal",
		"pay", "payment", "payments", "paying", "card", "cards", "cash", "credit", "debit", "wire"),
	cuesOf(domain.IntentPayment, false, "que aceptan", "que reciben", "what do you accept"),
	cuesOf(domain.IntentHours, false,
		"hora", "horas", "horario", "horarios", "abren", "abre", "abierto", "abiertos", "abierta", "abrir",
		"cierran", "cierra", "cerrado", "cerrados", "cerrar", "que dias", "dias abren", "atienden",
		"domingo", "domingos", "sabado", "sabados", "festivo", "festivos",
		"hours", "open", "opening", "opens", "close", "closed", "closing", "closes", "what time",
		"sunday", "saturday", "schedule"),
	cuesOf(domain.IntentHours, true, "hoy", "manana", "ahorita", "today", "tomorrow", "now"),
	cuesOf(domain.IntentReviews, false,
		"opinion", "opiniones", "opinan", "dicen de", "que dicen", "resena", "resenas", "comentarios", "calificacion", "calificaciones",
		"estrellas", "que tal son", "que tal es", "que tal estan", "que tal esta", "que tal los", "que tal las",
		"que tal el", "que tal la", "son buenos", "es bueno",
		"recomiendan", "recomendable", "recomiendas", "vale la pena", "confiables", "confiable",
		"review", "reviews", "rating", "ratings", "stars", "opinions", "recommend", "recommended",
		"is it good", "are they good", "any good", "worth it", "trustworthy", "lo mejor", "mas vendido",
		"mas pedido", "favorito", "favoritos", "what s good", "best seller", "bestseller", "popular",
		"favorite", "favourite"),
	cuesOf(domain.IntentBrowse, false,
		"que tienen", "que venden", "que hay", "que ofrecen", "que manejan", "que productos", "que mas tienen",
		"menu", "carta", "catalogo", "productos", "lista de precios", "todos los precios", "todo lo que",
		"what do you sell", "what do you have", "what you sell", "what you have", "what have you got",
		"what do you offer", "what s on", "what is on", "catalog", "catalogue", "products", "price list",
		"all prices", "everything"),
	cuesOf(domain.IntentBrowse, true, "opciones", "variedad", "tipos", "options", "selection"),
	cuesOf(domain.IntentPrice, false,
		"cuanto", "precio", "precios", "cuesta", "cuestan", "costo", "costos", "cuestas", "valen",
		"a como", "cobran", "barato", "caro", "oferta", "ofertas", "descuento", "descuentos", "promocion",
		"promociones", "how much", "price", "prices", "cost", "costs", "pricing", "cheap", "expensive",
		"discount", "deal", "deals"),
	cuesOf(domain.IntentPrice, true, "sale", "vale"),
	cuesOf(domain.IntentProduct, false,
		"tienen", "tienes", "venden", "vendes", "hay", "manejan", "ingredientes", "ingrediente", "lleva",
		"contiene", "picante", "pica", "vegano", "vegana", "vegetariano", "vegetariana", "gluten",
		"sabor", "sabores", "tamano", "tamanos", "talla", "tallas", "color", "colores", "disponible",
		"agotado", "existencia",
		"do you have", "do you sell", "is there", "are there", "ingredients", "spicy", "vegan",
		"vegetarian", "flavor", "flavors", "flavour", "flavours", "size", "sizes", "available", "in stock",
		"sold out"),
	cuesOf(domain.IntentOther, false,
		"telefono", "contacto", "correo", "email", "factura", "facturar", "trabajo", "empleo", "vacante",
		"queja", "reclamo", "humano", "agente", "gerente", "hablar con",
		"phone", "contact", "invoice", "job", "complaint", "human", "agent", "manager", "talk to"),
)

// knownWords are words spelled right that are not typos of a cue: every
// cue and stop word, and near neighbours of cues ("cuando" is not "cuanto").
var knownWords = func() map[string]bool {
	m := wordSet("cuando", "cuenta", "cuento", "ahora", "previo", "cosas", "casa", "pasos", "carga",
		"calor", "abran", "pasas", "pasa", "pasan", "cierto", "pague", "hablar", "where", "there", "those", "these", "cast", "card")
	for _, c := range intentCues {
		for _, w := range c.words {
			if !strings.HasSuffix(w, "*") {
				m[w] = true
			}
		}
	}
	for w := range stopWords {
		m[w] = true
	}
	return m
}()

func concatCues(lists ...[]intentCue) []intentCue {
	var out []intentCue
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// matchCue reports whether the phrase occurs in words, word after word.
func matchCue(words, phrase []string) bool {
	for i := 0; i+len(phrase) <= len(words); i++ {
		ok := true
		for j, p := range phrase {
			if !wordMatches(words[i+j], p) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// wordMatches compares a message word with a cue word: equal, the stem of
// a "*" cue, or within typoBudget edits.
func wordMatches(w, cue string) bool {
	if stem, ok := strings.CutSuffix(cue, "*"); ok {
		return strings.HasPrefix(w, stem)
	}
	if w == cue {
		return true
	}
	if knownWords[w] {
		return false
	}
	k := typoBudget(len(cue))
	return k > 0 && editDistanceWithin(w, cue, k)
}

// typoBudget is how many edits a word of n letters may carry: none up to
// four letters ("hora" is not "hola"), one up to seven, two beyond.
func typoBudget(n int) int {
	switch {
	case n <= 4:
		return 0
	case n <= 7:
		return 1
	}
	return 2
}

// editDistanceWithin reports whether a and b are at most k edits apart
// (insertions, deletions, substitutions and swaps of neighbours, the
// optimal string alignment distance), on bytes: folded words are ASCII but
// for scripts Fold leaves alone, where a rune is more than one edit.
func editDistanceWithin(a, b string, k int) bool {
	if d := len(a) - len(b); d > k || -d > k || len(a) > 32 || len(b) > 32 {
		return false
	}
	// An edit changes the count of at most two letters by one each (a
	// swap none), so words whose letter counts differ by more than 2k are
	// further apart; most pairs end here, before the table.
	var counts [32]int8
	for i := 0; i < len(a); i++ {
		counts[a[i]&31]++
	}
	for i := 0; i < len(b); i++ {
		counts[b[i]&31]--
	}
	diff := 0
	for _, c := range counts {
		diff += int(max(c, -c))
	}
	if diff > 2*k {
		return false
	}
	var rows [3][33]uint8
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = uint8(j)
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = uint8(i)
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := uint8(1)
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		if int(best) > k {
			return false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return int(prev[len(b)]) <= k
}

// stopWords are words that name no product, in both languages.
var stopWords = wordSet(
	"que", "de", "del", "la", "el", "los", "las", "lo", "un", "una", "unos", "unas", "y", "o", "en", "con",
	"por", "para", "a", "al", "se", "su", "sus", "me", "mi", "mis", "te", "tu", "tus", "es", "son", "esta",
	"estan", "hay", "tienen", "tiene", "tienes", "quiero", "queria", "quisiera", "puedo", "puede", "pueden",
	"buenas", "buenos", "buen", "dias", "tardes", "noches", "ok", "si", "no", "favor", "porfa", "porfavor",
	"oye", "disculpa", "saber", "gustaria", "como", "cual", "cuales", "algo", "alguno", "alguna", "ustedes",
	"usted", "hola", "gracias", "onda", "tal", "venden", "vendes", "manejan", "lleva", "contiene",
	"disponible", "disponibles", "available", "sells", "muy", "mas", "bien", "le", "les", "nos", "ya", "pero", "porque", "tambien",
	"the", "an", "is", "are", "do", "does", "you", "your", "i", "we", "have", "has", "any", "of", "for",
	"to", "and", "or", "in", "on", "with", "can", "could", "please", "hi", "hello", "hey", "thanks",
	"thank", "yes", "what", "how", "is", "it", "this", "that", "there", "want", "would", "like", "get",
	"some", "my", "me", "be", "am", "was", "sell", "much", "many",
)

func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// hasContentWord reports whether words hold one that may name a product:
// three letters or more and not a stop word.
func hasContentWord(words []string) bool {
	for _, w := range words {
		if len(w) >= 3 && !stopWords[w] {
			return true
		}
	}
	return false
}
