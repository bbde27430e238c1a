package lint

// Exported for tests.
var (
	EscapeData     = escapeData
	EscapeProperty = escapeProperty
)
