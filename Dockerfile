# Signpost in a container: for a council's build server or a CI that runs
# containers. Two stages: Rust builds the binary; the image that ships holds the
# binary alone on Google's distroless base (glibc and nothing else: no shell, no
# package manager), running as a user without privileges.
#
#   docker build -t signpost .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" signpost check
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" signpost build
#
# The site's folder is mounted at /site; the build writes /site/output, a folder
# inside the mount (Signpost will not replace a mount point itself). `--user`
# makes the files yours rather than the image's user's. docs/publishing.md says more.

FROM rust:1.91-slim-bookworm AS build
WORKDIR /src
# The manifest and lock first, so a change to the code alone reuses the
# downloaded and compiled dependencies.
COPY Cargo.toml Cargo.lock build.rs ./
COPY benches/corpus benches/corpus
COPY benches/markdown_growth.rs benches/markdown_growth.rs
COPY tests/testsuite tests/testsuite
COPY themes themes
COPY src src
RUN cargo build --release --locked --bin signpost \
 && strip target/release/signpost

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /src/target/release/signpost /usr/local/bin/signpost
# distroless's `nonroot` user (65532); `docker run --user` may choose another.
USER nonroot
WORKDIR /site
ENTRYPOINT ["/usr/local/bin/signpost"]
CMD ["--help"]
