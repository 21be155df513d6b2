package static

import (
	"errors"
	"strings"
	"unicode/utf8"
)

var (
	// errBadPath marks a request path that can never name a file below the
	// root: it is relative, climbs with "..", is not UTF-8, or contains a
	// backslash, a NUL byte or an empty or "." segment.
	errBadPath = errors.New("static: malformed request path")
	// errHidden marks a request for a dotfile or something inside a
	// dot-directory.
	errHidden = errors.New("static: hidden file")
)

// resolvePath turns a decoded URL path into a name for os.Root: a
// slash-separated path relative to the root, "." for the root itself. It
// rejects rather than cleans anything suspicious, so a name it returns
// satisfies fs.ValidPath and has no segment starting with ".".
func resolvePath(urlPath string) (string, error) {
	if !strings.HasPrefix(urlPath, "/") || strings.ContainsAny(urlPath, "\\\x00") || !utf8.ValidString(urlPath) {
		return "", errBadPath
	}
	if urlPath == "/" {
		return ".", nil
	}
	name := strings.TrimSuffix(urlPath[1:], "/")
	for seg := range strings.SplitSeq(name, "/") {
		switch {
		case seg == "" || seg == "." || seg == "..":
			return "", errBadPath
		case strings.HasPrefix(seg, "."):
			return "", errHidden
		}
	}
	return name, nil
}
