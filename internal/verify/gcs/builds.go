package gcs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"cloud.google.com/go/storage"
	"google.golang.org/api/iterator"

	"github.com/triagesite/triagesite/internal/verify"
)

// LogsBucket is where Prow keeps periodic builds: logs/<job>/<build id>/.
const LogsBucket = "kubernetes-ci-logs"

// MaxBuilds bounds how many builds since a merge are read per job, newest first.
const MaxBuilds = 20

// BuildsSince reads the builds of a periodic job that started at or after since, newest
// first: latest-build.txt names the newest, the job's directory lists the others.
func (s *Source) BuildsSince(ctx context.Context, job string, since time.Time) ([]verify.Build, error) {
	if strings.ContainsAny(job, "/\n") || job == "" {
		return nil, fmt.Errorf("%q is not a job name", job)
	}
	dir := "logs/" + job + "/"
	latest, found, err := s.readSmall(ctx, object{LogsBucket, dir + "latest-build.txt"})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("%w: gs://%s/%slatest-build.txt does not exist", verify.ErrCannotAnswer, LogsBucket, dir)
	}
	newest, err := strconv.ParseUint(strings.TrimSpace(latest), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("gs://%s/%slatest-build.txt: want a build number, got %q", LogsBucket, dir, truncate(latest, 40))
	}
	ids, err := s.buildIDs(ctx, dir, newest)
	if err != nil {
		return nil, err
	}
	var out []verify.Build
	for _, id := range ids {
		b := s.readBuild(ctx, dir, id)
		if b.Err == nil && b.Started.Before(since) {
			break // IDs grow with time: every older build started before the merge too
		}
		out = append(out, b)
		if len(out) == MaxBuilds {
			break
		}
	}
	return out, nil
}

// buildIDs lists the job's build directories up to newest, newest first.
func (s *Source) buildIDs(ctx context.Context, dir string, newest uint64) ([]uint64, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	it := s.client.Bucket(LogsBucket).Retryer(storage.WithMaxAttempts(maxAttempts), storage.WithBackoff(s.backoff)).Objects(ctx, &storage.Query{Prefix: dir, Delimiter: "/"})
	var ids []uint64
	for {
		attrs, err := it.Next()
		if errors.Is(err, iterator.Done) {
			break
		}
		if err != nil {
			return nil, s.callError(ctx, object{LogsBucket, dir}, err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(attrs.Prefix, dir), "/")
		if id, err := strconv.ParseUint(name, 10, 64); err == nil && attrs.Prefix != "" && id <= newest {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] > ids[j] })
	return ids, nil
}

// started and finished are the parts of Prow's started.json and finished.json that say what
// a build tested and how it ended. Podutils, bootstrap and older jobs spell them differently.
type started struct {
	Timestamp  int64             `json:"timestamp"`
	Repos      map[string]string `json:"repos"`
	RepoCommit string            `json:"repo-commit"`
	Metadata   metadata          `json:"metadata"`
}

type finished struct {
	Result   string   `json:"result"`
	Passed   *bool    `json:"passed"`
	Revision string   `json:"revision"`
	Metadata metadata `json:"metadata"`
}

// metadata keeps only the string-valued keys it uses; values of other types are ignored.
type metadata map[string]json.RawMessage

func (m metadata) str(key string) string {
	var s string
	if json.Unmarshal(m[key], &s) != nil {
		return ""
	}
	return s
}

func (m metadata) repos() map[string]string {
	var r map[string]string
	if json.Unmarshal(m["repos"], &r) != nil {
		return nil
	}
	return r
}

// readBuild reads one build's started.json (required) and finished.json (absent while running).
func (s *Source) readBuild(ctx context.Context, dir string, id uint64) verify.Build {
	b := verify.Build{ID: strconv.FormatUint(id, 10)}
	prefix := dir + b.ID + "/"
	var st started
	if err := s.readJSON(ctx, object{LogsBucket, prefix + "started.json"}, &st, true); err != nil {
		b.Err = err
		return b
	}
	b.Started = time.Unix(st.Timestamp, 0).UTC()
	var fin finished
	if err := s.readJSON(ctx, object{LogsBucket, prefix + "finished.json"}, &fin, false); err != nil {
		b.Err = err
		return b
	}
	b.Result = resultOf(fin)
	b.Commits = testedCommits(st, fin)
	return b
}

func resultOf(f finished) string {
	if f.Result != "" {
		return strings.ToLower(f.Result)
	}
	if f.Passed != nil {
		if *f.Passed {
			return "success"
		}
		return "failure"
	}
	return ""
}

var (
	hexRe      = regexp.MustCompile(`^[0-9a-f]{7,40}$`)
	versionSHA = regexp.MustCompile(`\+([0-9a-f]{7,40})$`) // v1.34.0-alpha.0.123+0123abcd
)

// testedCommits maps each repository a build checked out at a branch to the commit it
// tested. A pull request's refs ("master:sha,123:sha") are not a branch commit and are
// skipped. repo-commit and revision name the commit of the build's one repository, so they
// count only when the build names exactly one.
func testedCommits(st started, fin finished) map[string]string {
	out := map[string]string{}
	for _, repos := range []map[string]string{st.Repos, fin.Metadata.repos(), st.Metadata.repos()} {
		for repo, refs := range repos {
			_, sha, ok := strings.Cut(refs, ":")
			if ok && !strings.Contains(sha, ",") && hexRe.MatchString(sha) && out[repo] == "" {
				out[repo] = sha
			}
		}
	}
	only := onlyRepo(st.Repos, fin.Metadata.repos(), fin.Metadata.str("repo"))
	if only == "" || out[only] != "" {
		return out
	}
	for _, c := range []string{st.RepoCommit, fin.Metadata.str("repo-commit"), st.Metadata.str("repo-commit"), fin.Revision} {
		if hexRe.MatchString(c) {
			out[only] = c
			return out
		}
		if m := versionSHA.FindStringSubmatch(c); m != nil {
			out[only] = m[1]
			return out
		}
	}
	return out
}

// onlyRepo is the one repository a build names, or "".
func onlyRepo(a, b map[string]string, named string) string {
	set := map[string]bool{}
	for _, m := range []map[string]string{a, b} {
		for repo := range m {
			set[repo] = true
		}
	}
	if named != "" {
		set[named] = true
	}
	if len(set) != 1 {
		return ""
	}
	for repo := range set {
		return repo
	}
	return ""
}

// readJSON decodes a small JSON object; a missing object is an error only when required.
func (s *Source) readJSON(ctx context.Context, obj object, v any, required bool) error {
	data, found, err := s.readSmall(ctx, obj)
	if err != nil {
		return err
	}
	if !found {
		if required {
			return fmt.Errorf("%s does not exist", obj)
		}
		return nil
	}
	if err := json.Unmarshal([]byte(data), v); err != nil {
		return fmt.Errorf("%s: %w", obj, err)
	}
	return nil
}

// readSmall reads a small object whole; false: it does not exist.
func (s *Source) readSmall(ctx context.Context, obj object) (string, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	r, err := s.object(obj).NewReader(ctx)
	if isNotFound(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, s.callError(ctx, obj, err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, 1<<16))
	if err != nil {
		return "", false, s.callError(ctx, obj, err)
	}
	return string(data), true, nil
}
