package static

import "mime"

// contentType returns the Content-Type for a lower-case file extension.
// The types the ConvLab page depends on are fixed here rather than taken
// from the system's MIME tables, which differ between machines (a missing
// application/wasm breaks WebAssembly.instantiateStreaming).
func contentType(ext string) string {
	switch ext {
	case ".html", ".htm":
		return "text/html; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".json", ".map":
		return "application/json"
	case ".webmanifest":
		return "application/manifest+json"
	case ".wasm":
		return "application/wasm"
	case ".png":
		return "image/png"
	case ".svg":
		return "image/svg+xml"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".ico":
		return "image/x-icon"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// isCompressible reports whether files with the lower-case extension ext
// are worth sending gzip-compressed.
func isCompressible(ext string) bool {
	switch ext {
	case ".wasm", ".js", ".mjs", ".html", ".htm", ".css", ".json", ".webmanifest", ".map", ".svg", ".txt":
		return true
	}
	return false
}
