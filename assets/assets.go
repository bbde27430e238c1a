// Package assets embeds the site's static files (stylesheet).
package assets

import "embed"

// Files holds every static asset, served under assets/ in the site.
//
//go:embed *.css
var Files embed.FS
