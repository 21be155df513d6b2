package main

import (
	"fmt"
	"io"
	"net/http"
)

// framingGuard refuses, with 400 and by closing the connection, a request
// whose body is framed by Transfer-Encoding, and closes the connection
// after answering an HTTP/1.0 request; it passes every other request to h.
//
// RFC 9112 §6.3: a request with both Transfer-Encoding and Content-Length
// may be an attempt at request smuggling (a proxy in front that frames it
// by Content-Length sees a different next request than the server does),
// and the server must reject it or close the connection after answering.
// net/http frames it by Transfer-Encoding, removes the Content-Length
// header before the handler sees the request, and keeps the connection
// open; so a handler cannot tell it from a request with Transfer-Encoding
// alone. This server serves GET and HEAD, which browsers send without a
// body, so it refuses both: a client has no reason to send either. (RFC
// 9112 §6.3 also lets a server refuse a body without a Content-Length.)
//
// RFC 9112 §6.1: an HTTP/1.0 request with Transfer-Encoding has faulty
// framing, and the connection must be closed after the response. net/http
// ignores and removes the header on HTTP/1.0 requests, so every HTTP/1.0
// connection is closed after one response. Browsers speak HTTP/1.1.
func framingGuard(h http.Handler, log io.Writer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.TransferEncoding) > 0 {
			w.Header().Set("Connection", "close")
			http.Error(w, "400 bad request: a request body framed by Transfer-Encoding is refused (this server answers GET and HEAD, without a body)", http.StatusBadRequest)
			fmt.Fprintf(log, "%s %s 400 refused: body framed by Transfer-Encoding %q, connection closed\n", r.Method, r.URL.EscapedPath(), r.TransferEncoding)
			return
		}
		if !r.ProtoAtLeast(1, 1) {
			w.Header().Set("Connection", "close")
		}
		h.ServeHTTP(w, r)
	})
}
