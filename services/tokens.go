package services

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// newToken returns a random URL-safe token and its SHA-256 hex hash; only the
// hash is stored.
func newToken() (raw, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error())
	}
	raw = base64.RawURLEncoding.EncodeToString(b)
	return raw, HashToken(raw)
}

// HashToken is the stored form of a session or link token.
func HashToken(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

// Signer signs email-link tokens with the platform secret so a tampered link
// is refused before any database lookup.
type Signer struct{ key []byte }

// NewSigner returns a Signer over key.
func NewSigner(key []byte) *Signer { return &Signer{key: key} }

func (s *Signer) mac(purpose, raw string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(raw))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Sign returns "raw.signature" for a link of purpose.
func (s *Signer) Sign(purpose, raw string) string { return raw + "." + s.mac(purpose, raw) }

// Verify returns the raw token of a signed link, or false when the link was
// altered or signed for another purpose.
func (s *Signer) Verify(purpose, signed string) (string, bool) {
	raw, sig, ok := strings.Cut(signed, ".")
	if !ok || raw == "" {
		return "", false
	}
	if !hmac.Equal([]byte(sig), []byte(s.mac(purpose, raw))) {
		return "", false
	}
	return raw, true
}
