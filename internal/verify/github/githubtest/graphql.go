package githubtest

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/triagesite/triagesite/internal/evidence"
)

// The fake reads the query shape internal/verify/github writes, one target per line, and
// answers as GitHub's schema does. A line it does not know is a GraphQL error, so that a
// change of shape fails the tests rather than passing unanswered.
var (
	gqlString   = `("(?:[^"\\]|\\.)*")`
	reRepo      = regexp.MustCompile(`^(\w+): repository\(owner: ` + gqlString + `, name: ` + gqlString + `\) \{$`)
	reRef       = regexp.MustCompile(`^(\w+): issueOrPullRequest\(number: (\d+)\) \{ \.\.\.ref \}$`)
	reObject    = regexp.MustCompile(`^(\w+): object\(expression: ` + gqlString + `\) \{ \.\.\.(commit|blob) \}$`)
	reBranch    = regexp.MustCompile(`^(\w+): (?:defaultBranchRef|ref\(qualifiedName: ` + gqlString + `\)) \{ (.*) \}$`)
	reHistory   = regexp.MustCompile(`^target \{ \.\.\. on Commit \{ history\(first: 1, until: ` + gqlString + `\) \{ nodes \{ oid \} \} \} \}$`)
	timelineFor = map[string]string{evidence.EventMerged: "MergedEvent", evidence.EventClosed: "ClosedEvent",
		evidence.EventReopened: "ReopenedEvent", evidence.EventConvertedToDraft: "ConvertToDraftEvent",
		evidence.EventReadyForReview: "ReadyForReviewEvent", evidence.EventLabeled: "LabeledEvent", evidence.EventUnlabeled: "UnlabeledEvent",
		evidence.EventRenamed: "RenamedTitleEvent"}
)

type gqlError struct {
	Type    string   `json:"type,omitempty"`
	Path    []string `json:"path,omitempty"`
	Message string   `json:"message"`
}

func (s *Server) graphql(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Query string `json:"query"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]any{"message": "Problems parsing JSON"})
		return
	}
	data, errs, connections, aliases := s.answer(req.Query)
	cost := max(1, int(math.Round(float64(connections)/100)))
	s.Mu.Lock()
	s.counts.Points += cost
	s.counts.Aliases += aliases
	s.Mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-RateLimit-Limit", "5000")
	w.Header().Set("X-RateLimit-Remaining", "4999")
	w.Header().Set("X-RateLimit-Resource", "graphql")
	out := map[string]any{"data": data}
	if len(errs) > 0 {
		out["errors"] = errs
	}
	json.NewEncoder(w).Encode(out)
}

// answer walks the query line by line; it returns the data, the errors, how many connection
// pages the query may need (GitHub's cost) and how many targets it asked for.
func (s *Server) answer(q string) (map[string]any, []gqlError, int, int) {
	data := map[string]any{}
	var errs []gqlError
	connections, aliases := 1, 0
	var repo, repoAlias string
	var sel map[string]any
	for _, line := range strings.Split(q, "\n") {
		line = strings.TrimSpace(line)
		if m := reRepo.FindStringSubmatch(line); m != nil {
			repo, repoAlias = unquote(m[2])+"/"+unquote(m[3]), m[1]
			if _, ok := s.repoKnown(repo); ok {
				sel = map[string]any{}
				data[m[1]] = sel
			} else {
				sel = nil
				data[m[1]] = nil
				errs = append(errs, gqlError{Type: "NOT_FOUND", Path: []string{m[1]},
					Message: "Could not resolve to a Repository with the name '" + repo + "'."})
			}
			continue
		}
		alias, v, cost, err, ok := s.answerLine(repo, line)
		if ok && s.isBroken(restPath(repo, line)) {
			errs = append(errs, gqlError{Path: []string{repoAlias, alias}, Message: "Something went wrong while executing your query."})
			v, err = nil, ""
		}
		if !ok {
			if line != "" && line != "}" && line != "query {" && !strings.HasPrefix(line, "fragment ") && !strings.HasPrefix(line, "__typename") {
				errs = append(errs, gqlError{Message: "fake GitHub does not understand: " + line})
			}
			continue
		}
		aliases++
		connections += cost
		s.Mu.Lock()
		s.counts.Targets[repo+" "+strings.TrimPrefix(line, alias+": ")]++
		s.Mu.Unlock()
		if sel == nil {
			continue
		}
		sel[alias] = v
		if err != "" {
			errs = append(errs, gqlError{Type: "NOT_FOUND", Path: []string{repoAlias, alias}, Message: err})
		}
	}
	return data, errs, connections, aliases
}

// restPath is the REST path of the target a line asks for ("" for files and branches).
func restPath(repo, line string) string {
	if m := reRef.FindStringSubmatch(line); m != nil {
		return "/repos/" + repo + "/issues/" + m[2]
	}
	if m := reObject.FindStringSubmatch(line); m != nil && m[3] == "commit" {
		return "/repos/" + repo + "/commits/" + unquote(m[2])
	}
	return ""
}

// repoKnown says the fake holds the repository, or generates any.
func (s *Server) repoKnown(repo string) (*Repo, bool) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	r, ok := s.Repos[repo]
	return r, ok || s.Gen != nil
}

// answerLine answers one target line: its alias, its value, its connection cost and a NOT_FOUND message.
func (s *Server) answerLine(repo, line string) (string, any, int, string, bool) {
	if m := reRef.FindStringSubmatch(line); m != nil {
		n, _ := strconv.Atoi(m[2])
		is, ok := s.lookupIssue(repo, n)
		if !ok || is.Gone {
			return m[1], nil, 2, "Could not resolve to an issue or pull request with the number of " + m[2] + ".", true
		}
		return m[1], is.graphQL(), 2, "", true
	}
	if m := reObject.FindStringSubmatch(line); m != nil {
		expr := unquote(m[2])
		if m[3] == "commit" {
			c, ok := s.lookupCommit(repo, expr)
			if !ok {
				return m[1], nil, 0, "", true
			}
			return m[1], map[string]any{"__typename": "Commit", "oid": c.SHA, "message": c.Message,
				"author": map[string]any{"name": c.Author, "date": c.Date.Format(time.RFC3339)}}, 0, "", true
		}
		return m[1], s.blob(repo, expr), 0, "", true
	}
	if m := reBranch.FindStringSubmatch(line); m != nil {
		return m[1], s.branch(repo, m[2], m[3]), 1, "", true
	}
	return "", nil, 0, "", false
}

// blob answers object(expression: "sha:path").
func (s *Server) blob(repo, expr string) any {
	sha, path, _ := strings.Cut(expr, ":")
	text, ok := s.lookupFile(repo, sha, path)
	if !ok {
		if s.isDir(repo, sha, path) {
			return map[string]any{"__typename": "Tree"}
		}
		return nil
	}
	binary := strings.Contains(text, "\x00")
	b := map[string]any{"__typename": "Blob", "byteSize": len(text), "isBinary": binary, "isTruncated": false, "text": text}
	if binary {
		b["text"] = nil
	}
	if strings.HasPrefix(path, "big") { // as GitHub does past its size limit
		b["text"], b["isTruncated"] = nil, true
	}
	return b
}

// branch answers defaultBranchRef or ref(qualifiedName:) with the head or the history until a time.
func (s *Server) branch(repo, qualified, fields string) any {
	_, def, _ := s.history(repo)
	if qualified != "" && unquote(qualified) != "refs/heads/"+def {
		return nil
	}
	if fields == "...head" {
		c, ok := s.resolve(repo, time.Time{})
		if !ok {
			return nil
		}
		return map[string]any{"target": map[string]any{"oid": c.SHA}}
	}
	m := reHistory.FindStringSubmatch(fields)
	if m == nil {
		return nil
	}
	until, _ := time.Parse(time.RFC3339, unquote(m[1]))
	nodes := []any{}
	if c, ok := s.resolve(repo, until); ok {
		nodes = append(nodes, map[string]any{"oid": c.SHA})
	}
	return map[string]any{"target": map[string]any{"history": map[string]any{"nodes": nodes}}}
}

// graphQL is the issue as the ref fragment selects it.
func (is Issue) graphQL() map[string]any {
	labels := []any{}
	for _, l := range is.Labels {
		labels = append(labels, map[string]any{"name": l})
	}
	var events []any
	for i, e := range is.Timeline {
		if i == 100 {
			break
		}
		n := map[string]any{"__typename": timelineFor[e.Type], "createdAt": e.At}
		if e.Label != "" {
			n["label"] = map[string]any{"name": e.Label}
		}
		if e.Type == evidence.EventRenamed {
			n["previousTitle"] = e.From
		}
		events = append(events, n)
	}
	state := strings.ToUpper(is.State)
	m := map[string]any{"__typename": "Issue", "number": is.Number, "title": is.Title, "state": state,
		"createdAt": nullable(is.CreatedAt), "updatedAt": nullable(is.UpdatedAt), "closedAt": nullable(is.ClosedAt),
		"labels":        map[string]any{"totalCount": len(is.Labels), "nodes": labels},
		"timelineItems": map[string]any{"pageInfo": map[string]any{"hasNextPage": len(is.Timeline) > 100}, "nodes": events}}
	if is.PR {
		m["__typename"], m["isDraft"], m["merged"], m["mergedAt"] = "PullRequest", is.Draft, is.MergedAt != "", nullable(is.MergedAt)
		m["mergeCommit"], m["prState"] = nil, m["state"]
		delete(m, "state") // the query asks a PR's state as prState
		if is.MergedAt != "" {
			m["prState"] = "MERGED"
			if is.MergeCommit != "" {
				m["mergeCommit"] = map[string]any{"oid": is.MergeCommit}
			}
		}
	}
	return m
}

func unquote(s string) string {
	var out string
	if err := json.NewDecoder(bytes.NewReader([]byte(s))).Decode(&out); err != nil {
		return s
	}
	return out
}
