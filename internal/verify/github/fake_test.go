package github

import (
	"maps"
	"net/http"
	"testing"

	"github.com/triagesite/triagesite/internal/verify/github/githubtest"
)

// fakeGitHub is the shared fake with the test clock its faults are stamped with.
type fakeGitHub struct {
	*githubtest.Server
	clock *githubtest.Clock
	repo  *githubtest.Repo // kubernetes/kubernetes
}

func newFake(t *testing.T, clock *githubtest.Clock) *fakeGitHub {
	s := githubtest.New(t, testToken)
	s.Now = clock.Now
	return &fakeGitHub{Server: s, clock: clock, repo: s.Repo(kk)}
}

const testToken = "ghp_TESTtoken0123456789abcdefSECRET"

type fault = githubtest.Fault

var (
	primaryLimit   = githubtest.PrimaryLimit
	secondaryLimit = githubtest.SecondaryLimit
	tooMany        = githubtest.TooMany
	tooManyUntil   = githubtest.TooManyUntil
	status         = githubtest.Status
	hangUp         = githubtest.HangUp
	echoAuth       = githubtest.EchoAuth(http.StatusBadRequest)
)

func newClock() *githubtest.Clock { return githubtest.NewClock() }

func (f *fakeGitHub) script(path string, fs ...fault) { f.Script(path, fs...) }
func (f *fakeGitHub) hitsOf(key string) int           { return f.HitsOf(key) }
func (f *fakeGitHub) reset()                          { f.Take() }

// counts returns copies of the REST counters.
func (f *fakeGitHub) counts() (hits, cond, notMod map[string]int) {
	c := f.Counts()
	return maps.Clone(c.Hits), maps.Clone(c.Cond), maps.Clone(c.NotMod)
}
