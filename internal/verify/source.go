// Package verify checks every citation against the sources that can answer for it and records what they said.
package verify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/triagesite/triagesite/internal/citation"
	"github.com/triagesite/triagesite/internal/evidence"
)

// Target is one thing to fetch: a citation's target plus what its claims need from it.
// Every distinct target is fetched once per run, however often it is cited.
type Target struct {
	Ref citation.Ref
	// At is, for a file, the date (the default branch at the end of that day, UTC) or the
	// commit SHA to read it at; empty means the default branch now. For a commit it is the
	// day its claims are judged as of: the source then says whether the default branch held
	// it by the end of that day.
	At string
	// History asks, for a PR or issue, for its timeline too: a claim of it is dated, so its
	// state on that day must be told from the state now.
	History bool
	// Branch is the repository's default branch from repos.yaml ("" when unknown).
	Branch string
	// Quotes are, for a build, the texts to look for in its log.
	Quotes []string
	// Prev is what the lock recorded last time for this target's existence, for conditional requests.
	Prev *evidence.Entry
}

// Answer is what a source found for a target.
type Answer struct {
	Source   string            // evidence.SourceGitHub, SourceCheckout or SourceGCS
	Found    bool              // false: the source says there is no such thing (a final 404)
	Observed evidence.Observed // the facts the source reported
	// Text is a file's lines (Text[0] is line 1); it is judged in memory and never stored.
	Text []string
	// QuoteAt maps each of Target.Quotes to the log lines it stands on (none: absent).
	QuoteAt map[string][]int
	// ETag is the validator to send next time; NotModified says this answer came from a 304.
	ETag        string
	NotModified bool
	// Cached says the source answered from Target.Prev without asking: the target cannot have
	// changed (a commit, a file at a commit). A file answered NotModified or Cached comes
	// without Text, and each of its claims keeps the verdict the lock holds for it.
	Cached bool
}

// ErrCannotAnswer says a source has nothing to say about a target (no checkout of that
// repository, not a kind it serves, offline): the next source is asked.
var ErrCannotAnswer = errors.New("source cannot answer")

// RateLimitError stops a run cleanly: GitHub asked us to wait longer than we are willing to.
type RateLimitError struct {
	Until time.Time
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("GitHub rate limit: resets at %s; what was verified is kept, run again after that", e.Until.UTC().Format(time.RFC3339))
}

// Prefetcher is a Source that answers many targets in few requests (GitHub's GraphQL
// batches). Before asking it target by target, Run hands it every target the sources before
// it could not answer; what Prefetch could not answer, Fetch asks for on its own.
type Prefetcher interface {
	Prefetch(ctx context.Context, ts []Target)
}

// Source answers for some kinds of citations.
type Source interface {
	Name() string
	// Fetch returns ErrCannotAnswer when it cannot serve the target, a *RateLimitError when
	// the run should stop, any other error after its own retries.
	Fetch(ctx context.Context, t Target) (Answer, error)
}
