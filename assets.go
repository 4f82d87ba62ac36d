// Package qubly embeds the templates and static files so one binary runs
// anywhere; in development they may be read from disk instead.
package qubly

import "embed"

// Templates holds templates/ (layouts, partials, pages and emails).
//
//go:embed templates
var Templates embed.FS

// Static holds static/ (css, js, img, vendor).
//
//go:embed static
var Static embed.FS
