// Package ci holds the tests that keep the GitHub workflows and the script they run in step.
package ci
