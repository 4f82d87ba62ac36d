# Qubly Makefile. Run from the repo root.

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable
TAILWIND := npx --no-install @tailwindcss/cli

.PHONY: run test test-pg css css-check lint vendor-assets node_modules

run:
	go run ./cmd/qubly

test:
	go test -race -count=1 ./...

test-pg:
	TEST_DATABASE_URL="$(TEST_DATABASE_URL)" go test -race -count=1 ./...

# Install the pinned npm devDependencies only when node_modules is missing.
node_modules:
	@test -d node_modules || npm ci --no-audit --no-fund

css: node_modules
	$(TAILWIND) -i static/css/input.css -o static/css/app.css --minify

css-check:
	bash scripts/check-css.sh

lint:
	@out="$$(find . -name '*.go' -not -path './node_modules/*' -not -path './.git/*' -exec gofmt -l {} +)"; \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi
	go vet ./...

vendor-assets:
	bash scripts/vendor-assets.sh
