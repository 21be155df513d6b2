package store

import (
	"encoding/json"
	"time"
)

// Without Web Locks (see the package doc), a tab owns the experiment by
// a claim kept beside it in the "meta" store: a random token and the time
// the owner last renewed it. A tab takes the experiment only when the
// claim is missing, its own, or stale (not renewed for staleAfter: the
// owner is gone, or so starved that it might as well be); and every write,
// the renewals included, checks in its own transaction, before anything
// else, that the claim is still the writer's. IndexedDB runs readwrite
// transactions over the same store one at a time, so that check and the
// write are one step: a tab that lost its claim can never write again, and
// two tabs never both own the experiment.
const (
	claimKey   = "owner"
	beatEvery  = 2 * time.Second  // how often the owner renews its claim
	staleAfter = 10 * time.Second // a claim not renewed for this long may be taken
)

// claim is the owner entry's content, as JSON.
type claim struct {
	Token string `json:"token"`
	At    int64  `json:"at"` // milliseconds since 1970, the page's clock
}

func (c claim) encode() string {
	b, err := json.Marshal(c)
	if err != nil { // a string and an integer always marshal
		panic(err)
	}
	return string(b)
}

// decodeClaim reads an owner entry; ok is false for anything that is not
// one (no entry: nobody owns the experiment).
func decodeClaim(text string) (c claim, ok bool) {
	if json.Unmarshal([]byte(text), &c) != nil || c.Token == "" {
		return claim{}, false
	}
	return c, true
}

// heldByOther says whether claim text (the owner entry, "" if none) keeps
// the tab of token out at time now (ms): another tab renewed it less than
// staleAfter ago. A claim from the future by more than staleAfter (a clock
// set back) counts as stale, so that no claim holds forever.
func heldByOther(text, token string, now int64) bool {
	c, ok := decodeClaim(text)
	if !ok || c.Token == token {
		return false
	}
	age := now - c.At
	return age < staleAfter.Milliseconds() && age > -staleAfter.Milliseconds()
}
