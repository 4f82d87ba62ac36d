package stripe

import (
	"context"
	"fmt"

	stripego "github.com/stripe/stripe-go/v76"

	"github.com/qubly/qubly/domain"
)

// CreditBalance gives customerID a customer balance credit of amount
// (positive centavos) in currency, taken off its next invoices: a negative
// balance transaction with description. Stripe answers a retry with the
// same idempotencyKey (within 24 hours) with the first call's transaction,
// so a retry never credits twice. It returns the transaction's ID.
func (c *Client) CreditBalance(ctx context.Context, customerID string, amount domain.Money, currency, description, idempotencyKey string) (string, error) {
	if amount <= 0 {
		return "", fmt.Errorf("stripe credit for %s: amount %d is not positive", customerID, amount)
	}
	params := &stripego.CustomerBalanceTransactionParams{
		Customer:    stripego.String(customerID),
		Amount:      stripego.Int64(-int64(amount)),
		Currency:    stripego.String(currency),
		Description: stripego.String(description),
	}
	params.Context = ctx
	params.SetIdempotencyKey(idempotencyKey)
	tx, err := c.api.CustomerBalanceTransactions.New(params)
	if err != nil {
		return "", fmt.Errorf("stripe credit for %s: %w", customerID, err)
	}
	return tx.ID, nil
}
