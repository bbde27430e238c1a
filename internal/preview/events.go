package preview

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// event is one Server-Sent Event.
type event struct{ name, data string }

// hub fans build events out to every open page.
type hub struct {
	mu   sync.Mutex
	subs map[chan event]struct{}
}

func newHub() *hub { return &hub{subs: map[chan event]struct{}{}} }

func (h *hub) subscribe() (<-chan event, func()) {
	ch := make(chan event, 4)
	h.mu.Lock()
	h.subs[ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.subs, ch)
		h.mu.Unlock()
	}
}

// send never blocks the build: a page that has not taken its last events misses this one,
// and it is reloading anyway.
func (h *hub) send(e event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- e:
		default:
		}
	}
}

// events streams build events to one page until it goes away or the server stops.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch, done := s.hub.subscribe()
	defer done()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	// hello goes out after subscribing, so a client that has it cannot miss the next build.
	writeEvent(w, event{name: "hello", data: s.instance})
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case e := <-ch:
			writeEvent(w, e)
			flusher.Flush()
		}
	}
}

// writeEvent frames an event; each line of the data gets its own data: field.
func writeEvent(w http.ResponseWriter, e event) {
	fmt.Fprintf(w, "event: %s\n", e.name)
	for _, line := range strings.Split(e.data, "\n") {
		fmt.Fprintf(w, "data: %s\n", line)
	}
	fmt.Fprint(w, "\n")
}
