package site

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/a-h/templ"
)

// pool renders pages on one worker per CPU and hands them to as many writers:
// creating a file blocks in the kernel, and a CPU should go on rendering meanwhile. (More
// writers than CPUs made a disk-backed build slower here: they contend in the file system.)
// Page content does not depend on the order pages are written in, so the output stays
// byte-identical.
type pool struct {
	ctx     context.Context
	out     PageWriter
	tasks   chan task
	pages   chan page
	wg      sync.WaitGroup
	writers sync.WaitGroup
	mu      sync.Mutex
	first   error
	bufs    buffers
}

type task struct {
	path      string
	make      func() templ.Component // nil for bytes
	bytes     func() []byte          // makes data on the worker, when set
	data      []byte
	mediaType string
}

// page is a finished file on its way to a writer: data, or buf from the pool of page buffers.
type page struct {
	path string
	data []byte
	buf  *bytes.Buffer
}

// buffers recycles page buffers between workers and writers, so the bytes of every page are
// not garbage. It is a fixed free list rather than a sync.Pool, which is emptied at every
// collection and leaves the next pages to grow their buffers again from nothing. A buffer
// grown past maxPooled by one huge page is left to the collector.
type buffers chan *bytes.Buffer

const maxPooled = 1 << 20

func (l buffers) get() *bytes.Buffer {
	select {
	case b := <-l:
		return b
	default:
		return new(bytes.Buffer)
	}
}

func (l buffers) put(b *bytes.Buffer) {
	if b.Cap() > maxPooled {
		return
	}
	b.Reset()
	select {
	case l <- b:
	default: // more buffers than pages in flight: let this one go
	}
}

func startPool(ctx context.Context, out PageWriter, min *minifier) *pool {
	procs := runtime.GOMAXPROCS(0)
	p := &pool{ctx: ctx, out: out, tasks: make(chan task, 64), pages: make(chan page, 64)}
	p.bufs = make(buffers, cap(p.pages)+2*procs) // at most one per queued page, worker and writer
	for range procs {
		p.wg.Add(1)
		go p.work(min)
	}
	for range procs {
		p.writers.Go(p.write)
	}
	return p
}

func (p *pool) write() {
	for pg := range p.pages {
		if p.err() == nil {
			data := pg.data
			if pg.buf != nil {
				data = pg.buf.Bytes()
			}
			p.fail(p.out.WritePage(pg.path, data))
		}
		if pg.buf != nil {
			p.bufs.put(pg.buf)
		}
	}
}

func (p *pool) work(min *minifier) {
	defer p.wg.Done()
	for t := range p.tasks {
		if p.err() != nil || p.ctx.Err() != nil {
			continue // drain
		}
		p.fail(p.do(t, min))
	}
}

func (p *pool) do(t task, min *minifier) error {
	if t.make != nil {
		// Templates write minified HTML (TestPagesAreMinified), so a page goes out as rendered.
		out := p.bufs.get()
		if err := t.make().Render(p.ctx, out); err != nil {
			return fmt.Errorf("render %s: %w", t.path, err)
		}
		p.pages <- page{path: t.path, buf: out}
		return nil
	}
	data := t.data
	if t.bytes != nil {
		data = t.bytes()
	}
	if min == nil || t.mediaType == "" {
		p.pages <- page{path: t.path, data: data} // made for this page alone: no copy needed
		return nil
	}
	out := p.bufs.get()
	if err := min.minify(out, t.mediaType, data); err != nil {
		return fmt.Errorf("minify %s: %w", t.path, err)
	}
	p.pages <- page{path: t.path, buf: out}
	return nil
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
	close(p.pages)
	p.writers.Wait()
	if err := p.err(); err != nil {
		return err
	}
	return p.ctx.Err()
}
