package app

import (
	"fmt"
	"html/template"
	"io"
	"sync"

	"github.com/gofiber/template/html/v2"
)

// contentBlock is the block a layout leaves for its page:
// {{block "content" .}}{{end}}.
const contentBlock = "content"

// views renders the pages for Fiber with Go's own template composition: a
// page rendered in a layout runs as a template set of its own where the
// layout's "content" block is the page. The html engine still parses the
// files (and renders pages without a layout), but its layouts are not used:
// they take a global write lock for every render, so pages could not render
// in parallel.
type views struct {
	*html.Engine
	reload bool

	mu    sync.Mutex         // serialises loading and composing
	base  *template.Template // every file, never executed: cloned per page
	pages sync.Map           // layout + "\x00" + page → *template.Template
}

// Load parses the templates again and forgets the composed pages. Without
// reload the templates never change: once parsed, Load keeps them (Fiber
// calls it for every app, and the embedded engine is shared).
func (v *views) Load() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.reload && v.base != nil {
		return nil
	}
	return v.load()
}

func (v *views) load() error {
	if err := v.Engine.Load(); err != nil {
		return err
	}
	base, err := v.Engine.Templates.Clone()
	if err != nil {
		return fmt.Errorf("clone templates: %w", err)
	}
	v.base = base
	v.pages.Clear()
	return nil
}

// Render writes page name with data, inside layout (its first element) if
// one is given.
func (v *views) Render(w io.Writer, name string, data any, layout ...string) error {
	if len(layout) == 0 || layout[0] == "" {
		return v.Engine.Render(w, name, data)
	}
	t, err := v.page(name, layout[0])
	if err != nil {
		return err
	}
	return t.Execute(w, data)
}

// page returns layout composed with page name, composing it on first use
// (on every use when templates are reloaded from disk).
func (v *views) page(name, layout string) (*template.Template, error) {
	key := layout + "\x00" + name
	if !v.reload {
		if t, ok := v.pages.Load(key); ok {
			return t.(*template.Template), nil
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.reload {
		if err := v.load(); err != nil {
			return nil, err
		}
	} else if t, ok := v.pages.Load(key); ok {
		return t.(*template.Template), nil
	}
	set, err := v.base.Clone()
	if err != nil {
		return nil, fmt.Errorf("render: clone templates for %s: %w", name, err)
	}
	page, lay := set.Lookup(name), set.Lookup(layout)
	if page == nil || page.Tree == nil {
		return nil, fmt.Errorf("render: template %s does not exist", name)
	}
	if lay == nil {
		return nil, fmt.Errorf("render: layout %s does not exist", layout)
	}
	if _, err := set.AddParseTree(contentBlock, page.Tree.Copy()); err != nil {
		return nil, fmt.Errorf("render: compose %s in %s: %w", name, layout, err)
	}
	v.pages.Store(key, lay)
	return lay, nil
}
