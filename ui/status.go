package ui

import (
	"convlab/ui/session"
)

// Status is everything window.convlab.status() reports: the session's
// snapshot plus what only the dashboard knows.
type Status struct {
	session.Status
	Ready    bool               `json:"ready"`
	FPS      float64            `json:"fps"`
	TPS      float64            `json:"tps"`
	Messages []string           `json:"messages"`
	Pad      padStatus          `json:"pad"`
	Layout   map[string]cssRect `json:"layout"`
}

// cssRect is a rectangle in CSS pixels.
type cssRect struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// Status returns a snapshot for scripts and tests. Layout rectangles are
// in CSS pixels from the canvas's top-left corner, one per panel; "pad" is
// the drawing surface itself and "padPanel" the panel around it.
func (a *App) Status() Status {
	k := a.CSSScale()
	panels := a.layout.Panels()
	panels["padPanel"] = panels["pad"]
	panels["pad"] = surfaceRect(a.layout.Pad)
	css := make(map[string]cssRect, len(panels))
	for name, r := range panels {
		css[name] = cssRect{X: r.X * k, Y: r.Y * k, W: r.W * k, H: r.H * k}
	}
	msgs := append([]string{}, a.messages...)
	return Status{
		Status: a.sess.Status(), Ready: true, FPS: a.FPS(), TPS: a.TPS(),
		Messages: msgs, Pad: a.pad.status(), Layout: css,
	}
}
