// Command pageserver is bench/run.sh's floor for the key list: it reads every page of an
// organization's key list once from a running sandbox (`apikeys sandbox serve`), keeps the
// answers' bytes, then serves them on loopback with as little work as a server can do: no
// authentication, no store, no encoding, one prepared body per page. apikeys and curl are
// timed against it fetching the same pages with the same parallelism, so what remains of
// apikeys' time is apikeys' own.
//
//	pageserver -from URL -token TOKEN -org ORG [-size 1000]
//
// It prints its base URL on the first line of stdout once it is ready, then serves
// GET /api/ss/rest/v1/organizations/ORG/api-keys?page=P&size=SIZE until killed. Any other
// request, or another size, answers 404 or 400. Written for the benchmark only: it is not
// part of apikeys.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

const apiPrefix = "/api/ss/rest/v1"

func main() {
	from := flag.String("from", "", "base URL of the sandbox to read the pages from")
	token := flag.String("token", "", "access token bound to the organization")
	org := flag.String("org", "", "organization ID")
	size := flag.Int("size", 1000, "page size (apikeys asks for 1000)")
	flag.Parse()
	if *from == "" || *token == "" || *org == "" {
		fmt.Fprintln(os.Stderr, "pageserver: -from, -token and -org are required")
		os.Exit(2)
	}
	path := apiPrefix + "/organizations/" + *org + "/api-keys"
	pages, err := readPages(*from+path, *token, *size)
	if err != nil {
		fmt.Fprintln(os.Stderr, "pageserver:", err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pageserver:", err)
		os.Exit(1)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	srv := &http.Server{Handler: pageHandler(path, *size, pages), ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "pageserver:", err)
		os.Exit(1)
	}
}

// readPages reads pages 0, 1, ... of url until one holds fewer than size keys (the page
// object says how many pages there are: its totalPages, read without decoding the keys).
func readPages(url, token string, size int) ([][]byte, error) {
	var pages [][]byte
	for page := 0; ; page++ {
		body, err := get(fmt.Sprintf("%s?page=%d&size=%d", url, page, size), token)
		if err != nil {
			return nil, err
		}
		pages = append(pages, body)
		n, err := totalPages(body)
		if err != nil {
			return nil, err
		}
		if page+1 >= n {
			return pages, nil
		}
	}
}

func get(url, token string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s: %s", url, res.Status, body)
	}
	return body, err
}

// totalPages finds `"totalPages":N` in a sandbox page (the sandbox writes it after the keys,
// with no space).
func totalPages(body []byte) (int, error) {
	const name = `"totalPages":`
	i := bytes.LastIndex(body, []byte(name))
	if i < 0 {
		return 0, errors.New("the answer is not a sandbox page object (no totalPages)")
	}
	rest := body[i+len(name):]
	end := bytes.IndexAny(rest, ",}")
	if end < 0 {
		return 0, errors.New("unreadable totalPages")
	}
	return strconv.Atoi(string(rest[:end]))
}

// pageHandler serves the prepared pages. A page past the last answers as the sandbox does:
// the last page's total with no keys is not needed by apikeys, which stops at the total.
func pageHandler(path string, size int, pages [][]byte) http.Handler {
	lengths := make([]string, len(pages))
	for i, p := range pages {
		lengths[i] = strconv.Itoa(len(p))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		page, err := strconv.Atoi(q.Get("page"))
		if err != nil || page < 0 || page >= len(pages) || q.Get("size") != strconv.Itoa(size) {
			http.Error(w, "pageserver serves ?page=0.."+strconv.Itoa(len(pages)-1)+"&size="+strconv.Itoa(size), http.StatusBadRequest)
			return
		}
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		h["Content-Length"] = []string{lengths[page]}
		_, _ = w.Write(pages[page]) // a failed write is a client that left: curl or apikeys reports it
	})
}
