package repositories

import (
	"context"
	"time"

	"github.com/qubly/qubly/domain"
)

// MarkTrialReminded records that businessID's "trial ends soon" email was
// queued at at, if the business is still in trial and was not reminded yet;
// it reports whether it did. Call it in the transaction that queues the
// email: of two runs, only the one that marks the row sends it (on
// PostgreSQL the second UPDATE waits for the first's commit and then finds
// the row reminded).
func (r *Subscriptions) MarkTrialReminded(ctx context.Context, businessID int64, at time.Time) (bool, error) {
	res := conn(ctx, r.db).Unscoped().Model(&domain.Business{}).
		Where("id = ? AND subscription_status = ? AND trial_reminded_at IS NULL", businessID, domain.SubscriptionTrial).
		Updates(map[string]any{"trial_reminded_at": at, "updated_at": clockNow(r.db)})
	if res.Error != nil {
		return false, mapErr(res.Error)
	}
	return res.RowsAffected == 1, nil
}
