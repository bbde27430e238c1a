package site

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/a-h/templ"
)

// pool renders, minifies and writes pages on one worker per CPU. Page content does not
// depend on the order pages are written in, so the output stays byte-identical.
type pool struct {
	ctx   context.Context
	out   PageWriter
	tasks chan task
	wg    sync.WaitGroup
	mu    sync.Mutex
	first error
}

type task struct {
	path      string
	make      func() templ.Component // nil for bytes
	bytes     func() []byte          // makes data on the worker, when set
	data      []byte
	mediaType string
}

func startPool(ctx context.Context, out PageWriter, minify bool) *pool {
	p := &pool{ctx: ctx, out: out, tasks: make(chan task, 64)}
	for range runtime.GOMAXPROCS(0) {
		p.wg.Add(1)
		go p.work(minify)
	}
	return p
}

func (p *pool) work(minify bool) {
	defer p.wg.Done()
	var min *minifier
	if minify {
		min = newMinifier() // one per worker: nothing shared while minifying
	}
	var buf bytes.Buffer
	for t := range p.tasks {
		if p.err() != nil || p.ctx.Err() != nil {
			continue // drain
		}
		p.fail(p.do(t, &buf, min))
	}
}

func (p *pool) do(t task, buf *bytes.Buffer, min *minifier) error {
	data, mediaType := t.data, t.mediaType
	if t.bytes != nil {
		data = t.bytes()
	}
	if t.make != nil {
		buf.Reset()
		if err := t.make().Render(p.ctx, buf); err != nil {
			return fmt.Errorf("render %s: %w", t.path, err)
		}
		data, mediaType = buf.Bytes(), "text/html"
	}
	if min != nil && mediaType != "" {
		var err error
		if data, err = min.minify(mediaType, data); err != nil {
			return fmt.Errorf("minify %s: %w", t.path, err)
		}
	}
	return p.out.WritePage(t.path, data)
}

func (p *pool) submit(path string, make func() templ.Component) {
	p.tasks <- task{path: path, make: make}
}

// submitLazyBytes queues a file made on a worker and written as it is.
func (p *pool) submitLazyBytes(path string, make func() []byte) {
	p.tasks <- task{path: path, bytes: make}
}

// submitBytes queues a finished file; mediaType "" writes it as it is.
func (p *pool) submitBytes(path string, data []byte, mediaType string) {
	p.tasks <- task{path: path, data: data, mediaType: mediaType}
}

func (p *pool) fail(err error) {
	if err == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.first == nil {
		p.first = err
	}
}

func (p *pool) err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.first
}

// wait finishes every queued page and returns the first error, or the context's.
func (p *pool) wait() error {
	close(p.tasks)
	p.wg.Wait()
	if err := p.err(); err != nil {
		return err
	}
	return p.ctx.Err()
}
