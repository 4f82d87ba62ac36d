package app

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/gofiber/template/html/v2"

	"github.com/qubly/qubly"
	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/handlers/system"
	"github.com/qubly/qubly/services"
)

var embeddedViews struct {
	once sync.Once
	v    *views
	err  error
}

// embeddedEngine is newEngine over the embedded templates and static files,
// made once per process and shared by its apps (the tests build hundreds):
// the files never change and the engine is safe for concurrent renders.
func embeddedEngine() (*views, error) {
	embeddedViews.once.Do(func() {
		embeddedViews.v, embeddedViews.err = newEngine(subFS(qubly.Templates, "templates"), subFS(qubly.Static, "static"), false)
	})
	return embeddedViews.v, embeddedViews.err
}

// newEngine parses the page templates and registers the functions they use.
func newEngine(templates, static fs.FS, reload bool) (*views, error) {
	icons, err := loadIcons(static)
	if err != nil {
		return nil, err
	}
	versions, err := assetVersions(static)
	if err != nil {
		return nil, err
	}
	engine := html.NewFileSystem(http.FS(templates), ".html")
	engine.Reload(reload)
	engine.AddFuncMap(template.FuncMap{
		// icon inlines a vendored Lucide SVG.
		"icon": func(name string) template.HTML { return icons[name] },
		// asset is the URL of a static file with a content version, so it can be cached for a year.
		"asset": func(path string) string {
			if v, ok := versions[path]; ok {
				return "/static/" + path + "?v=" + v
			}
			return "/static/" + path
		},
		"dict":  dict,
		"limit": limit,
		"links": system.Links,
		"pesos": func(m domain.Money) string { return m.Pesos() },
		// phone shows a stored E.164 number as people read it ("33 1234 5678").
		"phone": services.FormatPhone,
		// t exists only so the email templates under templates/emails, which
		// the engine also reads, parse; pages translate with .L.T.
		"t": func(id string, _ ...any) string { return id },
	})
	v := &views{Engine: engine, reload: reload}
	if err := v.Load(); err != nil {
		return nil, fmt.Errorf("load templates: %w", err)
	}
	return v, nil
}

// limit is the input limit domain.Limits names, for maxlength and
// minlength: {{limit "ProductName"}}. An unknown name fails the render.
func limit(name string) (int, error) {
	n, ok := domain.Limits[name]
	if !ok {
		return 0, fmt.Errorf("limit: no limit named %q", name)
	}
	return n, nil
}

func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

var (
	svgComment = regexp.MustCompile(`(?s)<!--.*?-->\s*`)
	spaces     = regexp.MustCompile(`\s+`)
)

// loadIcons reads vendor/lucide/*.svg once, marked decorative and styled by .icon.
func loadIcons(static fs.FS) (map[string]template.HTML, error) {
	paths, err := fs.Glob(static, "vendor/lucide/*.svg")
	if err != nil {
		return nil, err
	}
	icons := make(map[string]template.HTML, len(paths))
	for _, p := range paths {
		raw, err := fs.ReadFile(static, p)
		if err != nil {
			return nil, err
		}
		s := svgComment.ReplaceAllString(string(raw), "")
		s = strings.TrimSpace(spaces.ReplaceAllString(s, " "))
		s = strings.Replace(s, `class="lucide `, `aria-hidden="true" focusable="false" class="icon lucide `, 1)
		name := strings.TrimSuffix(p[strings.LastIndex(p, "/")+1:], ".svg")
		icons[name] = template.HTML(s)
	}
	return icons, nil
}

// assetVersions hashes every static file so URLs change when content does.
func assetVersions(static fs.FS) (map[string]string, error) {
	versions := map[string]string{}
	err := fs.WalkDir(static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		versions[p] = hex.EncodeToString(sum[:])[:10]
		return nil
	})
	return versions, err
}
