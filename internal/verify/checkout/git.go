package checkout

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/triagesite/triagesite/internal/verify"
)

// repo runs git in one checkout.
type repo struct{ dir string }

// env is the environment git runs in: settings that keep git local, quiet and parseable.
func env() []string {
	return append(ownEnv(),
		"GIT_NO_LAZY_FETCH=1",     // a partial clone must not fetch a missing object (git >= 2.44)
		"GIT_ALLOW_PROTOCOL=none", // nor reach any remote on older git
		"GIT_TERMINAL_PROMPT=0",   // nor ever wait for a password
		"GIT_OPTIONAL_LOCKS=0",    // nor contend with the user's own git commands
		"LC_ALL=C", "LANGUAGE=C",  // messages are matched below
	)
}

// ownEnv is the caller's environment minus any GIT_* variable: a hook or a wrapper may set
// GIT_DIR or GIT_INDEX_FILE, which would point git at another repository than the checkout.
func ownEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") {
			out = append(out, kv)
		}
	}
	return out
}

// run runs git and returns its standard output; a failure carries git's message.
func (r repo) run(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", r.dir}, args...)...)
	cmd.Env = env()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err == nil {
		return out, nil
	}
	gerr := &gitError{dir: r.dir, args: args, msg: strings.TrimSpace(stderr.String()), err: err}
	if strings.Contains(gerr.msg, "promisor remote") {
		// A partial clone lacks the object and may not fetch it: another source may have it.
		return out, fmt.Errorf("%w: %w", verify.ErrCannotAnswer, gerr)
	}
	return out, gerr
}

// gitError is a failed git command, with what git said.
type gitError struct {
	dir  string
	args []string
	msg  string
	err  error
}

func (e *gitError) Error() string {
	msg := e.msg
	if msg == "" {
		msg = e.err.Error()
	}
	return fmt.Sprintf("git -C %s %s: %s", e.dir, strings.Join(e.args, " "), msg)
}

func (e *gitError) Unwrap() error { return e.err }

// says reports whether err is a git failure whose message contains s.
func says(err error, s string) bool {
	var g *gitError
	return errors.As(err, &g) && strings.Contains(g.msg, s)
}

// revParse resolves a revision to a full SHA; false: there is no such revision.
func (r repo) revParse(ctx context.Context, rev string) (string, bool) {
	out, err := r.run(ctx, "rev-parse", "--verify", "--quiet", rev)
	if err != nil {
		return "", false
	}
	return strings.TrimSpace(string(out)), true
}

// commit resolves a (possibly abbreviated) commit SHA to the full one; "" with no error:
// the checkout has no such commit.
func (r repo) commit(ctx context.Context, sha string) (string, error) {
	if !shaRe.MatchString(sha) {
		return "", fmt.Errorf("%q is not a commit SHA", sha)
	}
	_, err := r.run(ctx, "cat-file", "-e", sha+"^{commit}")
	switch {
	case err == nil:
	case says(err, "is ambiguous"):
		return "", fmt.Errorf("%s: commit %s is ambiguous: cite more of its SHA", r.dir, sha)
	case says(err, "Not a valid object name") && ctx.Err() == nil:
		return "", r.silent(ctx)
	default:
		return "", err
	}
	if full, ok := r.revParse(ctx, sha+"^{commit}"); ok {
		return full, nil
	}
	return "", fmt.Errorf("%s: commit %s exists but does not resolve", r.dir, sha)
}

// isAncestor says whether commit is in the history of tip (git merge-base --is-ancestor:
// exit 0 yes, 1 no, anything else a failure).
func (r repo) isAncestor(ctx context.Context, commit, tip string) (bool, error) {
	_, err := r.run(ctx, "merge-base", "--is-ancestor", commit, tip)
	var exit *exec.ExitError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &exit) && exit.ExitCode() == 1 && !says(err, "fatal"):
		return false, nil
	}
	return false, err
}

// silent turns "the checkout has no such thing" into an answer: final in a full clone,
// but a shallow clone lacks history that exists, so there someone else must answer.
func (r repo) silent(ctx context.Context) error {
	out, err := r.run(ctx, "rev-parse", "--is-shallow-repository")
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(out)) == "true" {
		return verify.ErrCannotAnswer
	}
	return nil
}

// blob returns the object ID of the file at path in a commit; "" with no error: there is
// no such file (or it is a directory). It reads trees only, so a blobless partial clone
// tells a missing path from a blob it did not download.
func (r repo) blob(ctx context.Context, sha, path string) (string, error) {
	out, err := r.run(ctx, "ls-tree", "--full-tree", "-z", sha, "--", path)
	if err != nil {
		return "", err
	}
	for _, entry := range strings.Split(string(out), "\x00") {
		meta, name, ok := strings.Cut(entry, "\t")
		f := strings.Fields(meta)
		if ok && name == path && len(f) == 3 && f[1] == "blob" {
			return f[2], nil
		}
	}
	return "", nil
}
