package llm

import (
	"context"
	"time"
)

// SetSleep replaces c's wait between tries, so tests record the waits
// instead of spending them.
func SetSleep(c *Client, sleep func(context.Context, time.Duration) error) { c.sleep = sleep }
