# Build a static qunbot binary and run it on a small base as a non-root user.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/qunbot ./cmd/qunbot

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/qunbot /qunbot
ENV QUNBOT_DATA_DIR=/data QUNBOT_ADDR=:8080
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/qunbot"]
CMD ["serve"]
