package services

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/qubly/qubly/domain"
)

// Settings keys of the platform values an admin may change (the robots.txt
// text is RobotsKey).
const (
	TrialDaysKey     = "trial_days"
	GraceDaysKey     = "grace_days"
	RewardPercentKey = "referral_reward_percent"
)

// Bounds of the platform settings form.
const (
	MinTrialDays, MaxTrialDays         = 1, 90
	MinGraceDays, MaxGraceDays         = 0, 30
	MinRewardPercent, MaxRewardPercent = 0, 100
)

// PlatformValues are the platform's billing values an admin may change.
type PlatformValues struct {
	TrialDays     int
	GraceDays     int
	RewardPercent int
}

// Rules are the trial and grace lengths of v.
func (v PlatformValues) Rules() domain.BillingRules {
	return domain.BillingRules{TrialDays: v.TrialDays, GraceDays: v.GraceDays}
}

// PlatformSettingsInput is the settings form as typed.
type PlatformSettingsInput struct {
	TrialDays, GraceDays, RewardPercent, Robots string
}

// PlatformSettingsView is what the settings page shows: the values in
// force, the defaults from the config, and the robots.txt text served
// (without its Sitemap line) and its default.
type PlatformSettingsView struct {
	Current, Defaults          PlatformValues
	Robots, DefaultRobots      string
	RobotsCustom               bool
	MaxRobotsLen               int
	MinTrial, MaxTrial         int
	MinGrace, MaxGrace         int
	MinRewardPct, MaxRewardPct int
}

// PlatformSettingsRepo keeps platform settings by key (repositories.Settings):
// the values below and the robots.txt text (Robots).
type PlatformSettingsRepo interface {
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string, now time.Time) error
}

// PlatformSettingsDeps groups what NewPlatformSettings needs.
type PlatformSettingsDeps struct {
	Repo  PlatformSettingsRepo
	Tx    Transactor
	Audit *Audit
	Clock Clock
	Log   *slog.Logger
	// Defaults apply to every value not stored (TRIAL_DAYS, GRACE_DAYS,
	// REFERRAL_REWARD_PERCENT).
	Defaults PlatformValues
	// OnChange, if set, is called after the values in force changed (a save
	// here, or a reload that found another instance's save).
	OnChange func(old, cur PlatformValues)
}

// PlatformSettings owns the platform settings an admin changes on
// /admin/settings: trial length, grace period, referral reward and the
// robots.txt text. They live in the settings table; the billing values are
// read from an in-memory snapshot (no query per request), loaded by Reload
// at start, after each save here, and periodically (Run) so that every
// instance picks up a save made on another one.
type PlatformSettings struct {
	repo     PlatformSettingsRepo
	tx       Transactor
	audit    *Audit
	clock    Clock
	log      *slog.Logger
	defaults PlatformValues
	onChange func(old, cur PlatformValues)
	cur      atomic.Pointer[PlatformValues]
}

// NewPlatformSettings returns the platform settings with the defaults in
// force until Reload reads the stored values.
func NewPlatformSettings(d PlatformSettingsDeps) *PlatformSettings {
	s := &PlatformSettings{
		repo: d.Repo, tx: d.Tx, audit: d.Audit, clock: d.Clock, log: d.Log,
		defaults: d.Defaults, onChange: d.OnChange,
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	def := d.Defaults
	s.cur.Store(&def)
	return s
}

// Current are the values in force (the snapshot; no query).
func (s *PlatformSettings) Current() PlatformValues { return *s.cur.Load() }

// BillingRules are the trial and grace lengths in force.
func (s *PlatformSettings) BillingRules() domain.BillingRules { return s.Current().Rules() }

// RewardPercent is the referral reward in force (percent of one month).
func (s *PlatformSettings) RewardPercent() int { return s.Current().RewardPercent }

// Reload reads the stored values into the snapshot. A value missing (or
// unreadable, which is logged) is its default.
func (s *PlatformSettings) Reload(ctx context.Context) error {
	v, err := s.stored(ctx)
	if err != nil {
		return fmt.Errorf("load platform settings: %w", err)
	}
	s.swap(v)
	return nil
}

// Run reloads the snapshot every interval until ctx is done; a failed
// reload is logged and the snapshot kept.
func (s *PlatformSettings) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Reload(ctx); err != nil && ctx.Err() == nil {
				s.log.Log(ctx, errLevel(err), "platform settings not reloaded", "err", err)
			}
		}
	}
}

// swap puts v in force and tells OnChange when it differs.
func (s *PlatformSettings) swap(v PlatformValues) {
	old := s.cur.Swap(&v)
	if *old != v && s.onChange != nil {
		s.onChange(*old, v)
	}
}

// stored reads the values from the database, defaults filling the gaps.
func (s *PlatformSettings) stored(ctx context.Context) (PlatformValues, error) {
	v := s.defaults
	for _, f := range []struct {
		key    string
		dst    *int
		lo, hi int
	}{
		{TrialDaysKey, &v.TrialDays, MinTrialDays, MaxTrialDays},
		{GraceDaysKey, &v.GraceDays, MinGraceDays, MaxGraceDays},
		{RewardPercentKey, &v.RewardPercent, MinRewardPercent, MaxRewardPercent},
	} {
		raw, err := s.repo.Get(ctx, f.key)
		if errors.Is(err, domain.ErrNotFound) {
			continue
		}
		if err != nil {
			return v, err
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < f.lo || n > f.hi {
			s.log.WarnContext(ctx, "platform setting ignored: default used", "key", f.key, "value", raw)
			continue
		}
		*f.dst = n
	}
	return v, nil
}

// View is what the settings page shows, read from the database.
func (s *PlatformSettings) View(ctx context.Context) (PlatformSettingsView, error) {
	cur, err := s.stored(ctx)
	if err != nil {
		return PlatformSettingsView{}, err
	}
	robots, err := storedRobots(ctx, s.repo)
	if err != nil {
		return PlatformSettingsView{}, err
	}
	return PlatformSettingsView{
		Current: cur, Defaults: s.defaults,
		Robots: effectiveRobots(robots), DefaultRobots: DefaultRobots, RobotsCustom: effectiveRobots(robots) != DefaultRobots,
		MaxRobotsLen: MaxRobotsLen,
		MinTrial:     MinTrialDays, MaxTrial: MaxTrialDays, MinGrace: MinGraceDays, MaxGrace: MaxGraceDays,
		MinRewardPct: MinRewardPercent, MaxRewardPct: MaxRewardPercent,
	}, nil
}

// Save validates in and stores what changed, with one audit entry by actor
// in the same transaction; it reports whether anything changed (an
// unchanged form writes nothing). Bad input is a *domain.ValidationError
// and changes nothing. A new trial length applies to sign-ups from now on,
// a new grace period to every past_due store at once, a new reward to
// rewards computed from now on.
func (s *PlatformSettings) Save(ctx context.Context, actor *domain.User, in PlatformSettingsInput) (bool, error) {
	next, robots, verr := readPlatformSettings(in)
	if verr != nil {
		return false, verr
	}
	cur, err := s.stored(ctx)
	if err != nil {
		return false, err
	}
	oldRobots, err := storedRobots(ctx, s.repo)
	if err != nil {
		return false, err
	}
	type change struct{ key, value, detail string }
	var changes []change
	for _, f := range []struct {
		key      string
		old, new int
	}{
		{TrialDaysKey, cur.TrialDays, next.TrialDays},
		{GraceDaysKey, cur.GraceDays, next.GraceDays},
		{RewardPercentKey, cur.RewardPercent, next.RewardPercent},
	} {
		if f.old != f.new {
			changes = append(changes, change{f.key, strconv.Itoa(f.new), fmt.Sprintf("%s: %d → %d", f.key, f.old, f.new)})
		}
	}
	if effectiveRobots(robots) != effectiveRobots(oldRobots) {
		changes = append(changes, change{RobotsKey, robots,
			fmt.Sprintf("%s: %d → %d bytes", RobotsKey, len(effectiveRobots(oldRobots)), len(effectiveRobots(robots)))})
	}
	if len(changes) == 0 {
		return false, nil
	}
	details := make([]string, len(changes))
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		now := s.clock()
		for i, c := range changes {
			if err := s.repo.Set(ctx, c.key, c.value, now); err != nil {
				return fmt.Errorf("save setting %s: %w", c.key, err)
			}
			details[i] = c.detail
		}
		return s.audit.Record(ctx, actor, domain.AuditSettingsChanged, domain.AuditTargetSettings, 0, strings.Join(details, "; "))
	})
	if err != nil {
		return false, err
	}
	s.swap(next)
	return true, nil
}

// readPlatformSettings parses and checks the form: the values, the
// robots.txt text with "\n" line ends, or every field's error.
func readPlatformSettings(in PlatformSettingsInput) (PlatformValues, string, error) {
	v := &domain.ValidationError{}
	out := PlatformValues{
		TrialDays:     whole(v, TrialDaysKey, in.TrialDays, MinTrialDays, MaxTrialDays, "admin_settings.err.days"),
		GraceDays:     whole(v, GraceDaysKey, in.GraceDays, MinGraceDays, MaxGraceDays, "admin_settings.err.days"),
		RewardPercent: whole(v, RewardPercentKey, strings.TrimSuffix(strings.TrimSpace(in.RewardPercent), "%"), MinRewardPercent, MaxRewardPercent, "admin_settings.err.percent"),
	}
	robots, ok := normalizeRobots(in.Robots)
	v.Check(RobotsKey, ok, "admin_settings.err.robots_long", map[string]any{"Max": MaxRobotsLen})
	if err := v.Err(); err != nil {
		return out, "", err
	}
	return out, robots, nil
}

// whole reads raw as a whole number in [lo, hi], recording key (with Min
// and Max) on field when it is not one.
func whole(v *domain.ValidationError, field, raw string, lo, hi int, key string) int {
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	v.Check(field, err == nil && n >= lo && n <= hi, key, map[string]any{"Min": lo, "Max": hi})
	return n
}

// normalizeRobots gives text "\n" line ends and reports whether it may be
// stored: valid UTF-8 of at most MaxRobotsLen bytes.
func normalizeRobots(text string) (string, bool) {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	return text, len(text) <= MaxRobotsLen && utf8.ValidString(text)
}
