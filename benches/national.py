#!/usr/bin/env python3
"""Signpost against Hugo on the generated national corpus (benches/README.md).

Usage: benches/national.py [--sizes small,national] [--runs N] [--edits N]
                           [--disk DIR] [--no-hugo] [--languages 2] [--profile debug]

For each size it generates the corpus once (benches/corpus), then runs, N times
and interleaved in the same run, a full Signpost build and a full Hugo build,
each into a fresh folder under /dev/shm, and prints medians of wall time, user
and system CPU, peak memory and pages per second, and the Hugo/Signpost ratios.
Then `signpost check`, and in `signpost serve` the time from saving one
service's file to its page being served with the change (measured from
outside: write the file, poll the page), and serve's peak memory after the
edits. With --disk DIR, also a build into DIR on disk and a rebuild there after
a one-file change.

With --languages 2, it also builds the same corpus with a second language
(`languages: [en-GB, cy]`, every area, service, pathway, story and page given a
translation beside it) and prints the two-language build's time over the
one-language build's: issue 16 asks for at most 2.2x.

It asserts nothing about time: CI runs the small size once to prove it works.
"""
import argparse, http.client, os, re, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHM = "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp"


def timed(cmd, env=None):
    """Runs cmd with /usr/bin/time-like accounting through os.wait4."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace')}")
    return {
        "wall": wall,
        "user": usage.ru_utime,
        "sys": usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,  # KiB -> MiB
        "stderr": err.decode(errors="replace"),
    }


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    return path


def count_files(path):
    return sum(len(files) for _, _, files in os.walk(path))


def median(rows, key):
    return statistics.median(r[key] for r in rows)


def corpus(size, binary_dir):
    path = os.path.join(SHM, f"signpost-bench-corpus-{size}")
    if not os.path.isfile(os.path.join(path, "signpost", "content", "site.yaml")):
        fresh(path)
        subprocess.run([os.path.join(binary_dir, "examples", "corpus"), size, path], check=True)
    return path


def two_languages(site):
    """A copy of the corpus site in English and Welsh: `languages: [en-GB, cy]`
    and, beside every entry, a translation holding its words (the original's,
    marked) and its body, so the second language costs what a whole
    translation would."""
    copy = site + "-two-languages"
    if os.path.isfile(os.path.join(copy, "content", "site.yaml")):
        return copy
    fresh(copy)
    shutil.copytree(site, copy)
    content = os.path.join(copy, "content")
    config = os.path.join(content, "site.yaml")
    text = open(config, encoding="utf-8").read().replace("language: en-GB", "languages: [en-GB, cy]")
    open(config, "w", encoding="utf-8").write(text)
    words = re.compile(r'^(name|title|summary|council|organisation): (.*)$', re.M)
    for folder in ("areas", "services", "pathways", "case-studies", "pages"):
        path = os.path.join(content, folder)
        if not os.path.isdir(path):
            continue
        for name in os.listdir(path):
            stem, ext = name.rsplit(".", 1)
            text = open(os.path.join(path, name), encoding="utf-8").read()
            if ext == "md":
                _, front, body = text.split("---\n", 2)
            else:
                front, body = text, None
            lines = [f"{m.group(1)}: {m.group(2)[:1]}CY {m.group(2)[1:]}" if m.group(2)[:1] in "\"'"
                     else f"{m.group(1)}: CY {m.group(2)}" for m in words.finditer(front)]
            out = "\n".join(lines) + "\n"
            if body is not None:
                out = "---\n" + out + "---\n" + body
            open(os.path.join(path, f"{stem}.cy.{ext}"), "w", encoding="utf-8").write(out)
    return copy


def serve_edit_latency(binary, root, edits):
    """Save one service's file `edits` times; time until the page has the change."""
    services = os.path.join(root, "content", "services")
    slug = sorted(os.listdir(services))[len(os.listdir(services)) // 2][:-3]
    path = os.path.join(services, slug + ".md")
    area = re.search(r"^areas: \[([a-z0-9-]+)", open(path, encoding="utf-8").read(), re.M).group(1)
    url = f"/{area}/services/{slug}/"
    original = open(path, encoding="utf-8").read()
    proc = subprocess.Popen([binary, "serve", "--port", "0", "--root", root],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    times = []
    try:
        port = int(re.search(r"127\.0\.0\.1:(\d+)", proc.stdout.readline()).group(1))

        def get():
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            c.request("GET", url)
            r = c.getresponse()
            return r.status, r.read().decode("utf-8", "replace")

        status, _ = get()
        assert status == 200, f"{url}: {status}"
        for i in range(edits):
            marker = f"bench-edit-{i}-{time.time_ns()}"
            start = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + f"\n{marker}\n")
            while True:
                status, body = get()
                if marker in body:
                    break
                if time.perf_counter() - start > 60:
                    sys.exit(f"serve: the change to {path} did not appear within 60 s")
                time.sleep(0.002)
            times.append((time.perf_counter() - start) * 1000)
            time.sleep(0.2)
        with open(f"/proc/{proc.pid}/status") as f:
            hwm = int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1)) / 1024
    finally:
        proc.kill()
        proc.wait()
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
    return times, hwm


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="small,national")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--edits", type=int, default=10)
    p.add_argument("--disk", help="also build into this folder on disk")
    p.add_argument("--no-hugo", action="store_true", help="skip Hugo (CI)")
    p.add_argument("--languages", type=int, choices=(1, 2), default=1,
                   help="2: also time the build with a second language")
    p.add_argument("--profile", choices=("release", "debug"), default="release",
                   help="debug: only to prove the script works quickly")
    a = p.parse_args()

    release = ["--release"] if a.profile == "release" else []
    subprocess.run(["cargo", "build", *release, "--quiet", "--bin", "signpost", "--example", "corpus"],
                   cwd=REPO, check=True)
    target = os.path.join(REPO, "target", a.profile)
    signpost = os.path.join(target, "signpost")
    hugo = shutil.which("hugo")
    if not a.no_hugo and not hugo:
        sys.exit("hugo not found: install Debian's hugo, or pass --no-hugo")
    env = dict(os.environ, SIGNPOST_TODAY="2026-11-24")

    for size in a.sizes.split(","):
        root = corpus(size, target)
        site = os.path.join(root, "signpost")
        print(f"\n== {size}: {root}")
        rows = {"signpost": [], "hugo": []}
        pages = {}
        for i in range(a.runs):
            out = fresh(os.path.join(SHM, f"signpost-bench-out-{size}"))
            rows["signpost"].append(timed([signpost, "build", "--root", site, "--output", out], env))
            pages["signpost"] = count_files(out)
            fresh(out)
            if not a.no_hugo:
                out = fresh(os.path.join(SHM, f"signpost-bench-hugo-{size}"))
                rows["hugo"].append(timed([hugo, "--quiet", "--source", os.path.join(HERE, "hugo"),
                                           "--contentDir", os.path.join(root, "hugo-content"),
                                           "--destination", out]))
                pages["hugo"] = count_files(out)
                fresh(out)
        print(f"full build into a fresh folder on tmpfs, median of {a.runs}:")
        print(f"  {'':9} {'wall s':>8} {'user s':>8} {'sys s':>8} {'peak MiB':>9} {'files':>7} {'files/s':>8}")
        for tool, r in rows.items():
            if not r:
                continue
            wall = median(r, "wall")
            print(f"  {tool:9} {wall:8.2f} {median(r, 'user'):8.2f} {median(r, 'sys'):8.2f} "
                  f"{median(r, 'rss'):9.0f} {pages[tool]:7d} {pages[tool] / wall:8.0f}")
        if rows["hugo"]:
            s, h = rows["signpost"], rows["hugo"]
            cpu = lambda r: median(r, "user") + median(r, "sys")
            print(f"  Hugo/Signpost: wall {median(h, 'wall') / median(s, 'wall'):.1f}x, "
                  f"user CPU {median(h, 'user') / median(s, 'user'):.1f}x, "
                  f"user+sys CPU {cpu(h) / cpu(s):.1f}x, peak memory {median(h, 'rss') / median(s, 'rss'):.1f}x")
        per_page = median(rows["signpost"], "wall") / pages["signpost"] * 1e6
        print(f"  Signpost cost per file: {per_page:.0f} us wall")

        if a.languages == 2:
            two = two_languages(site)
            runs = []
            for i in range(a.runs):
                out = fresh(os.path.join(SHM, f"signpost-bench-out-{size}-two"))
                runs.append(timed([signpost, "build", "--root", two, "--output", out], env))
                files = count_files(out)
                fresh(out)
            one = median(rows["signpost"], "wall")
            print(f"  two languages (en-GB, cy): {median(runs, 'wall'):.2f} s wall, "
                  f"{median(runs, 'rss'):.0f} MiB peak, {files} files: "
                  f"{median(runs, 'wall') / one:.2f}x the one-language build (issue 16: at most 2.2x)")

        checks = [timed([signpost, "check", "--root", site], env) for _ in range(a.runs)]
        print(f"signpost check: median {median(checks, 'wall'):.2f} s wall, "
              f"{median(checks, 'user'):.2f} s user, peak {median(checks, 'rss'):.0f} MiB")

        if a.edits:
            times, hwm = serve_edit_latency(signpost, site, a.edits)
            print(f"serve, save one service -> page served with the change: median "
                  f"{statistics.median(times):.0f} ms (min {min(times):.0f}, max {max(times):.0f}) "
                  f"over {len(times)} saves; serve peak memory {hwm:.0f} MiB")

        if a.disk:
            out = os.path.join(a.disk, f"signpost-bench-{size}")
            fresh(out)
            first = timed([signpost, "build", "--root", site, "--output", out, "--force"], env)
            services = os.path.join(site, "content", "services")
            path = os.path.join(services, sorted(os.listdir(services))[0])
            original = open(path, encoding="utf-8").read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + "\nOne more line.\n")
            try:
                again = timed([signpost, "build", "--root", site, "--output", out], env)
            finally:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(original)
            print(f"on disk ({a.disk}): first build {first['wall']:.2f} s wall "
                  f"({first['user']:.2f} user, {first['sys']:.2f} sys); rebuild after a one-file change "
                  f"{again['wall']:.2f} s wall ({again['user']:.2f} user, {again['sys']:.2f} sys)")
            fresh(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
