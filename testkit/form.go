package testkit

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// ServedForm parses page and returns the fields of the form posting to
// action exactly as a browser would send them untouched: inputs with their
// values (checkboxes and radios only when checked, "on" without a value),
// each select's selected option (or its first), textareas' text. Buttons,
// file inputs and disabled fields are left out, as a browser does.
func ServedForm(t testing.TB, page, action string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("parse page: %v", err)
	}
	var form *html.Node
	var find func(n *html.Node)
	find = func(n *html.Node) {
		if form != nil {
			return
		}
		if n.Type == html.ElementNode && n.Data == "form" && attr(n, "action") == action {
			form = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if form == nil {
		t.Fatalf("no form posting to %s", action)
	}
	values := url.Values{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if name := attr(n, "name"); name != "" && !hasAttr(n, "disabled") {
				addField(values, n, name)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	return values
}

// addField adds what element n named name sends with its form.
func addField(values url.Values, n *html.Node, name string) {
	switch n.Data {
	case "input":
		switch strings.ToLower(attr(n, "type")) {
		case "submit", "button", "reset", "image", "file":
		case "checkbox", "radio":
			if hasAttr(n, "checked") {
				v := attr(n, "value")
				if !hasAttr(n, "value") {
					v = "on"
				}
				values.Add(name, v)
			}
		default:
			values.Add(name, attr(n, "value"))
		}
	case "textarea":
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(c.Data)
		}
		values.Add(name, strings.TrimPrefix(b.String(), "\n"))
	case "select":
		var first, selected *html.Node
		var options func(n *html.Node)
		options = func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "option" {
				if first == nil {
					first = n
				}
				if selected == nil && hasAttr(n, "selected") {
					selected = n
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				options(c)
			}
		}
		options(n)
		if selected == nil {
			selected = first
		}
		if selected != nil {
			v := attr(selected, "value")
			if !hasAttr(selected, "value") && selected.FirstChild != nil {
				v = strings.TrimSpace(selected.FirstChild.Data)
			}
			values.Add(name, v)
		}
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}
