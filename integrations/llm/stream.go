package llm

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/qubly/qubly/domain"
)

// message is one chat message of the request.
type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// request is the body of POST /chat/completions.
type request struct {
	Model         string    `json:"model"`
	Messages      []message `json:"messages"`
	Stream        bool      `json:"stream"`
	StreamOptions struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
	MaxTokens   int      `json:"max_tokens"`
	Temperature *float64 `json:"temperature,omitempty"`
}

func (c *Client) requestBody(p domain.ChatPrompt) ([]byte, error) {
	r := request{Model: c.cfg.Model, Stream: true, MaxTokens: c.cfg.MaxTokens}
	r.StreamOptions.IncludeUsage = true
	if p.MaxTokens > 0 {
		r.MaxTokens = p.MaxTokens
	}
	if c.cfg.Temperature >= 0 {
		t := c.cfg.Temperature
		r.Temperature = &t
	}
	if p.System != "" {
		r.Messages = append(r.Messages, message{Role: "system", Content: p.System})
	}
	r.Messages = append(r.Messages, message{Role: "user", Content: p.User})
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("llm: encode request: %w", err)
	}
	return b, nil
}

// usage is the token count a server reports.
type usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// answer is a streamed chunk ("chat.completion.chunk", text in delta) or a
// whole reply ("chat.completion", text in message). Groq has also reported
// a stream's usage under x_groq.
type answer struct {
	Choices []struct {
		Delta        message `json:"delta"`
		Message      message `json:"message"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage *usage `json:"usage"`
	XGroq *struct {
		Usage *usage `json:"usage"`
	} `json:"x_groq"`
	Error *struct {
		Message string `json:"message"`
	} `json:"error"`
}

func (a *answer) usage() *usage {
	if a.Usage != nil {
		return a.Usage
	}
	if a.XGroq != nil {
		return a.XGroq.Usage
	}
	return nil
}

// readStream reads a server-sent-events answer: "data: {chunk}" events up to
// "data: [DONE]". Each piece of text goes to onDelta as soon as it is read.
// On error the result holds the text delivered so far.
func readStream(r io.Reader, onDelta func(string) error) (domain.ChatCompletion, error) {
	var (
		text             strings.Builder
		out              domain.ChatCompletion
		data             []string
		finished, doneOK bool
	)
	dispatch := func() error {
		if len(data) == 0 {
			return nil
		}
		payload := strings.Join(data, "\n")
		data = data[:0]
		if strings.TrimSpace(payload) == "[DONE]" {
			doneOK = true
			return nil
		}
		var a answer
		if err := json.Unmarshal([]byte(payload), &a); err != nil {
			return fmt.Errorf("%w: stream chunk: %w", ErrBadResponse, err)
		}
		if a.Error != nil {
			return &connError{err: fmt.Errorf("error event in stream: %s", a.Error.Message)}
		}
		if u := a.usage(); u != nil {
			out.TokensIn, out.TokensOut = u.PromptTokens, u.CompletionTokens
		}
		if len(a.Choices) == 0 {
			return nil
		}
		ch := a.Choices[0]
		if ch.FinishReason != nil && *ch.FinishReason != "" {
			finished = true
		}
		if ch.Delta.Content == "" {
			return nil
		}
		text.WriteString(ch.Delta.Content)
		if err := onDelta(ch.Delta.Content); err != nil {
			return fmt.Errorf("%w: %w", errDeltaFailed, err)
		}
		return nil
	}

	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for !doneOK && sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		var err error
		switch {
		case line == "":
			err = dispatch()
		case strings.HasPrefix(line, "data:"):
			data = append(data, strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		}
		// Comments (": keep-alive"), "event:", "id:" and "retry:" are ignored.
		if err != nil {
			out.Text = text.String()
			return out, err
		}
	}
	err := sc.Err()
	if err == nil {
		err = dispatch() // a last event without its blank line
	}
	out.Text = text.String()
	switch {
	case err != nil:
		return out, err
	case !doneOK && !finished:
		return out, fmt.Errorf("stream ended before [DONE]: %w", io.ErrUnexpectedEOF)
	case strings.TrimSpace(out.Text) == "":
		return out, fmt.Errorf("%w: empty reply", ErrBadResponse)
	}
	return out, nil
}

// readJSON reads a whole "chat.completion" body, from a server that ignored
// "stream": the text goes to onDelta in one piece.
func readJSON(r io.Reader, onDelta func(string) error) (domain.ChatCompletion, error) {
	var a answer
	if err := json.NewDecoder(io.LimitReader(r, 4<<20)).Decode(&a); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return domain.ChatCompletion{}, err
		}
		return domain.ChatCompletion{}, fmt.Errorf("%w: body: %w", ErrBadResponse, err)
	}
	if a.Error != nil {
		return domain.ChatCompletion{}, &connError{err: fmt.Errorf("error in body: %s", a.Error.Message)}
	}
	if len(a.Choices) == 0 || strings.TrimSpace(a.Choices[0].Message.Content) == "" {
		return domain.ChatCompletion{}, fmt.Errorf("%w: empty reply", ErrBadResponse)
	}
	out := domain.ChatCompletion{Text: a.Choices[0].Message.Content}
	if u := a.usage(); u != nil {
		out.TokensIn, out.TokensOut = u.PromptTokens, u.CompletionTokens
	}
	if err := onDelta(out.Text); err != nil {
		return out, fmt.Errorf("%w: %w", errDeltaFailed, err)
	}
	return out, nil
}
