package snapshotcmd

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/triagesite/triagesite/internal/atomicfile"
)

// fetchedNote is the provenance note of every fetched snapshot; reconstructions write their own.
const fetchedNote = "The complete dashboard file as published, fetched by triagesite snapshot fetch and stored byte for byte."

// meta is the provenance file, in the field order of content.SnapshotMeta.
type meta struct {
	Dataset   string `yaml:"dataset"`
	Date      string `yaml:"date"`
	Source    string `yaml:"source"`
	FetchedAt string `yaml:"fetched_at"`
	// Only a gs:// object has these; omitted otherwise, as the loader reads them as unknown.
	ObjectUpdated    string `yaml:"object_updated,omitempty"`
	ObjectGeneration int64  `yaml:"object_generation,omitempty"`
	SHA256           string `yaml:"sha256"`
	Partial          bool   `yaml:"partial"`
	JobsInSource     int    `yaml:"jobs_in_source"`
	Note             string `yaml:"note"`
}

func (m meta) encode() ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Provenance of %s/%s.json, written by `triagesite snapshot fetch`.\n", m.Dataset, m.Date)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	// yaml quotes date and fetched_at itself: unquoted they would read back as timestamps.
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

// writeSnapshot stages both files before renaming either, so a failure while
// writing leaves the content tree as it was.
func writeSnapshot(t target, data []byte, m meta) error {
	metaData, err := m.encode()
	if err != nil {
		return fmt.Errorf("encode %s: %w", t.metaPath, err)
	}
	if err := os.MkdirAll(filepath.Dir(t.dataPath), 0o755); err != nil {
		return err
	}
	dataTmp, err := atomicfile.Stage(t.dataPath, data, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", t.dataPath, err)
	}
	defer os.Remove(dataTmp) // a no-op once renamed
	metaTmp, err := atomicfile.Stage(t.metaPath, metaData, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", t.metaPath, err)
	}
	defer os.Remove(metaTmp)
	if err := os.Rename(dataTmp, t.dataPath); err != nil {
		return err
	}
	return os.Rename(metaTmp, t.metaPath)
}
