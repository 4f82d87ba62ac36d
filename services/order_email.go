package services

import (
	"fmt"
	"strings"

	"github.com/qubly/qubly/domain"
)

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
