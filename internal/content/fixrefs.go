package content

import "github.com/triagesite/triagesite/internal/citation"

// FixRefs are the PRs and issues among a tier item's refs when it has role: fix, resolved as
// the loader resolves them; nil otherwise. The loader has already refused refs that do not parse.
func (t *Tree) FixRefs(r *Report, a Action) []citation.Ref {
	if a.Role != "fix" {
		return nil
	}
	var out []citation.Ref
	for _, s := range a.Refs {
		ref, err := citation.Parse(s)
		if err != nil {
			continue
		}
		if ref, err = ref.Resolve(t, r.DefaultRepo); err == nil && ref.Kind == citation.KindRef {
			out = append(out, ref)
		}
	}
	return out
}
