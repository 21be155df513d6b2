package static

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestResolvePath(t *testing.T) {
	tests := []struct {
		urlPath string
		want    string
		wantErr error
	}{
		{"/", ".", nil},
		{"/index.html", "index.html", nil},
		{"/sub/", "sub", nil},
		{"/sub/notes.txt", "sub/notes.txt", nil},
		{"/a..b/c...js", "a..b/c...js", nil}, // dots inside names are fine
		{"", "", errBadPath},
		{"index.html", "", errBadPath},
		{"*", "", errBadPath},
		{"/..", "", errBadPath},
		{"/../x", "", errBadPath},
		{"/sub/../x", "", errBadPath},
		{"/sub/..", "", errBadPath},
		{"/./x", "", errBadPath},
		{"//x", "", errBadPath},
		{"/sub//x", "", errBadPath},
		{"//", "", errBadPath},
		{"/..\\x", "", errBadPath},
		{"/sub\\x", "", errBadPath},
		{"/x\x00.html", "", errBadPath},
		{"/\xab.js", "", errBadPath},
		{"/.env", "", errHidden},
		{"/.git/config", "", errHidden},
		{"/sub/.hidden", "", errHidden},
		{"/.well-known/x", "", errHidden},
		{"/...", "", errHidden},
	}
	for _, tt := range tests {
		got, err := resolvePath(tt.urlPath)
		if got != tt.want || !errors.Is(err, tt.wantErr) {
			t.Errorf("resolvePath(%q) = %q, %v; want %q, %v", tt.urlPath, got, err, tt.want, tt.wantErr)
		}
	}
}

// FuzzResolvePath checks that every accepted name is a valid, unhidden
// path below the root.
func FuzzResolvePath(f *testing.F) {
	for _, seed := range []string{"/", "/a/b.js", "/../x", "/.env", "//x", "/a\\b", "/a/./b", "/a/", "/\xab"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, urlPath string) {
		name, err := resolvePath(urlPath)
		if err != nil {
			return
		}
		if !fs.ValidPath(name) || strings.ContainsAny(name, "\\\x00") {
			t.Fatalf("resolvePath(%q) = %q, not a valid relative path", urlPath, name)
		}
		if name == "." {
			return
		}
		for _, seg := range strings.Split(name, "/") {
			if strings.HasPrefix(seg, ".") {
				t.Fatalf("resolvePath(%q) = %q, has hidden segment %q", urlPath, name, seg)
			}
		}
	})
}
