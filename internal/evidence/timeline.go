package evidence

// Event types: the changes in a PR's or issue's life that decide its state on a given date.
const (
	EventMerged           = "merged"
	EventClosed           = "closed"
	EventReopened         = "reopened"
	EventConvertedToDraft = "converted_to_draft"
	EventReadyForReview   = "ready_for_review"
	EventLabeled          = "labeled"
	EventUnlabeled        = "unlabeled"
	// EventRenamed is a change of title: a title claimed on a day is judged against the title
	// then, not the one it carries now.
	EventRenamed = "renamed"
)

// Event is one dated change in a PR's or issue's life, as the source's timeline records it.
// Timelines let a claim be judged as of its own date rather than as of the run.
type Event struct {
	Type  string `json:"type"`            // one of the Event* constants
	At    string `json:"at"`              // RFC 3339, UTC, as the source gave it
	Label string `json:"label,omitempty"` // for labeled and unlabeled
	From  string `json:"from,omitempty"`  // for renamed: the title before
}
