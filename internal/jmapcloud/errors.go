package jmapcloud

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// APIError is a non-2xx answer from the service, with the status and the server's message.
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	Message    string
	Details    []string
}

func (e *APIError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = strings.ToLower(http.StatusText(e.StatusCode))
	}
	if len(e.Details) > 0 {
		msg += " (" + strings.Join(e.Details, "; ") + ")"
	}
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Path, e.StatusCode, msg)
}

// StatusCode returns the HTTP status of err if it is an *APIError, else 0.
func StatusCode(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

// IsNotFound reports a 404 answer.
func IsNotFound(err error) bool { return StatusCode(err) == http.StatusNotFound }

// decodeError reads the error body leniently: message, error or detail; errors[] as details.
func decodeError(method, path string, status int, body []byte) *APIError {
	e := &APIError{Method: method, Path: path, StatusCode: status}
	var raw map[string]json.RawMessage
	if json.Unmarshal(body, &raw) != nil {
		return e
	}
	for _, name := range []string{"message", "error", "detail"} {
		var s string
		if v, ok := raw[name]; ok && json.Unmarshal(v, &s) == nil && s != "" {
			e.Message = s
			break
		}
	}
	if v, ok := raw["errors"]; ok {
		var list []json.RawMessage
		if json.Unmarshal(v, &list) == nil {
			for _, item := range list {
				var s string
				if json.Unmarshal(item, &s) == nil {
					e.Details = append(e.Details, s)
					continue
				}
				var obj map[string]any
				if json.Unmarshal(item, &obj) == nil {
					if m, ok := obj["message"].(string); ok {
						e.Details = append(e.Details, m)
					}
				}
			}
		}
	}
	return e
}
