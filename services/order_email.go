package services

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/qubly/qubly/domain"
)

// orderMail is the owner's "new order" email, rendered before the order has
// its code and ID (placeholders stand in for them until fill).
type orderMail struct{ email *domain.OutboxEmail }

// Placeholders of the order's code and ID in a rendered email: random per
// process, so no text a shopper types can collide with them.
var orderCodeMark, orderIDMark = "qc" + NewIdempotencyKey(), "qi" + NewIdempotencyKey()

// ownerEmail renders the "new order" email of o to the owner of store biz,
// or returns nil when the store has no owner (logged) or no email is sent.
func (s *Orders) ownerEmail(ctx context.Context, biz *domain.Business, o *domain.Order) (*orderMail, error) {
	owner, err := s.repo.Owner(ctx, biz.ID)
	if errors.Is(err, domain.ErrNotFound) {
		s.log.Warn("new order: store has no owner to notify", "business_id", biz.ID)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load store owner: %w", err)
	}
	code, id := o.Code, o.ID
	o.Code, o.ID = orderCodeMark, 0
	data := s.emailData(biz, o, owner.Name)
	o.Code, o.ID = code, id
	data["Link"] = s.baseURL + strings.Replace(orderDashboardPathFmt, "%d", orderIDMark, 1)
	e, err := s.emails.Render(owner.Email, owner.Locale, orderEmailTemplate, data)
	if e == nil || err != nil {
		return nil, err
	}
	return &orderMail{email: e}, nil
}

// fill puts the stored order's code and ID in place of the placeholders.
func (m *orderMail) fill(o *domain.Order) {
	r := strings.NewReplacer(orderCodeMark, o.Code, orderIDMark, strconv.FormatInt(o.ID, 10))
	m.email.Subject = r.Replace(m.email.Subject)
	m.email.HTMLBody = r.Replace(m.email.HTMLBody)
	m.email.TextBody = r.Replace(m.email.TextBody)
}

// emailData is what templates/emails/new_order.* show.
func (s *Orders) emailData(b *domain.Business, o *domain.Order, ownerName string) map[string]any {
	type line struct {
		Name     string
		Options  string
		Quantity int
		Total    string
	}
	lines := make([]line, 0, len(o.Items))
	for _, it := range o.Items {
		names := make([]string, 0, len(it.Options))
		for _, op := range it.Options {
			names = append(names, op.Name)
		}
		lines = append(lines, line{Name: it.ProductName, Options: strings.Join(names, ", "), Quantity: it.Quantity, Total: it.LineTotalCents.Pesos()})
	}
	return map[string]any{
		"Name": ownerName, "Store": b.Name, "Code": o.Code, "Customer": o.CustomerName, "Phone": o.CustomerPhone,
		"Fulfillment": string(o.Fulfillment), "Address": o.Address, "Payment": string(o.PaymentMethod),
		"Notes": o.Notes, "Items": lines, "Subtotal": o.SubtotalCents.Pesos(),
		"DeliveryFee": o.DeliveryFeeCents.Pesos(), "HasDeliveryFee": o.DeliveryFeeCents > 0,
		"Total": o.TotalCents.Pesos(), "Link": s.baseURL + fmt.Sprintf(orderDashboardPathFmt, o.ID),
		"CashWith": cashWith(o),
	}
}
