package ui

import (
	"archive/zip"
	"bytes"
	"testing"

	"convlab/ui/api"
)

// save('npz') downloads the selected run's weights as a zip of one .npy
// array per tensor, named after the run like its model file (nn's tests
// load such a file with NumPy); an unknown kind names the ones there are.
func TestSaveWeightsNPZ(t *testing.T) {
	a := newTestApp(t, "epochs=1&perclass=10&testper=2&batch=10")
	h := NewHandle(a)
	host := newFileHost()
	a.SetHost(host)
	saved := post(t, h, Request{Call: api.CallSave, Text: "npz"})
	wrong := post(t, h, Request{Call: api.CallSave, Text: "npy"})
	h.Update(Input{})
	if res, done := saved(); !done || !res.OK {
		t.Fatalf("save('npz'): %+v", res)
	}
	if res, _ := wrong(); res.OK || !bytes.Contains([]byte(res.Error), []byte(`"npz"`)) {
		t.Errorf("save('npy'): %+v, want an error naming \"npz\"", res)
	}
	if len(host.saved) != 1 {
		t.Fatalf("%d files saved, want 1", len(host.saved))
	}
	f := host.saved[0]
	if f.mime != "application/zip" || f.name != modelFileName(a.lab.SelectedRun().Label, ".npz") {
		t.Errorf("saved %q as %s", f.name, f.mime)
	}
	zr, err := zip.NewReader(bytes.NewReader(f.data), int64(len(f.data)))
	if err != nil {
		t.Fatalf("the .npz is not a zip archive: %v", err)
	}
	params := a.selectedSession().Network().Params()
	if len(zr.File) != len(params) {
		t.Fatalf("%d arrays, want %d", len(zr.File), len(params))
	}
	for i, p := range params {
		if zr.File[i].Name != p.Name+".npy" {
			t.Errorf("array %d is %s, want %s.npy", i, zr.File[i].Name, p.Name)
		}
	}
}
