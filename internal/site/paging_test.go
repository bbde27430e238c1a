package site

import (
	"reflect"
	"testing"
)

func TestPaginate(t *testing.T) {
	for _, c := range []struct {
		name  string
		sizes []int
		want  []listPage
	}{
		{"nothing", nil, []listPage{{path: "v.html"}}},
		{"fits", []int{0, 2, 2}, []listPage{{"v.html", []span{{0, 0, 0}, {1, 0, 2}, {2, 0, 2}}}}},
		{"section split where the page is full", []int{0, 3, 5}, []listPage{
			{"v.html", []span{{0, 0, 0}, {1, 0, 3}, {2, 0, 1}}},
			{"v/2.html", []span{{2, 1, 5}}},
		}},
		{"a long section over three pages", []int{9}, []listPage{
			{"v.html", []span{{0, 0, 4}}}, {"v/2.html", []span{{0, 4, 8}}}, {"v/3.html", []span{{0, 8, 9}}},
		}},
		{"an empty section after a full page stays on it", []int{4, 0, 1}, []listPage{
			{"v.html", []span{{0, 0, 4}, {1, 0, 0}}}, {"v/2.html", []span{{2, 0, 1}}},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := paginate("v.html", c.sizes, 4); !reflect.DeepEqual(got, c.want) {
				t.Errorf("paginate(%v, 4) =\n %v\nwant\n %v", c.sizes, got, c.want)
			}
		})
	}
}

func TestSectionContentsLinkWhereEachStarts(t *testing.T) {
	pages := paginate("refs/index.html", []int{0, 3, 5}, 4)
	secs := []section{{"Nudge targets", "nudges", 0}, {"a/b", "repo-a-b", 3}, {"c/d", "repo-c-d", 5}}
	got := contents(pages, 1, secs)
	// Links go by the site root, as every link on the site does.
	want := []string{"../../refs/index.html#nudges", "../../refs/index.html#repo-a-b", "../../refs/index.html#repo-c-d"}
	for i, l := range got {
		if l.Href != want[i] || l.Count != secs[i].size || l.Text != secs[i].title {
			t.Errorf("section %d from page 2: %+v, want href %s", i, l, want[i])
		}
	}
	if got := contents(pages, 0, secs)[2].Href; got != "#repo-c-d" {
		t.Errorf("from its own page, a section links %q, want #repo-c-d", got)
	}
	p := pager(pages, 1)
	if p.Current != 1 || len(p.Pages) != 2 || p.Pages[0].Href != "../../refs/index.html" || p.Pages[1].Href != "../../refs/index/2.html" {
		t.Errorf("pager from page 2: %+v", p)
	}
}
