// Package ci holds the tests that keep the repository in order: the GitHub workflows and the
// script they run in step, and no machine's paths in what is committed.
package ci
