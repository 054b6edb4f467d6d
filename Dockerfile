# Build a static qunbot binary and run it on a small base as a non-root user
# (the last stage, the default target).

# Full traffic (会话内容存档) needs WeCom's C Finance SDK, linked with cgo:
#   put libWeWorkFinanceSdk_C.so (from WeCom's SDK download) in ./sdk/, then
#   docker build --target msgaudit -t qunbot:msgaudit .
# BuildKit builds only the stages a target needs, so the default image below
# never asks for the library.
FROM golang:1.26.8 AS build-msgaudit
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY sdk/libWeWorkFinanceSdk_C.so /usr/local/lib/
RUN ldconfig
COPY . .
RUN CGO_ENABLED=1 go build -tags msgaudit -trimpath -ldflags="-s -w" -o /out/qunbot ./cmd/qunbot && mkdir -p /out/data

FROM gcr.io/distroless/cc-debian12:nonroot AS msgaudit
COPY --from=build-msgaudit /usr/local/lib/libWeWorkFinanceSdk_C.so /usr/local/lib/
COPY --from=build-msgaudit /out/qunbot /qunbot
COPY --from=build-msgaudit --chown=65532:65532 /out/data /data
ENV QUNBOT_DATA_DIR=/data QUNBOT_ADDR=:8080 LD_LIBRARY_PATH=/usr/local/lib
USER 65532:65532
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/qunbot"]
CMD ["serve"]

# The default image: no SDK, no cgo.
FROM golang:1.26.8 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/qunbot ./cmd/qunbot && mkdir -p /out/data

# distroless publishes no version tags: its release is in the name (debian12);
# pin a digest (static-debian12:nonroot@sha256:…) where builds must repeat.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/qunbot /qunbot
# A new named volume starts as a copy of this directory, owner included, so
# the nonroot user (65532) can write its demo credentials and SQLite file there.
COPY --from=build --chown=65532:65532 /out/data /data
ENV QUNBOT_DATA_DIR=/data QUNBOT_ADDR=:8080
USER 65532:65532
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/qunbot"]
CMD ["serve"]
