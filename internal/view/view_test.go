package view

import "testing"

func TestStartsBlock(t *testing.T) {
	for h, want := range map[HTML]bool{
		"<p>a</p>": true, "<ul><li>a</li></ul>": true, `<pre class="x">`: true, "<h3 id=a>": true,
		"plain": false, "<code>x</code>": false, `<a href="p">`: false, "": false, " <p>": false,
	} {
		if got := h.StartsBlock(); got != want {
			t.Errorf("%q.StartsBlock() = %v, want %v", h, got, want)
		}
	}
}
