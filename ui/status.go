package ui

import (
	"convlab/ui/api"
)

// Status returns a snapshot for scripts and tests. Layout rectangles are
// in CSS pixels from the canvas's top-left corner, one per panel; "pad" is
// the drawing surface itself and "padPanel" the panel around it.
func (a *App) Status() api.Status {
	k := a.CSSScale()
	panels := a.layout.Panels()
	panels["padPanel"] = panels["pad"]
	panels["pad"] = surfaceRect(a.layout.Pad)
	css := make(map[string]api.Rect, len(panels))
	for name, r := range panels {
		css[name] = api.Rect{X: r.X * k, Y: r.Y * k, W: r.W * k, H: r.H * k}
	}
	msgs := append([]string{}, a.messages...)
	return api.Status{
		Status: a.sess.Status(), Ready: true, FPS: a.FPS(), TPS: a.TPS(),
		Messages: msgs, Pad: a.pad.status(), Layout: css,
	}
}
