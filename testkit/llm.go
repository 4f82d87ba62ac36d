package testkit

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// LLMReply scripts one answer of the fake LLM server.
type LLMReply struct {
	// Status, when not 200, answers an OpenAI-style error with it (and
	// RetryAfter as the Retry-After header, if set).
	Status     int
	RetryAfter string
	// Text is the reply, streamed in Chunks pieces (at least 1) with Delay
	// between them, or sent whole when the request did not ask to stream or
	// JSON is set (a server that ignores "stream").
	Text   string
	Chunks int
	Delay  time.Duration
	JSON   bool
	// Hang answers nothing until the client gives up (or the test ends).
	Hang bool
	// CutAfter > 0 closes the connection after that many chunks, without
	// [DONE]: a stream that fails half-way.
	CutAfter int
	// Malformed sends a chunk that is not JSON after the first one.
	Malformed bool
	// NoUsage leaves the usage out; otherwise it is TokensIn/TokensOut, or
	// words counted when those are 0.
	NoUsage             bool
	TokensIn, TokensOut int
}

// LLMRequest is one request the fake LLM received.
type LLMRequest struct {
	Authorization string
	Model         string
	Messages      []LLMMessage
	Stream        bool
	IncludeUsage  bool
	MaxTokens     int
}

// LLMMessage is a chat message of an LLMRequest.
type LLMMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// FakeLLM is an OpenAI-compatible chat-completions server for tests:
// POST {URL}/chat/completions answers the scripted replies in order, then
// the default reply for every further request.
type FakeLLM struct {
	srv  *httptest.Server
	stop chan struct{}

	mu       sync.Mutex
	script   []LLMReply
	requests []LLMRequest
	def      LLMReply
}

// NewFakeLLM starts a fake LLM server, closed when the test ends. Once the
// script is used up it answers a short text in three chunks (see SetDefault).
func NewFakeLLM(t testing.TB) *FakeLLM {
	t.Helper()
	f := &FakeLLM{stop: make(chan struct{}), def: LLMReply{Text: "Hola, ¿en qué te ayudo?", Chunks: 3}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", f.handle)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	t.Cleanup(func() { close(f.stop) }) // runs first: frees hung handlers
	return f
}

// URL is the base URL to give the LLM client (it ends in /v1).
func (f *FakeLLM) URL() string { return f.srv.URL + "/v1" }

// Script queues replies for the next requests.
func (f *FakeLLM) Script(replies ...LLMReply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script = append(f.script, replies...)
}

// SetDefault replaces the reply given once the script is used up.
func (f *FakeLLM) SetDefault(r LLMReply) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.def = r
}

// Requests returns every request received so far.
func (f *FakeLLM) Requests() []LLMRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]LLMRequest(nil), f.requests...)
}

func (f *FakeLLM) next(req LLMRequest) LLMReply {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, req)
	if len(f.script) == 0 {
		return f.def
	}
	r := f.script[0]
	f.script = f.script[1:]
	return r
}

func (f *FakeLLM) handle(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Model         string       `json:"model"`
		Messages      []LLMMessage `json:"messages"`
		Stream        bool         `json:"stream"`
		MaxTokens     int          `json:"max_tokens"`
		StreamOptions struct {
			IncludeUsage bool `json:"include_usage"`
		} `json:"stream_options"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		llmError(w, http.StatusBadRequest, "", "invalid JSON: "+err.Error())
		return
	}
	rep := f.next(LLMRequest{
		Authorization: r.Header.Get("Authorization"), Model: in.Model, Messages: in.Messages,
		Stream: in.Stream, IncludeUsage: in.StreamOptions.IncludeUsage, MaxTokens: in.MaxTokens,
	})
	switch {
	case rep.Hang:
		select {
		case <-r.Context().Done():
		case <-f.stop:
		}
		return
	case rep.Status != 0 && rep.Status != http.StatusOK:
		llmError(w, rep.Status, rep.RetryAfter, "scripted failure")
		return
	}
	usage := map[string]int{"prompt_tokens": rep.TokensIn, "completion_tokens": rep.TokensOut}
	if rep.TokensIn == 0 && rep.TokensOut == 0 {
		words := 0
		for _, m := range in.Messages {
			words += len(strings.Fields(m.Content))
		}
		usage = map[string]int{"prompt_tokens": words, "completion_tokens": len(strings.Fields(rep.Text))}
	}
	usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
	if !in.Stream || rep.JSON {
		body := map[string]any{"object": "chat.completion", "model": in.Model, "choices": []any{map[string]any{
			"index": 0, "message": map[string]string{"role": "assistant", "content": rep.Text}, "finish_reason": "stop",
		}}}
		if !rep.NoUsage {
			body["usage"] = usage
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(body)
		return
	}
	f.stream(w, r, rep, in.Model, usage)
}

// stream writes rep as server-sent events, flushing each chunk.
func (f *FakeLLM) stream(w http.ResponseWriter, r *http.Request, rep LLMReply, model string, usage map[string]int) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	flush := func() { w.(http.Flusher).Flush() }
	event := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintf(w, "data: %s\n\n", b)
		flush()
	}
	chunk := func(delta map[string]string, finish any) map[string]any {
		return map[string]any{"object": "chat.completion.chunk", "model": model, "choices": []any{
			map[string]any{"index": 0, "delta": delta, "finish_reason": finish},
		}}
	}
	event(chunk(map[string]string{"role": "assistant", "content": ""}, nil))
	for i, piece := range SplitText(rep.Text, rep.Chunks) {
		if i > 0 && rep.Delay > 0 {
			select {
			case <-time.After(rep.Delay):
			case <-r.Context().Done():
				return
			case <-f.stop:
				return
			}
		}
		if rep.CutAfter > 0 && i == rep.CutAfter {
			panic(http.ErrAbortHandler) // drops the connection mid-stream
		}
		if rep.Malformed && i == 1 {
			fmt.Fprint(w, "data: {\"choices\": [oops\n\n")
			flush()
			return
		}
		event(chunk(map[string]string{"content": piece}, nil))
	}
	event(chunk(map[string]string{}, "stop"))
	if !rep.NoUsage {
		event(map[string]any{"object": "chat.completion.chunk", "model": model, "choices": []any{}, "usage": usage})
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
	flush()
}

// SplitText cuts s into n pieces of about equal length (on rune
// boundaries), the way the fake LLM streams it; n < 1 means 1.
func SplitText(s string, n int) []string {
	runes := []rune(s)
	n = max(1, min(n, len(runes)))
	out := make([]string, 0, n)
	for i := range n {
		out = append(out, string(runes[i*len(runes)/n:(i+1)*len(runes)/n]))
	}
	return out
}

func llmError(w http.ResponseWriter, status int, retryAfter, msg string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"message": msg, "type": "fake_error"}})
}
