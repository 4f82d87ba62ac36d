package services

import (
	"bytes"
	"encoding/gob"
	"os"
	"path/filepath"
	"testing"

	"github.com/qubly/qubly/imagecodec"
)

// A process finds the pictures another one stored under the same colours
// (here a stand-in, so that nothing is drawn).
func TestDemoArtCacheServesWhatAnotherProcessStored(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(DemoArtCacheEnv, dir)
	stored := map[string]*imagecodec.Image{"Taco": {Format: "jpeg", Width: 1200, Height: 1200,
		Variants: []imagecodec.Variant{{Width: 400, PixelWidth: 400, PixelHeight: 400, Data: []byte{0xFF, 0xD8, 0xFF}}}}}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(stored); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, demoArtKey("#111111", "#222222")+".gob")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := cachedDemoPictures("#111111", "#222222")
	if err != nil || len(got) != 1 || got["Taco"].Width != 1200 || !bytes.Equal(got["Taco"].Variants[0].Data, []byte{0xFF, 0xD8, 0xFF}) {
		t.Fatalf("got %+v, %v", got, err)
	}
	if demoArtKey("#111111", "#222222") == demoArtKey("#111111", "#333333") {
		t.Fatal("the key ignores the accent colour")
	}
}
