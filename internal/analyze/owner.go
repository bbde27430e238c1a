package analyze

import (
	"slices"
	"strings"

	"github.com/triagesite/triagesite/internal/content"
)

// Ownership is who answers for a job: one primary SIG, and others that also have a say.
type Ownership struct {
	Primary string // "" when nothing names an owner
	Also    []string
}

// RegistrySIGs are the SIGs sigs.yaml gives a job by its category or a name prefix, in registry order.
func RegistrySIGs(sigs []content.SIG, category, name string) []string {
	var out []string
	for _, s := range sigs {
		if slices.Contains(s.Categories, category) || slices.ContainsFunc(s.JobPrefixes, func(p string) bool { return strings.HasPrefix(name, p) }) {
			out = append(out, s.ID)
		}
	}
	return out
}

// OwnershipOf picks a job's primary owner: the first owner of the sub-pattern that places it,
// else of its pattern, else of the registry. Every other owner named is "also".
func OwnershipOf(claims []Claim, registry []string) Ownership {
	var all []string
	for _, c := range claims {
		all = appendNew(all, c.Owners()...)
	}
	all = appendNew(all, registry...)
	if len(all) == 0 {
		return Ownership{}
	}
	return Ownership{Primary: all[0], Also: all[1:]}
}

func appendNew(list []string, xs ...string) []string {
	for _, x := range xs {
		if !slices.Contains(list, x) {
			list = append(list, x)
		}
	}
	return list
}
