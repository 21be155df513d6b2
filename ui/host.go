package ui

import "errors"

// Host is what the dashboard asks of the page around it: to save a file
// on the user's computer, to let the user pick a model file to open, and
// to draw something off screen as a PNG image. The page (convlab/wasm)
// provides it; without one, these buttons say they are not available.
type Host interface {
	// Save offers data to the user as a file called name.
	Save(name, mime string, data []byte)
	// OpenModel asks the user for a file to open; its text comes back as
	// a loadExperiment Request for an experiment file
	// (record.IsExperiment), a loadModel Request for any other.
	OpenModel()
	// RenderPNG draws with draw on a w×h logical canvas at scale pixels
	// per unit and returns the PNG.
	RenderPNG(w, h, scale float64, draw func(Canvas)) ([]byte, error)
}

// addressed is a Host that knows the page's address without its query
// (the page's does), for the report's link that sets the experiment up
// again. Without it the link is the query alone.
type addressed interface {
	Address() string
}

// stamped is a Host that knows the commit the program was built from
// (the page's does, when make dist stamped it), for the report.
type stamped interface {
	Build() string
}

// reportWriter is a Host that writes homework reports (package report)
// from their description (reportdata.Encode) off the dashboard's thread;
// the page does it in a Web Worker that it starts when the first report
// is asked for. done is called once, from any goroutine. Without one,
// Report says it is not available.
type reportWriter interface {
	WriteReport(data []byte, done func(page []byte, err error))
}

// errNoReports is reported by Report when the page cannot write reports.
var errNoReports = errors.New("writing the report needs the page around the dashboard, with Web Workers")

// errNoHost is reported by the buttons that need a Host when there is none.
var errNoHost = errors.New("saving and opening files needs the page around the dashboard")
