package github

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// GraphQL queries are written as text, not with a client library: a batch is one
// repository(…) block per repository holding an aliased field per target, a shape that typed
// query structs (githubv4) cannot express without reflection tricks. One target is one line,
// so that a query reads, and a fake can answer it, line by line.

// DefaultBatchSize is how many targets one GraphQL query asks for. GitHub allows more, but a
// query of 100 PRs with their labels and timelines stays well inside its resource limits.
const DefaultBatchSize = 100

// Fragments, each on one line; a query includes only those it uses (GraphQL rejects unused ones).
const (
	// An issue's timeline has no merge, draft or ready-for-review events: GitHub's validator
	// refuses a fragment on a type its union cannot hold.
	issueEvents = `nodes { __typename ... on ClosedEvent { createdAt } ... on ReopenedEvent { createdAt } ` +
		`... on LabeledEvent { createdAt label { name } } ... on UnlabeledEvent { createdAt label { name } } ... on RenamedTitleEvent { createdAt previousTitle } }`
	prEvents = `nodes { __typename ... on MergedEvent { createdAt } ... on ClosedEvent { createdAt } ` +
		`... on ReopenedEvent { createdAt } ... on ConvertToDraftEvent { createdAt } ... on ReadyForReviewEvent { createdAt } ` +
		`... on LabeledEvent { createdAt label { name } } ... on UnlabeledEvent { createdAt label { name } } ... on RenamedTitleEvent { createdAt previousTitle } }`
	// An issue's state and a PR's are enums of different types: one response key cannot hold
	// both, so a PR's is aliased prState.
	refFields = `number title createdAt updatedAt closedAt labels(first: 100) { totalCount nodes { name } }`
	fragRef   = `fragment ref on IssueOrPullRequest { __typename ` +
		`... on Issue { ` + refFields + ` state timelineItems(first: 100, itemTypes: [CLOSED_EVENT, REOPENED_EVENT, LABELED_EVENT, UNLABELED_EVENT, RENAMED_TITLE_EVENT]) { pageInfo { hasNextPage } ` + issueEvents + ` } } ` +
		`... on PullRequest { ` + refFields + ` prState: state isDraft merged mergedAt mergeCommit { oid } timelineItems(first: 100, itemTypes: [MERGED_EVENT, CLOSED_EVENT, REOPENED_EVENT, CONVERT_TO_DRAFT_EVENT, READY_FOR_REVIEW_EVENT, LABELED_EVENT, UNLABELED_EVENT, RENAMED_TITLE_EVENT]) { pageInfo { hasNextPage } ` + prEvents + ` } } }`
	fragCommit = `fragment commit on GitObject { __typename ... on Commit { oid message author { name date } } }`
	fragBlob   = `fragment blob on GitObject { __typename ... on Blob { text byteSize isBinary isTruncated } }`
	fragHead   = `fragment head on Ref { target { oid } }`
)

var fragments = map[string]string{"ref": fragRef, "commit": fragCommit, "blob": fragBlob, "head": fragHead}

// gqlTarget is one aliased field of a batch.
type gqlTarget struct {
	owner, name string
	field       string // what follows the alias, e.g. `issueOrPullRequest(number: 5) { ...ref }`
	fragment    string // the fragment the field spreads, "" for none
	// done receives the field's value; found is false when GitHub says there is no such thing.
	// It is not called when GitHub failed to answer for the target: Fetch then asks by REST.
	done func(raw json.RawMessage, found bool)
}

// gqlString quotes s as a GraphQL string; JSON's escapes are GraphQL's.
func gqlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// query writes one batch: a repository block per repository, in first-seen order. It returns
// the query and, by repository alias and target alias, the targets.
func query(batch []*gqlTarget) (string, map[string]map[string]*gqlTarget) {
	var b strings.Builder
	b.WriteString("query {\n")
	byRepo := map[string][]*gqlTarget{}
	var order []string
	for _, t := range batch {
		k := t.owner + "/" + t.name
		if _, ok := byRepo[k]; !ok {
			order = append(order, k)
		}
		byRepo[k] = append(byRepo[k], t)
	}
	aliases := map[string]map[string]*gqlTarget{}
	used := map[string]bool{}
	n := 0
	for i, k := range order {
		ts := byRepo[k]
		ra := fmt.Sprintf("r%d", i)
		aliases[ra] = map[string]*gqlTarget{}
		fmt.Fprintf(&b, "%s: repository(owner: %s, name: %s) {\n", ra, gqlString(ts[0].owner), gqlString(ts[0].name))
		for _, t := range ts {
			ta := fmt.Sprintf("t%d", n)
			n++
			aliases[ra][ta] = t
			fmt.Fprintf(&b, "%s: %s\n", ta, t.field)
			used[t.fragment] = true
		}
		b.WriteString("}\n")
	}
	b.WriteString("}\n")
	for _, name := range []string{"ref", "commit", "blob", "head"} {
		if used[name] {
			b.WriteString(fragments[name] + "\n")
		}
	}
	return b.String(), aliases
}

// gqlResponse is GitHub's answer: data by repository alias and target alias, and errors
// with the path of the field they concern.
type gqlResponse struct {
	Data   map[string]map[string]json.RawMessage `json:"data"`
	Errors []gqlError                            `json:"errors"`
}

type gqlError struct {
	Type    string `json:"type"`
	Path    []any  `json:"path"`
	Message string `json:"message"`
}

// graphQLURL derives the GraphQL endpoint from the REST root: api.github.com/graphql, or
// HOST/api/graphql for Enterprise Server (whose REST root is HOST/api/v3).
func graphQLURL(base *url.URL) string {
	u := *base
	if strings.HasSuffix(u.Path, "/api/v3/") {
		u.Path = strings.TrimSuffix(u.Path, "v3/") + "graphql"
	} else {
		u.Path += "graphql"
	}
	return u.String()
}

// post sends one query. Errors about single fields come back in the response; an error
// here means nothing in the batch was answered.
func (s *Source) post(ctx context.Context, q string) (*gqlResponse, error) {
	body, _ := json.Marshal(map[string]string{"query": q})
	req, err := http.NewRequestWithContext(withSafeToRepeat(ctx), http.MethodPost, s.gqlURL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "triagesite")
	resp, err := s.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GitHub GraphQL: %s: %s", resp.Status, strings.TrimSpace(string(raw[:min(len(raw), 200)])))
	}
	var r gqlResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("GitHub GraphQL: %w", err)
	}
	if r.Data == nil && len(r.Errors) > 0 {
		return nil, fmt.Errorf("GitHub GraphQL: %s", r.Errors[0].Message)
	}
	return &r, nil
}

// runBatch asks for a batch and hands each target its value. A target GitHub failed on (an
// error that is not NOT_FOUND) is left unanswered.
func (s *Source) runBatch(ctx context.Context, batch []*gqlTarget) error {
	q, aliases := query(batch)
	r, err := s.post(ctx, q)
	if err != nil {
		return err
	}
	failed, missing := map[string]bool{}, map[string]bool{}
	for _, e := range r.Errors {
		p := pathOf(e.Path)
		if e.Type == "NOT_FOUND" {
			missing[p] = true
		} else {
			failed[p] = true
		}
	}
	for ra, ts := range aliases {
		repo, repoOK := r.Data[ra]
		for ta, t := range ts {
			raw := repo[ta]
			switch {
			case failed[ra] || failed[ra+"."+ta]:
			case !repoOK && !missing[ra]:
				// absent without a reason: leave it to REST
			case repo == nil || len(raw) == 0 || string(raw) == "null":
				t.done(nil, false)
			default:
				t.done(raw, true)
			}
		}
	}
	return nil
}

// pathOf joins an error's path into "r0.t3".
func pathOf(p []any) string {
	parts := make([]string, 0, 2)
	for _, x := range p {
		parts = append(parts, fmt.Sprint(x))
		if len(parts) == 2 {
			break
		}
	}
	return strings.Join(parts, ".")
}
