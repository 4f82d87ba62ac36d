# syntax=docker/dockerfile:1
# Multi-stage build: a static Go binary (pure-Go SQLite, no cgo) with the
# templates, static files and time zones embedded, run as a non-root user.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/qubly ./cmd/qubly \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
WORKDIR /app
COPY --from=build /out/qubly /app/qubly
COPY --from=build --chown=nonroot:nonroot /out/data /app/data
ENV APP_ENV=production PORT=8080
EXPOSE 8080
USER nonroot:nonroot
# No ENTRYPOINT: fly.toml's release_command replaces the command with
# "/app/qubly migrate".
CMD ["/app/qubly", "serve"]
