package services

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

	"github.com/qubly/qubly/domain"
	"github.com/qubly/qubly/imagecodec"
)

// DemoArtCacheEnv names a folder where the drawn demo pictures are kept for
// other processes of the same checkout: drawing them costs ~15 s of CPU
// under the race detector, and CI seeds the demo store in several test
// binaries. .ci/run sets it to a folder of its own run, so a change to the
// drawing is never served from an older cache. Unset, every process draws.
const DemoArtCacheEnv = "QUBLY_DEMO_ART_CACHE"

// cachedDemoPictures returns the pictures from the cache folder, or draws
// and stores them there; without the folder it only draws.
func cachedDemoPictures(primary, accent string) (map[string]*imagecodec.Image, error) {
	dir := os.Getenv(DemoArtCacheEnv)
	if dir == "" {
		return drawDemoPictures(primary, accent)
	}
	path := filepath.Join(dir, demoArtKey(primary, accent)+".gob")
	if data, err := os.ReadFile(path); err == nil {
		var p map[string]*imagecodec.Image
		if gob.NewDecoder(bytes.NewReader(data)).Decode(&p) == nil {
			return p, nil
		}
	}
	p, err := drawDemoPictures(primary, accent)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(p); err != nil {
		return nil, err
	}
	// Written aside and renamed, so a process reading at the same time
	// sees the whole file or none.
	tmp, err := os.CreateTemp(dir, "demoart-*.tmp")
	if err != nil {
		return p, nil
	}
	_, werr := tmp.Write(buf.Bytes())
	if cerr := tmp.Close(); werr != nil || cerr != nil || os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
	}
	return p, nil
}

// demoArtKey names what the pictures are drawn from: the colours, the
// widths and every product's picture.
func demoArtKey(primary, accent string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s %v %d %d\n", primary, accent, domain.ImageWidths, demoPictureSide, imagecodec.JPEGQuality)
	for _, dc := range demoCatalog {
		for _, dp := range dc.products {
			fmt.Fprintf(h, "%s %+v\n", dp.name, dp.picture)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
