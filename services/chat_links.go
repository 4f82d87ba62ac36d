package services

import (
	"regexp"
	"strings"
)

// chatLinks keeps the links of a reply that point at the store itself (its
// pages, its wa.me link) and removes every other: an LLM talked into it, or
// wrong, must not send shoppers elsewhere.
type chatLinks struct {
	allowed []string // lower-case prefixes without the scheme
}

// linkPattern finds what a reader would take for a link: a URL with a
// scheme, a www. address, or a bare domain with a common top-level domain.
var linkPattern = regexp.MustCompile(`(?i)(?:https?://|www\.)[^\s<>"'()\[\]]+|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|mx|io|co|me|info|biz|xyz|app|shop|store|site|online|link|ly|gl|to|us|ru|cn|tk)\b(?:/[^\s<>"'()\[\]]*)?`)

// newChatLinks allows the store's URL (and its product pages under it) and
// its WhatsApp link, as k gives them.
func newChatLinks(k *ChatKnowledge) *chatLinks {
	l := &chatLinks{}
	for _, u := range []string{k.Store.URL, k.Store.WhatsAppURL} {
		if u != "" {
			l.allowed = append(l.allowed, bareLink(u))
		}
	}
	return l
}

// bareLink is u lower-cased without its scheme and "www.".
func bareLink(u string) string {
	u = strings.ToLower(u)
	for _, p := range []string{"https://", "http://", "www."} {
		u = strings.TrimPrefix(u, p)
	}
	return u
}

// allows reports whether link is the store's: an allowed address itself or
// a path under it.
func (l *chatLinks) allows(link string) bool {
	b := strings.TrimRight(bareLink(link), ".,;:!?")
	for _, a := range l.allowed {
		if b == a || strings.HasPrefix(b, a+"/") || strings.HasPrefix(b, a+"?") {
			return true
		}
	}
	return false
}

// Clean removes the links of text that are not the store's.
func (l *chatLinks) Clean(text string) string {
	if !linkPattern.MatchString(text) {
		return text
	}
	out := linkPattern.ReplaceAllStringFunc(text, func(link string) string {
		if l.allows(link) {
			return link
		}
		return ""
	})
	// Tidy what a removed link leaves: "en  ." and empty brackets.
	out = strings.NewReplacer("()", "", "[]", "", "<>", "").Replace(out)
	for strings.Contains(out, "  ") {
		out = strings.ReplaceAll(out, "  ", " ")
	}
	return strings.ReplaceAll(out, " .", ".")
}

// linkStream passes a streamed reply on word by word, cleaned of links: it
// holds back the text after the last space, which may be the start of a
// link, until the next space or Flush.
type linkStream struct {
	links   *chatLinks
	out     func(string) error
	pending strings.Builder
}

// Write takes the next piece of the reply.
func (s *linkStream) Write(delta string) error {
	s.pending.WriteString(delta)
	text := s.pending.String()
	i := strings.LastIndexAny(text, " \n\t")
	if i < 0 {
		return nil
	}
	s.pending.Reset()
	s.pending.WriteString(text[i+1:])
	return s.out(s.links.Clean(text[:i+1]))
}

// Flush passes on what is held back.
func (s *linkStream) Flush() error {
	if s.pending.Len() == 0 {
		return nil
	}
	text := s.pending.String()
	s.pending.Reset()
	return s.out(s.links.Clean(text))
}
