package dashboard_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/qubly/qubly/testkit"
)

// On the photos page "Subir" means only uploading: moving a photo says
// "Mover antes / Mover después", with the photo's number in its label.
func TestPhotoPageWordsAreDistinct(t *testing.T) {
	s := newImagesSetup(t)
	for i := 0; i < 2; i++ {
		if r := upload(s.c, s.path(), "taco.jpg", "image/jpeg", testkit.JPEG(t, 64, 64)); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d", r.StatusCode)
		}
	}
	body := s.c.Get(s.path()).Body
	buttons := regexp.MustCompile(`(?s)<button[^>]*>.*?</button>`).FindAllString(body, -1)
	var upload, moves int
	for _, b := range buttons {
		text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(b, "")
		switch {
		case strings.Contains(text, "Subir foto"):
			upload++
		case strings.Contains(text, "Subir"):
			t.Errorf("a button other than the upload says Subir: %s", b)
		case strings.Contains(text, "Mover antes") && strings.Contains(b, `aria-label="Mover la foto 2 antes"`),
			strings.Contains(text, "Mover después") && strings.Contains(b, `aria-label="Mover la foto 1 después"`):
			moves++
		}
	}
	if upload != 1 || moves != 2 {
		t.Fatalf("upload buttons %d, move buttons %d", upload, moves)
	}
}
