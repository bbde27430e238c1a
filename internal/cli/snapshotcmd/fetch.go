package snapshotcmd

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"cloud.google.com/go/storage"
	"github.com/spf13/cobra"

	"github.com/triagesite/triagesite/internal/cli/iostreams"
	"github.com/triagesite/triagesite/internal/snapshot"
	"github.com/triagesite/triagesite/internal/snapshot/fetch"
)

// FetchOptions are the inputs of one fetch.
type FetchOptions struct {
	IO         *iostreams.IO
	Dataset    string
	From       string // empty means fetch.DefaultSource(Dataset)
	ContentDir string
	Date       string // empty means the UTC date of Now()
	Force      bool

	// Dependencies, swapped for fakes in tests.
	HTTPClient *http.Client
	NewStorage func(context.Context) (*storage.Client, error)
	Now        func() time.Time
}

// NewCmdFetch builds the command; runF replaces the run function in tests.
func NewCmdFetch(io *iostreams.IO, runF func(context.Context, *FetchOptions) error) *cobra.Command {
	opts := &FetchOptions{IO: io, HTTPClient: http.DefaultClient, NewStorage: fetch.AnonymousStorage, Now: time.Now}
	cmd := &cobra.Command{
		Use:   "fetch --dataset failures|flakes",
		Short: "Fetch a dashboard snapshot into the content tree",
		Long: `Fetch a dashboard file and store it as content/snapshots/<dataset>/<date>.json,
with a <date>.meta.yaml recording its source, fetch time and sha256.

The source defaults to gs://k8s-metrics/<dataset>-latest.json, read anonymously.
--from also takes a file path or an https:// URL. The file is checked against the
dataset's schema before anything is written, and stored byte for byte.`,
		Example: `  triagesite snapshot fetch --dataset failures
  triagesite snapshot fetch --dataset flakes --from ./flakes-latest.json --date 2026-05-10`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return RunFetch(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Dataset, "dataset", "", "dashboard `name`: failures or flakes")
	f.StringVar(&opts.From, "from", "", "`source`: a file, an https:// URL or gs://bucket/object (default gs://k8s-metrics/<dataset>-latest.json)")
	f.StringVar(&opts.ContentDir, "content", "content", "content `directory`")
	f.StringVar(&opts.Date, "date", "", "snapshot `date` YYYY-MM-DD (default today, UTC)")
	f.BoolVar(&opts.Force, "force", false, "replace an existing snapshot of that date")
	_ = cmd.MarkFlagRequired("dataset")
	return cmd
}

// RunFetch fetches, validates, then writes the snapshot and its provenance.
func RunFetch(ctx context.Context, opts *FetchOptions) error {
	// One clock reading gives both the default date and fetched_at, so they always agree.
	now := opts.Now().UTC()
	t, err := plan(opts, now)
	if err != nil {
		return fmt.Errorf("snapshot fetch: %w", err)
	}
	f := &fetch.Fetcher{HTTP: opts.HTTPClient, NewStorage: opts.NewStorage}
	obj, err := f.FetchObject(ctx, t.source)
	data := obj.Data
	if err != nil {
		return fmt.Errorf("snapshot fetch: %w; %s (nothing was written)", err, fetchHint(err))
	}
	snap, err := snapshot.Parse(t.dataset, data)
	if err != nil {
		return fmt.Errorf("snapshot fetch: %s is not a %s snapshot%s: %w; check --dataset and --from (nothing was written)", t.source, t.dataset, where(err), err)
	}
	sum := sha256.Sum256(data)
	m := meta{
		Dataset: string(t.dataset), Date: t.date, Source: t.source,
		FetchedAt: now.Format(time.RFC3339), SHA256: hex.EncodeToString(sum[:]),
		JobsInSource: len(snap.Jobs), Note: fetchedNote, ObjectGeneration: obj.Generation,
	}
	if !obj.Updated.IsZero() {
		m.ObjectUpdated = obj.Updated.Format(time.RFC3339)
	}
	if err := writeSnapshot(t, data, m); err != nil {
		return fmt.Errorf("snapshot fetch: %w", err)
	}
	fmt.Fprintf(opts.IO.Out, "wrote %s and %s: %d jobs, sha256 %s\n", t.dataPath, filepath.Base(t.metaPath), m.JobsInSource, m.SHA256)
	return nil
}

// where says where in the document a refusal stands, " at line 2, column 18 (byte 44)".
func where(err error) string {
	var se *snapshot.ShapeError
	if errors.As(err, &se) && se.Where() != "" {
		return " at " + se.Where()
	}
	return ""
}

// target is what one fetch reads and where it writes, settled before any network call.
type target struct {
	dataset            snapshot.Dataset
	source, date       string
	dataPath, metaPath string
}

func plan(opts *FetchOptions, now time.Time) (target, error) {
	ds, err := snapshot.ParseDataset(opts.Dataset)
	if err != nil {
		return target{}, fmt.Errorf("--dataset: %w", err)
	}
	t := target{dataset: ds, source: opts.From, date: opts.Date}
	if t.source == "" {
		t.source = fetch.DefaultSource(ds)
	}
	if t.date == "" {
		t.date = now.Format(time.DateOnly)
	}
	if _, err := time.Parse(time.DateOnly, t.date); err != nil {
		return target{}, fmt.Errorf("--date %q: want YYYY-MM-DD", t.date)
	}
	if fi, err := os.Stat(opts.ContentDir); err != nil || !fi.IsDir() {
		return target{}, fmt.Errorf("content directory %s not found; run from the repository root or pass --content", opts.ContentDir)
	}
	dir := filepath.Join(opts.ContentDir, "snapshots", string(ds))
	t.dataPath = filepath.Join(dir, t.date+".json")
	t.metaPath = filepath.Join(dir, t.date+".meta.yaml")
	return t, refuseOverwrite(t, opts.Force)
}

// refuseOverwrite runs before the fetch so a refused run costs no network call.
func refuseOverwrite(t target, force bool) error {
	if force {
		return nil
	}
	for _, p := range []string{t.dataPath, t.metaPath} {
		if _, err := os.Lstat(p); err == nil {
			return fmt.Errorf("%s already exists; pass --force to replace it, or --date for another day", p)
		}
	}
	return nil
}

func fetchHint(err error) string {
	switch {
	case errors.Is(err, fetch.ErrNotFound):
		return "check --from"
	case errors.Is(err, fetch.ErrUnsupported):
		return "--from takes a file path, an https:// URL or gs://bucket/object"
	case errors.Is(err, fetch.ErrDenied):
		return "check --from names a publicly readable object"
	}
	return "check the network and try again"
}
