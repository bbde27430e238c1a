// Package assets embeds the site's static files (stylesheet, scripts).
package assets

import "embed"

// Files holds every static asset, served under assets/ in the site.
//
//go:embed *.css *.js *.svg
var Files embed.FS
