// Package templates holds the templ components that render prepared views into HTML pages.
package templates
